package dev.anneal.dsl

import dev.anneal.nn.Module
import dev.anneal.optim.Optimizer
import dev.anneal.optim.schedule.CosineAnnealingLR
import dev.anneal.optim.schedule.ExponentialLR
import dev.anneal.optim.schedule.LRScheduler
import dev.anneal.optim.schedule.LinearLR
import dev.anneal.optim.schedule.OneCycleLR
import dev.anneal.optim.schedule.SequentialLR
import dev.anneal.optim.schedule.StepLR
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class SchedulesTest {
    private fun model(): Module = sequential(seed = 2) { linear(3, 2) }

    /** The lr of group 0 before each of n steps. */
    private fun lrs(opt: Optimizer, s: LRScheduler, n: Int): List<Double> = (0 until n).map {
        val lr = opt.paramGroups()[0].lr()
        opt.step()
        s.step()
        lr
    }

    @Test
    fun warmupThenCosineIsTheHandBuiltSequentialLR() {
        val a = sgd(model(), lr = 0.1)
        val dsl = schedule(a, totalSteps = 50) { warmup(steps = 10, startFactor = 0.1); cosine(etaMin = 1e-3) }
        val b = sgd(model(), lr = 0.1)
        val java = SequentialLR(b, listOf(LinearLR(b, 0.1, 1.0, 10), CosineAnnealingLR(b, 40, 1e-3)), intArrayOf(10))
        assertTrue(dsl is SequentialLR)
        val got = lrs(a, dsl, 50)
        assertEquals(lrs(b, java, 50), got)
        assertEquals(0.01, got[0], 1e-12)
        assertEquals(0.1, got[10], 1e-12)
        assertTrue(got[49] < 0.002)
    }

    @Test
    fun threePhasesAndSinglePhases() {
        val a = adam(model(), lr = 0.01)
        val dsl = schedule(a, 50) { constant(steps = 5); step(stepSize = 10, gamma = 0.5, steps = 30); exponential(gamma = 0.9) }
        val b = adam(model(), lr = 0.01)
        val java = SequentialLR(b, listOf(dev.anneal.optim.schedule.ConstantLR(b, 1.0, 5), StepLR(b, 10, 0.5), ExponentialLR(b, 0.9)),
            intArrayOf(5, 35))
        assertEquals(lrs(b, java, 50), lrs(a, dsl, 50))

        val c = adam(model(), lr = 0.01)
        val one = schedule(c, 20) { oneCycle(maxLr = 0.1) }
        assertTrue(one is OneCycleLR)
        val d = adam(model(), lr = 0.01)
        val javaOne = OneCycleLR.builder(d).maxLr(0.1).totalSteps(20).build()
        assertEquals(lrs(d, javaOne, 20), lrs(c, one, 20))
    }

    @Test
    fun phaseLengthErrorsAreClear() {
        val e = assertThrows<IllegalArgumentException> { schedule(adam(model()), 10) { warmup(steps = 10); cosine() } }
        assertEquals("schedule: cosine has no steps left: the other phases take 10 of the 10 total steps", e.message)
        val e2 = assertThrows<IllegalArgumentException> { schedule(adam(model()), 10) { cosine(); exponential(0.9) } }
        assertEquals("schedule: phases cosine, exponential all leave out steps; at most one may take what the others leave", e2.message)
    }

    @Test
    fun plateauHasPyTorchsDefaults() {
        val o = sgd(model(), lr = 1.0)
        val p = reduceOnPlateau(o, patience = 0)
        p.step(1.0)
        p.step(2.0)
        assertEquals(0.1, o.paramGroups()[0].lr(), 1e-12)
    }
}
