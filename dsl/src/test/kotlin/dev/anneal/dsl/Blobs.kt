package dev.anneal.dsl

import dev.anneal.autograd.Tensor
import dev.anneal.data.TensorDataset
import dev.anneal.tensor.Generator

/** Test data shared by the fit, compression and study tests: three Gaussian blobs in 4-D, class = blob. */
internal fun blobs(n: Int, seed: Long): TensorDataset {
    val g = Generator(seed)
    val x = FloatArray(n * 4)
    val y = FloatArray(n)
    for (i in 0 until n) {
        val c = i % 3
        y[i] = c.toFloat()
        for (j in 0 until 4) x[i * 4 + j] = (if (j == c) 2.5f else 0f) + g.nextGaussian().toFloat()
    }
    return TensorDataset(Tensor.of(x, n, 4), Tensor.of(y, n))
}
