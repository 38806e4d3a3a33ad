package dev.anneal.dsl

import dev.anneal.autograd.Tensor
import dev.anneal.nn.BatchNorm1d
import dev.anneal.nn.BatchNorm2d
import dev.anneal.nn.Conv2d
import dev.anneal.nn.Dropout
import dev.anneal.nn.Flatten
import dev.anneal.nn.LayerNorm
import dev.anneal.nn.Linear
import dev.anneal.nn.MaxPool2d
import dev.anneal.nn.Module
import dev.anneal.nn.ReLU
import dev.anneal.nn.Residual
import dev.anneal.nn.Sequential
import dev.anneal.tensor.Generator
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class LayersTest {
    private fun assertSameModel(expected: Module, actual: Module) {
        assertEquals(expected.toString(), actual.toString())
        val e = expected.stateDict()
        val a = actual.stateDict()
        assertEquals(e.keys, a.keys)
        for (k in e.keys) {
            assertArrayEquals(e.getValue(k).shape(), a.getValue(k).shape(), k)
            assertArrayEquals(e.getValue(k).toArray(), a.getValue(k).toArray(), k)
        }
    }

    @Test
    fun builtSequentialEqualsTheJavaBuiltOne() {
        val dsl = sequential(seed = 7) { linear(4, 3); relu() }
        val g = Generator(7)
        val java = Sequential(Linear(4, 3, true, g), ReLU())
        assertSameModel(java, dsl)
        assertEquals(listOf(listOf(3, 4), listOf(3)), dsl.parameters().map { it.dims })
    }

    @Test
    fun sizesAreInferredLikeLazyModules() {
        val dsl = sequential(seed = 3) {
            flatten(); linear(12, 8); batchNorm1d(); relu(); dropout(0.2); linear(5); layerNorm()
        }
        val g = Generator(3)
        val java = Sequential(Flatten(), Linear(12, 8, true, g), BatchNorm1d(8), ReLU(), Dropout(0.2, g), Linear(8, 5, true, g),
            LayerNorm(5))
        assertSameModel(java, dsl)
        assertEquals(listOf(2, 5), dsl.forward(Tensor.ones(2, 3, 4)).dims)
    }

    @Test
    fun convolutionSizesFollowTheChannelsAndTheInputShape() {
        val dsl = sequential(seed = 1, inputShape = intArrayOf(1, 8, 8)) {
            conv2d(1, 4, kernel = 3, padding = 1); batchNorm2d(); relu(); maxPool2d(2)
            conv2d(outChannels = 6, kernel = 3); relu(); flatten(); linear(10)
        }
        val g = Generator(1)
        val java = Sequential(Conv2d(1, 4, 3, 1, 1, g), BatchNorm2d(4), ReLU(), MaxPool2d(2), Conv2d(4, 6, 3, g), ReLU(), Flatten(),
            Linear(6 * 2 * 2, 10, true, g))
        assertSameModel(java, dsl)
        // the trial pass that found 24 features left the batch norm's running statistics untouched and training on
        assertTrue(dsl.isTraining)
        assertArrayEquals(FloatArray(4), (dsl.get(1) as BatchNorm2d).namedBuffers().getValue("running_mean").toArray())
        assertEquals(listOf(3, 10), dsl.forward(Tensor.ones(3, 1, 8, 8)).dims)
    }

    @Test
    fun residualBlocksInferFromTheLayersBeforeThem() {
        val dsl = sequential(seed = 5) {
            linear(6, 4)
            residual { linear(4); relu(); batchNorm1d() }
            linear(2)
        }
        val res = dsl.get(1) as Residual
        val body = res.body() as Sequential
        assertEquals(4, (body.get(0) as Linear).inFeatures())
        assertEquals(listOf(listOf(4), listOf(4)), (body.get(2) as BatchNorm1d).parameters().map { it.dims })
        assertEquals(4, (dsl.get(2) as Linear).inFeatures())
        assertEquals(listOf(3, 2), dsl.forward(Tensor.ones(3, 6)).dims)
    }

    @Test
    fun anyModuleCanBeAddedAndFixesSizesWhenItIsALinear() {
        val own = Linear(3, 7, true, Generator(0))
        val dsl = sequential { module(own); batchNorm1d(); +ReLU() }
        assertSame(own, dsl.get(0))
        assertEquals(listOf(7), (dsl.get(1) as BatchNorm1d).parameters()[0].dims)
        assertEquals(3, dsl.size())
    }

    @Test
    fun seedMakesInitializationReproducible() {
        val a = sequential(seed = 11) { linear(5, 5) }
        val b = sequential { seed = 11; linear(5, 5) }
        val c = sequential(generator = Generator(12)) { linear(5, 5) }
        assertArrayEquals(a.parameters()[0].toArray(), b.parameters()[0].toArray())
        assertTrue(!a.parameters()[0].toArray().contentEquals(c.parameters()[0].toArray()))
    }

    @Test
    fun batchNormFirstNamesTheLayerAndWhatWasExpected() {
        val e = assertThrows<IllegalArgumentException> { sequential { batchNorm1d(); linear(4, 2) } }
        assertEquals(
            "sequential: batchNorm1d() at layer 0 cannot infer num_features: it is the first layer; expected a linear before it, "
                + "an explicit num_features, or sequential(inputShape = ...)", e.message
        )
    }

    @Test
    fun unknownSizesAfterFlattenAndContradictionsAreClearErrors() {
        val e1 = assertThrows<IllegalArgumentException> { sequential { conv2d(1, 4, kernel = 3); flatten(); linear(10) } }
        assertEquals(
            "sequential: linear(10) at layer 2 cannot infer in features: the layer before it (Flatten(start_dim=1, end_dim=-1)) "
                + "does not fix it; expected a linear or embedding before it, an explicit in features, or sequential(inputShape = ...)",
            e1.message
        )
        val e2 = assertThrows<IllegalArgumentException> { sequential { linear(8, 6); relu(); linear(5, 2) } }
        assertEquals(
            "sequential: linear(5, 2) at layer 2 expects in features = 5, but the layer before it "
                + "(Linear(in_features=8, out_features=6, bias=True)) produces 6", e2.message
        )
        val e3 = assertThrows<IllegalStateException> { sequential { linear(2, 2); seed = 1 } }
        assertEquals("sequential: set seed before the first layer", e3.message)
    }
}
