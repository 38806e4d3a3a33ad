package dev.anneal.dsl

import dev.anneal.autograd.Tensor
import dev.anneal.data.TensorDataset
import dev.anneal.nn.Linear
import dev.anneal.nn.Module
import dev.anneal.nn.Sequential
import dev.anneal.optim.SGD
import dev.anneal.tensor.Generator
import dev.anneal.train.ProgressBar
import dev.anneal.train.Trainer
import dev.anneal.tune.compress.Pruning
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class CompressionTest {
    private val train = loader(blobs(240, 1)) { batchSize = 16; shuffle = true; seed = 3 }
    private val valid = loader(blobs(90, 2)) { batchSize = 45 }

    private fun mlp(seed: Long = 4): Sequential = sequential(seed = seed) { linear(4, 32); relu(); linear(16); relu(); linear(3) }

    private fun layer(m: Sequential, i: Int): Linear = m.get(i) as Linear

    @Test
    fun pruneGlobalPerLayerAndStructuredReportTheirSparsity() {
        val m = mlp()
        // 128 + 512 + 48 = 688 weights; round(0.5 · 688) = 344
        val r = prune(m) { global(0.5) }
        assertEquals(344, r.global().masked())
        assertEquals(344, r.global().zeros())
        assertEquals(listOf("0.weight", "2.weight", "4.weight"), r.rows().map { it.name() })
        // a count composes with the existing masks: 100 more of the 344 left
        assertEquals(444, prune(m) { global(100) }.global().masked())

        val p = mlp()
        val head = layer(p, 4)
        val rp = prune(p) { except(head); perLayer(0.25) }
        assertEquals(32, rp.row("0.weight").masked())
        assertEquals(128, rp.row("2.weight").masked())
        assertFalse(rp.row("4.weight").pruned(), "the head is left dense")

        val s = mlp()
        prune(s) { only(layer(s, 2)); structured(0.25) }
        val mask = Pruning.mask(layer(s, 2), "weight").toArray()
        val deadRows = (0 until 16).count { o -> (0 until 32).all { mask[o * 32 + it] == 0f } }
        assertEquals(4, deadRows, "4 of 16 neurons, whole rows")
        assertEquals(4 * 32L, sparsity(s).global().masked())

        val a = mlp()
        val b = mlp()
        prune(a) { random(0.3, seed = 9) }
        prune(b) { random(0.3, seed = 9) }
        assertArrayEquals(Pruning.mask(layer(a, 2), "weight").toArray(), Pruning.mask(layer(b, 2), "weight").toArray())
        assertEquals(Math.round(0.3 * 688), sparsity(a).global().masked())
        prune(a) { randomStructured(0.5, seed = 10, dim = 0) }
        assertTrue(sparsity(a).global().masked() > Math.round(0.3 * 688))

        val e = assertThrows<IllegalArgumentException> { prune(mlp()) { only() } }
        assertTrue(e.message!!.contains("only"), e.message)
        assertThrows<IllegalArgumentException> { prune(m) { global(1.5) } }
    }

    @Test
    fun fitKeepsAPrunedModelPrunedAndMakePruningPermanentReleasesIt() {
        val m = mlp()
        prune(m) { global(0.7) }
        val masks = Pruning.maskedParameters(m).mapValues { it.value[1].toArray().clone() }
        val result = fit(m, train, valid) { epochs = 3; optimizer = adam(lr = 0.02); progress = false }
        assertTrue(result.history().last("val_accuracy") > 0.85, "accuracy ${result.history().last("val_accuracy")}")
        for ((name, pm) in Pruning.maskedParameters(m)) {
            assertArrayEquals(masks[name], pm[1].toArray(), "$name mask unchanged")
            val w = pm[0].toArray()
            val mask = pm[1].toArray()
            for (i in w.indices) if (mask[i] == 0f) assertTrue(w[i] == 0f, "$name[$i] stays 0, is ${w[i]}")
        }
        assertEquals(Math.round(0.7 * 688), sparsity(m).global().zeros())

        assertEquals(listOf("0.weight", "2.weight", "4.weight"), makePruningPermanent(m))
        assertFalse(Pruning.isPruned(m))
        fit(m, train) { epochs = 1; optimizer = sgd(lr = 0.5); progress = false }
        assertTrue(sparsity(m).global().zeros() < Math.round(0.7 * 688), "no masks: the zeros train again")
    }

    @Test
    fun distillFromTrainsAsTheTrainerOption() {
        val teacher = mlp(5)
        fit(teacher, train) { epochs = 3; optimizer = adam(lr = 0.02); progress = false }
        val a = sequential(seed = 6) { linear(4, 3) }
        val b = sequential(seed = 6) { linear(4, 3) }
        fit(a, train) { epochs = 2; optimizer = sgd(lr = 0.1); distillFrom(teacher, temperature = 3.0, alpha = 0.6); progress = false }
        Trainer.builder(b, SGD(b.parameters(), 0.1)) { out, y -> dev.anneal.nn.loss.CrossEntropyLoss().apply(out, y) }.epochs(2)
            .distillFrom(teacher, 3.0, 0.6).progress(null as ProgressBar?).build().fit(train, null)
        assertArrayEquals(b.parameters()[0].toArray(), a.parameters()[0].toArray())
        val c = sequential(seed = 6) { linear(4, 3) }
        fit(c, train) { epochs = 2; optimizer = sgd(lr = 0.1); progress = false }
        assertFalse(c.parameters()[0].toArray().contentEquals(a.parameters()[0].toArray()), "the teacher changed the training")
        assertThrows<IllegalArgumentException> { fit(a, train) { optimizer = sgd(lr = 0.1); distillFrom(a, 2.0, 0.5) } }
        assertThrows<IllegalArgumentException> { fit(a, train) { optimizer = sgd(lr = 0.1); distillFrom(teacher, 2.0, 1.5) } }
    }
}
