package dev.anneal.dsl

import dev.anneal.autograd.Tensor
import dev.anneal.nn.Module
import dev.anneal.optim.ParamGroup
import dev.anneal.optim.StatefulOptimizer
import dev.anneal.optim.examples.AdaBelief
import dev.anneal.tensor.Generator
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class CustomOptimizerTest {
    /** Sign of the momentum (signum, Bernstein et al. 2018) in a few lines. */
    private val signum = optimizer("Signum") {
        val lr by hyper(0.01, min = 0.0)
        val momentum by hyper(0.9, min = 0.0, max = 1.0, maxInclusive = false)
        val buf by state()
        update { p, g ->
            buf *= momentum
            buf += (1 - momentum) * g
            p -= lr * sign(buf)
        }
    }

    /** AdaBelief as in optim.examples, written with the DSL, to compare against the Java one. */
    private val adaBelief = optimizer("AdaBelief") {
        val lr by hyper(1e-3, min = 0.0)
        val beta1 by hyper(0.9, min = 0.0, max = 1.0, maxInclusive = false)
        val beta2 by hyper(0.999, min = 0.0, max = 1.0, maxInclusive = false)
        val eps by hyper(1e-16, min = 0.0)
        val weightDecay by hyper(0.0, min = 0.0, name = "weight_decay")
        val expAvg by state(name = "exp_avg")
        val expAvgVar by state(name = "exp_avg_var")
        update { p, g ->
            if (weightDecay != 0.0) p *= (1 - lr * weightDecay).toFloat()
            expAvg *= beta1.toFloat()
            expAvg += g * (1 - beta1).toFloat()
            val residual = g - expAvg
            expAvgVar *= beta2.toFloat()
            expAvgVar += residual * residual * (1 - beta2).toFloat()
            expAvgVar += Tensor.scalar(eps.toFloat())
            val bc1 = 1 - Math.pow(beta1, step.toDouble())
            val bc2 = 1 - Math.pow(beta2, step.toDouble())
            val denom = sqrt(expAvgVar) / Math.sqrt(bc2).toFloat() + eps.toFloat()
            p += expAvg / denom * (-lr / bc1).toFloat()
        }
    }

    private fun model(): Module = sequential(seed = 9) { linear(3, 4); tanh(); linear(2) }
    private val x = Tensor.randn(Generator(1), 8, 3)
    private val y = Tensor.randn(Generator(2), 8, 2)

    private fun trainSteps(m: Module, o: StatefulOptimizer, n: Int): List<Float> = (0 until n).map {
        o.zeroGrad()
        val l = mseLoss().apply(m.forward(x), y)
        l.backward()
        o.step()
        l.item()
    }

    private fun weights(m: Module) = m.parameters().map { it.toArray().toList() }

    @Test
    fun declaredOptionsAreValidatedAndGrouped() {
        assertEquals(listOf("lr", "momentum"), signum.hyperparameters.names())
        val m = model()
        val o = signum(m, "lr" to 0.05)
        assertEquals(mapOf("lr" to 0.05, "momentum" to 0.9), o.paramGroups()[0].options())
        val e = assertThrows<IllegalArgumentException> { signum(m, "momentum" to 1.0) }
        assertEquals("Signum: invalid momentum: 1.0 (expected 0 <= momentum < 1)", e.message)
        val e2 = assertThrows<IllegalArgumentException> { signum(m, "beta" to 0.5) }
        assertEquals("Signum: unknown option 'beta' (options: lr, momentum)", e2.message)
        val g = signum(m, "lr" to 0.1) { group(m.weightsOnly()) { momentum = 0.5 }; rest() }
        assertEquals(listOf(0.5, 0.9), g.paramGroups().map(ParamGroup::options).map { it["momentum"] })
    }

    @Test
    fun itTrainsAndResumesBitForBitFromItsStateDict() {
        val m = model()
        val o = signum(m, "lr" to 0.02)
        val losses = trainSteps(m, o, 30)
        assertTrue(losses.last() < 0.7f * losses.first(), "losses $losses")

        // a run interrupted after 5 steps and resumed from the saved state ends exactly where an uninterrupted one does
        val a = model()
        val oa = signum(a, "lr" to 0.02)
        trainSteps(a, oa, 5)
        val savedModel = a.stateDict().mapValues { (_, t) -> t.clone() }
        val savedOpt = oa.stateDict()
        trainSteps(a, oa, 5)

        val b = model()
        b.loadStateDict(savedModel, true)
        val ob = signum(b, "lr" to 0.02)
        ob.loadStateDict(savedOpt)
        trainSteps(b, ob, 5)
        assertEquals(weights(a), weights(b))
        assertEquals(setOf("step", "buf"), oa.stateDict().state()[0]!!.keys)
        assertEquals(10L, oa.stateDict().state()[0]!!["step"])
    }

    @Test
    fun theDslAdaBeliefMatchesTheJavaExample() {
        val a = model()
        val b = model()
        val dsl = adaBelief(a, "lr" to 0.01, "weight_decay" to 0.1)
        val java = AdaBelief(b.parameters(), mapOf("lr" to 0.01, "weight_decay" to 0.1))
        val la = trainSteps(a, dsl, 10)
        val lb = trainSteps(b, java, 10)
        assertEquals(lb, la)
        for ((p, q) in a.parameters().zip(b.parameters())) assertArrayEquals(q.toArray(), p.toArray(), 1e-6f)
    }

    @Test
    fun aCustomOptimizerWorksInFit() {
        val m = sequential(seed = 1) { linear(3, 2) }
        val ds = dev.anneal.data.TensorDataset(x, y)
        val r = fit(m, loader(ds) { batchSize = 4 }) {
            epochs = 8
            optimizer = signum(model, "lr" to 0.01)
            loss = mseLoss()
            progress = false
        }
        val l = r.history().epochs("loss")
        assertTrue(l.last() < l.first(), "loss $l")
    }

    @Test
    fun misuseIsClear() {
        val e = assertThrows<IllegalStateException> { optimizer("Empty") { val lr by hyper(0.1) } }
        assertEquals("Empty: the definition has no update { p, g -> ... } rule", e.message)
        var leaked: (() -> Double)? = null
        optimizer("Leaky") {
            val lr by hyper(0.1)
            leaked = { lr }
            update { _, _ -> }
        }
        val e2 = assertThrows<IllegalStateException> { leaked!!() }
        assertEquals("Leaky: option 'lr' is only available inside update { } while the optimizer steps", e2.message)
    }
}
