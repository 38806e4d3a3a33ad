@file:JvmName("Layers")

package dev.anneal.dsl

import dev.anneal.autograd.GradMode
import dev.anneal.autograd.Tensor
import dev.anneal.nn.AdaptiveAvgPool2d
import dev.anneal.nn.AvgPool2d
import dev.anneal.nn.BatchNorm1d
import dev.anneal.nn.BatchNorm2d
import dev.anneal.nn.Conv2d
import dev.anneal.nn.Dropout
import dev.anneal.nn.Dropout2d
import dev.anneal.nn.ELU
import dev.anneal.nn.Embedding
import dev.anneal.nn.Flatten
import dev.anneal.nn.GELU
import dev.anneal.nn.Identity
import dev.anneal.nn.LayerNorm
import dev.anneal.nn.LeakyReLU
import dev.anneal.nn.Linear
import dev.anneal.nn.LogSoftmax
import dev.anneal.nn.MaxPool2d
import dev.anneal.nn.Module
import dev.anneal.nn.ReLU
import dev.anneal.nn.Residual
import dev.anneal.nn.Sequential
import dev.anneal.nn.Sigmoid
import dev.anneal.nn.Softmax
import dev.anneal.nn.Tanh
import dev.anneal.nn.init.Init
import dev.anneal.tensor.Generator

/** Stands for "infer from the previous layer" in layer arguments (PyTorch's Lazy modules). */
const val INFER: Int = -1

/**
 * A [Sequential] built from layer calls: `sequential { flatten(); linear(784, 256); batchNorm1d(); relu(); linear(10) }`.
 * seed or generator fix the initialization (default [Init.defaultGenerator]); inputShape (one example, without
 * the batch dim) lets sizes be inferred anywhere, e.g. the first linear after a flatten.
 */
fun sequential(
    seed: Long? = null,
    generator: Generator? = null,
    inputShape: IntArray? = null,
    block: SequentialBuilder.() -> Unit,
): Sequential {
    require(seed == null || generator == null) { "sequential: give seed or generator, not both" }
    val b = SequentialBuilder(generator ?: seed?.let { Generator(it) }, inputShape, null, "sequential")
    b.block()
    return b.build()
}

/**
 * Collects layers in order. Sizes a layer can take from its input (PyTorch's Lazy modules: Linear's in features,
 * Conv2d's in channels, BatchNorm's and LayerNorm's feature count) may be left out; they come from the last layer
 * that fixed them, or from a trial forward pass when the sequential has an inputShape.
 */
@AnnealDsl
class SequentialBuilder internal constructor(
    private var gen: Generator?,
    private val inputShape: IntArray?,
    /** The layers before this block (for a residual body: the enclosing sequential's prefix), used by inference. */
    private val outer: SequentialBuilder?,
    private val what: String,
) {
    /** What the next layer's input is known to look like without running anything. */
    private sealed interface Width {
        val size: Int
        val from: String
    }

    /** Last dim (and dim 1 of a 2-D output) is size: after a Linear or Embedding. */
    private data class Features(override val size: Int, override val from: String) : Width

    /** Dim 1 of a 4-D output is size: after a Conv2d. */
    private data class Channels(override val size: Int, override val from: String) : Width

    private val layers = ArrayList<Module>()
    private var width: Width? = outer?.width

    /** Seed for the initialization of the layers that follow (only before the first layer). */
    var seed: Long?
        get() = null
        set(value) {
            check(layers.isEmpty() && outer == null) { "$what: set seed before the first layer" }
            gen = value?.let { Generator(it) }
        }

    /** Generator for the initialization and dropout masks of the layers (only before the first layer). */
    var generator: Generator
        get() = gen ?: outer?.generator ?: Init.defaultGenerator()
        set(value) {
            check(layers.isEmpty() && outer == null) { "$what: set generator before the first layer" }
            gen = value
        }

    private fun add(m: Module, w: Width?) {
        layers.add(m)
        width = w
    }

    private fun position(): String = "layer ${prefixSize() + layers.size}"

    private fun prefixSize(): Int = (outer?.prefixSize()?.plus(outer.layers.size)) ?: 0

    /** Adds any module as the next layer; sizes after it are unknown unless it is a Linear, Conv2d or Embedding. */
    fun module(m: Module) {
        val w: Width? = when (m) {
            is Linear -> Features(m.outFeatures(), m.toString())
            is Conv2d -> Channels(m.outChannels(), m.toString())
            is Sequential, is Residual -> if (m is Residual) width else null
            else -> null
        }
        add(m, w)
    }

    /** Sugar for [module]: `+MyBlock()`. */
    operator fun Module.unaryPlus() = module(this)

    // --------------------------------------------------------------- inference

    /** The output shape of the layers so far for a batch of one, by running them on zeros (eval mode, no grad). */
    private fun trialShape(): IntArray? {
        val shape = inputShape ?: outer?.inputShapeForInference() ?: return null
        val all = allLayers()
        var x = Tensor.zeros(1, *shape)
        GradMode.noGrad().use {
            for (m in all) {
                val was = m.isTraining
                m.eval()
                try {
                    x = m.invoke(x)
                } finally {
                    m.train(was)
                }
            }
        }
        return x.shape()
    }

    private fun inputShapeForInference(): IntArray? = inputShape ?: outer?.inputShapeForInference()

    private fun allLayers(): List<Module> = (outer?.allLayers() ?: emptyList()) + layers

    /** The size of the last dim of the next layer's input (Linear's in features, LayerNorm's shape). */
    private fun lastDim(layer: String, arg: String): Int {
        (width as? Features)?.let { return it.size }
        trialShape()?.let { return it.last() }
        val prev = allLayers().lastOrNull()
        throw IllegalArgumentException(
            "$what: $layer at ${position()} cannot infer $arg: " +
                (if (prev == null) "it is the first layer" else "the layer before it ($prev) does not fix it") +
                "; expected a linear or embedding before it, an explicit $arg, or sequential(inputShape = ...)"
        )
    }

    /** The size of dim 1 of the next layer's input (BatchNorm's features, Conv2d's in channels). */
    private fun dim1(layer: String, arg: String, wantChannels: Boolean): Int {
        val w = width
        if (w != null && (w is Channels) == wantChannels) return w.size
        trialShape()?.let {
            require(it.size >= 2) { "$what: $layer at ${position()} needs an input with a dim 1, the layers before it give shape ${it.toList()}" }
            return it[1]
        }
        val prev = allLayers().lastOrNull()
        val expected = if (wantChannels) "a conv2d" else "a linear"
        throw IllegalArgumentException(
            "$what: $layer at ${position()} cannot infer $arg: " +
                (if (prev == null) "it is the first layer" else "the layer before it ($prev) does not fix it") +
                "; expected $expected before it, an explicit $arg, or sequential(inputShape = ...)"
        )
    }

    /** Rejects an explicit size that contradicts what the previous layer produces. */
    private fun checkAgainst(layer: String, arg: String, given: Int, channels: Boolean) {
        val w = width ?: return
        if ((w is Channels) != channels) return
        require(w.size == given) {
            "$what: $layer at ${position()} expects $arg = $given, but the layer before it (${w.from}) produces ${w.size}"
        }
    }

    // --------------------------------------------------------------- layers

    /** nn.Flatten(startDim, endDim). */
    fun flatten(startDim: Int = 1, endDim: Int = -1) = add(Flatten(startDim, endDim), null)

    /** nn.Linear(inFeatures, outFeatures, bias). */
    fun linear(inFeatures: Int, outFeatures: Int, bias: Boolean = true) {
        checkAgainst("linear($inFeatures, $outFeatures)", "in features", inFeatures, channels = false)
        val m = Linear(inFeatures, outFeatures, bias, generator)
        add(m, Features(outFeatures, m.toString()))
    }

    /** nn.LazyLinear(outFeatures): in features from the previous layer. */
    fun linear(outFeatures: Int, bias: Boolean = true) = linear(lastDim("linear($outFeatures)", "in features"), outFeatures, bias)

    /** nn.Conv2d; leave inChannels out (`conv2d(outChannels = 32, kernel = 3)`) to take it from the previous layer. */
    fun conv2d(
        inChannels: Int = INFER,
        outChannels: Int,
        kernel: Int,
        stride: Int = 1,
        padding: Int = 0,
        dilation: Int = 1,
        groups: Int = 1,
        bias: Boolean = true,
    ) {
        val layer = "conv2d(${if (inChannels == INFER) "" else "$inChannels, "}$outChannels, kernel $kernel)"
        val inC = if (inChannels == INFER) dim1(layer, "in channels", wantChannels = true) else inChannels
        if (inChannels != INFER) checkAgainst(layer, "in channels", inChannels, channels = true)
        val m = Conv2d(inC, outChannels, intArrayOf(kernel, kernel), intArrayOf(stride, stride), intArrayOf(padding, padding),
            intArrayOf(dilation, dilation), groups, bias, generator)
        add(m, Channels(outChannels, m.toString()))
    }

    /** nn.BatchNorm1d; numFeatures defaults to the previous linear's out features. */
    fun batchNorm1d(
        numFeatures: Int = INFER,
        eps: Double = 1e-5,
        momentum: Double? = 0.1,
        affine: Boolean = true,
        trackRunningStats: Boolean = true,
    ) {
        val n = if (numFeatures == INFER) dim1("batchNorm1d()", "num_features", wantChannels = false) else numFeatures
        if (numFeatures != INFER) checkAgainst("batchNorm1d($numFeatures)", "num_features", numFeatures, channels = false)
        add(BatchNorm1d(n, eps, momentum, affine, trackRunningStats), width)
    }

    /** nn.BatchNorm2d; numFeatures defaults to the previous conv2d's out channels. */
    fun batchNorm2d(
        numFeatures: Int = INFER,
        eps: Double = 1e-5,
        momentum: Double? = 0.1,
        affine: Boolean = true,
        trackRunningStats: Boolean = true,
    ) {
        val n = if (numFeatures == INFER) dim1("batchNorm2d()", "num_features", wantChannels = true) else numFeatures
        if (numFeatures != INFER) checkAgainst("batchNorm2d($numFeatures)", "num_features", numFeatures, channels = true)
        add(BatchNorm2d(n, eps, momentum, affine, trackRunningStats), width)
    }

    /** nn.LayerNorm over the trailing dims normalizedShape; none given: the last dim, from the previous layer. */
    fun layerNorm(vararg normalizedShape: Int, eps: Double = 1e-5, elementwiseAffine: Boolean = true) {
        val shape = if (normalizedShape.isEmpty()) intArrayOf(lastDim("layerNorm()", "normalized_shape")) else normalizedShape
        add(LayerNorm(shape, eps, elementwiseAffine), width)
    }

    /** nn.MaxPool2d; stride defaults to the kernel size. */
    fun maxPool2d(kernel: Int, stride: Int = kernel, padding: Int = 0, dilation: Int = 1, ceilMode: Boolean = false) =
        add(MaxPool2d(kernel, stride, padding, dilation, ceilMode), width)

    /** nn.AvgPool2d; stride defaults to the kernel size. */
    fun avgPool2d(kernel: Int, stride: Int = kernel, padding: Int = 0, ceilMode: Boolean = false, countIncludePad: Boolean = true) =
        add(AvgPool2d(kernel, stride, padding, ceilMode, countIncludePad), width)

    /** nn.AdaptiveAvgPool2d to outH × outW. */
    fun adaptiveAvgPool2d(outH: Int, outW: Int = outH) = add(AdaptiveAvgPool2d(outH, outW), width)

    /** nn.Dropout(p); masks from this sequential's generator. */
    fun dropout(p: Double = 0.5) = add(Dropout(p, generator), width)

    /** nn.Dropout2d(p) (whole channels); masks from this sequential's generator. */
    fun dropout2d(p: Double = 0.5) = add(Dropout2d(p, generator), width)

    fun relu() = add(ReLU(), width)
    fun tanh() = add(Tanh(), width)
    fun sigmoid() = add(Sigmoid(), width)
    fun identity() = add(Identity(), width)

    /** nn.GELU(approximate = "none" or "tanh"). */
    fun gelu(approximate: String = "none") = add(GELU(approximate), width)

    /** nn.LeakyReLU(negativeSlope). */
    fun leakyRelu(negativeSlope: Double = 0.01) = add(LeakyReLU(negativeSlope.toFloat()), width)

    /** nn.ELU(alpha). */
    fun elu(alpha: Double = 1.0) = add(ELU(alpha.toFloat()), width)

    fun softmax(dim: Int) = add(Softmax(dim), width)
    fun logSoftmax(dim: Int) = add(LogSoftmax(dim), width)

    /** nn.Embedding; paddingIdx null for none. */
    fun embedding(numEmbeddings: Int, embeddingDim: Int, paddingIdx: Int? = null) {
        val m = if (paddingIdx == null) Embedding(numEmbeddings, embeddingDim, generator)
        else Embedding(numEmbeddings, embeddingDim, paddingIdx, generator)
        add(m, Features(embeddingDim, m.toString()))
    }

    /**
     * x + body(x) (or x' = shortcut(x) + body(x)): [Residual] over a Sequential of the block's layers, which infer
     * sizes from the layers before the residual.
     */
    fun residual(shortcut: Module? = null, body: SequentialBuilder.() -> Unit) {
        val inner = SequentialBuilder(null, null, this, "residual")
        inner.body()
        val seq = inner.build()
        add(if (shortcut == null) Residual(seq) else Residual(seq, shortcut), width)
    }

    /** The layers so far as a Sequential (the same objects). */
    fun build(): Sequential = Sequential(*layers.toTypedArray())
}
