package dev.anneal.dsl

import dev.anneal.autograd.Tensor
import dev.anneal.data.TensorDataset
import dev.anneal.nn.Module
import dev.anneal.optim.AdamW
import dev.anneal.optim.schedule.SequentialLR
import dev.anneal.tensor.Generator
import dev.anneal.train.Callback
import dev.anneal.train.TrainingContext
import dev.anneal.train.checkpoint.Checkpoint
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path

class FitTest {
    private val train = loader(blobs(240, 1)) { batchSize = 16; shuffle = true; seed = 3 }
    private val valid = loader(blobs(90, 2)) { batchSize = 45 }

    private fun mlp(): Module = sequential(seed = 4) { linear(4, 16); batchNorm1d(); relu(); dropout(0.1); linear(3) }

    @Test
    fun fitLearnsWithScheduleClippingAndAccumulation() {
        val model = mlp()
        val lrs = ArrayList<Double>()
        var opt: AdamW? = null
        val result = fit(model, train, valid) {
            epochs = 4
            optimizer = adamW(lr = 0.02, weightDecay = 0.01).also { opt = it }
            schedule { warmup(steps = 4); cosine() }
            loss = crossEntropy(labelSmoothing = 0.1)
            clipGradNorm = 1.0
            accumulate = 2
            progress = false
            callbacks += object : Callback {
                override fun onEpochEnd(ctx: TrainingContext, epoch: Int, logs: MutableMap<String, Double>) {
                    lrs.add(ctx.optimizer().paramGroups()[0].lr())
                }
            }
        }
        assertEquals(4, result.epochsRun())
        val h = result.history()
        assertTrue(h.epochs("val_accuracy").last() > 0.9, "val accuracy ${h.epochs("val_accuracy")}")
        assertTrue(h.epochs("loss").last() < h.epochs("loss").first(), "loss ${h.epochs("loss")}")
        // 15 batches, 2 per step → 8 optimizer steps per epoch, 32 in all: the cosine reaches 0 at the end
        assertEquals(60, h.steps("lr").size)
        assertEquals(0.02 * 0.01, h.steps("lr")[0], 1e-12)
        assertEquals(0.0, lrs.last(), 1e-12)
        assertTrue(opt!!.paramGroups()[0].lr() == lrs.last())
    }

    @Test
    fun earlyStoppingAndCheckpointsAreWired(@TempDir dir: Path) {
        val model = mlp()
        val result = fit(model, train, valid) {
            epochs = 30
            optimizer = sgd(lr = 0.0)  // no progress at all: stops after patience epochs
            earlyStopping { patience = 2; restoreBest = true }
            checkpoint(dir)
            progress = false
        }
        assertEquals(3, result.epochsRun())
        assertTrue(result.stopReason() != null)
        assertTrue(Files.exists(dir.resolve("last.safetensors")))
        val progress = Checkpoint.load(dir.resolve("last.safetensors"), mlp(), sgd(mlp(), lr = 0.0), null)
        assertEquals(3, progress.epoch())
    }

    @Test
    fun trainerFromTheDslEvaluatesAndBuildsTheScheduleOverTheRun() {
        val model = mlp()
        val t = trainer(model, train) {
            epochs = 2
            optimizer = adam(lr = 0.01)
            schedule { warmup(steps = 3); cosine() }
            progress = false
        }
        t.fit(train, valid)
        val ev = t.evaluate(valid)
        assertTrue(ev.accuracy() > 0.8, "accuracy ${ev.accuracy()}")
        assertEquals(listOf(90, 3), t.predict(valid).dims)
    }

    @Test
    fun paramGroupsInsideFitUseTheScopesHelpers() {
        var opt: AdamW? = null
        fit(mlp(), train) {
            epochs = 0
            optimizer = adamW(lr = 0.01) { group(weightsOnly()) { weightDecay = 0.05 }; rest { weightDecay = 0.0 } }.also { opt = it }
            progress = false
        }
        assertEquals(listOf(0.05, 0.0), opt!!.paramGroups().map { it.getDouble("weight_decay") })
        assertEquals(listOf(2, 4), opt!!.paramGroups().map { it.params().size })
    }

    @Test
    fun missingPiecesAreClearErrors() {
        val e = assertThrows<IllegalStateException> { fit(mlp(), train) { epochs = 1 } }
        assertEquals("fit: no optimizer; set one, e.g. optimizer = adamW(lr = 1e-3)", e.message)
        val e2 = assertThrows<IllegalStateException> {
            trainer(mlp()) { optimizer = adam(); schedule { cosine() } }
        }
        assertEquals("fit: schedule { } per batch needs the training loader to count steps", e2.message)
        val e3 = assertThrows<IllegalStateException> {
            val m = mlp()
            val o = adam(m)
            fit(m, train) { optimizer = o; schedule = schedule(o, 10) { cosine() }; schedule { cosine() } }
        }
        assertEquals("fit: give either schedule = ... or schedule { }, not both", e3.message)
        assertTrue(schedule(adam(mlp()), 4) { warmup(2); cosine() } is SequentialLR)
    }
}
