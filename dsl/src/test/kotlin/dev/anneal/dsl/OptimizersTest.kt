package dev.anneal.dsl

import dev.anneal.nn.Module
import dev.anneal.optim.Adadelta
import dev.anneal.optim.Adagrad
import dev.anneal.optim.Adam
import dev.anneal.optim.AdamW
import dev.anneal.optim.Adamax
import dev.anneal.optim.Lion
import dev.anneal.optim.NAdam
import dev.anneal.optim.RAdam
import dev.anneal.optim.RMSprop
import dev.anneal.optim.SGD
import dev.anneal.optim.StatefulOptimizer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class OptimizersTest {
    private val model: Module = sequential(seed = 1) { linear(4, 3); batchNorm1d(); relu(); linear(2) }

    private fun options(o: StatefulOptimizer) = o.paramGroups().map { it.options() }

    @Test
    fun defaultsAreTheRuntimesWhichArePyTorchs() {
        val p = model.parameters()
        val pairs = listOf(
            sgd(model, lr = 0.1) to SGD(p, 0.1),
            adam(model) to Adam(p),
            adamW(model) to AdamW(p),
            rmsprop(model) to RMSprop(p),
            adagrad(model) to Adagrad(p),
            adadelta(model) to Adadelta(p),
            adamax(model) to Adamax(p),
            nadam(model) to NAdam(p),
            radam(model) to RAdam(p),
            lion(model) to Lion(p),
        )
        for ((dsl, java) in pairs) {
            assertEquals(java.javaClass, dsl.javaClass)
            assertEquals(options(java), options(dsl), java.javaClass.simpleName)
            assertEquals(p, dsl.paramGroups()[0].params())
        }
        assertEquals(0.01, adamW(model).paramGroups()[0].getDouble("weight_decay"))
        assertEquals(0.99, lion(p).paramGroups()[0].getDouble("beta2"))
    }

    @Test
    fun namedArgumentsBecomeTheGroupOptions() {
        val o = sgd(model.parameters(), lr = 0.05, momentum = 0.9, nesterov = true, weightDecay = 1e-4)
        val g = o.paramGroups()[0]
        assertEquals(listOf(0.05, 0.9, 1e-4, true), listOf(g.lr(), g.getDouble("momentum"), g.getDouble("weight_decay"), g.getBoolean("nesterov")))
        val a = adam(model, betas = 0.8 to 0.95, amsgrad = true)
        assertEquals(listOf(0.8, 0.95, true), a.paramGroups()[0].let { listOf(it.getDouble("beta1"), it.getDouble("beta2"), it.getBoolean("amsgrad")) })
    }

    @Test
    fun paramGroupsGetTheirOwnOptionsAndTheRestTheDefaults() {
        val o = adamW(model, lr = 1e-3) {
            group(model.weightsOnly()) { weightDecay = 0.05 }
            rest { weightDecay = 0.0; lr = 2e-3 }
        }
        assertEquals(2, o.paramGroups().size)
        val (decay, rest) = o.paramGroups()
        assertEquals(model.weightsOnly(), decay.params())
        assertEquals(model.biasesAndNorms(), rest.params())
        assertEquals(listOf(2, 2), decay.params().map { it.rank() })
        assertEquals(4, rest.params().size)
        assertEquals(listOf(1e-3, 0.05, 0.9), listOf(decay.lr(), decay.getDouble("weight_decay"), decay.getDouble("beta1")))
        assertEquals(listOf(2e-3, 0.0), listOf(rest.lr(), rest.getDouble("weight_decay")))
        // the same as building the groups by hand
        val java = AdamW(mapOf("lr" to 1e-3), listOf(
            dev.anneal.optim.ParamGroup(model.weightsOnly(), mapOf("weight_decay" to 0.05)),
            dev.anneal.optim.ParamGroup(model.biasesAndNorms(), mapOf("weight_decay" to 0.0, "lr" to 2e-3))))
        assertEquals(options(java), options(o))
    }

    @Test
    fun wrongOptionsAreRejectedByTheOptimizer() {
        val e = assertThrows<IllegalArgumentException> { adam(model) { group(model) { momentum = 0.9 } } }
        assertEquals("Adam: unknown option 'momentum' (options: lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)", e.message)
        val e2 = assertThrows<IllegalArgumentException> { rmsprop(model, lr = -1.0) }
        assertEquals("RMSprop: invalid lr: -1.0 (expected 0 <= lr)", e2.message)
        val e3 = assertThrows<IllegalArgumentException> { sgd(model, 0.1) { group(model.weightsOnly()); rest(); rest() } }
        assertEquals("rest { }: every parameter is already in a group", e3.message)
        assertSame(null, null)
    }
}
