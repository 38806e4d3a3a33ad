#!/usr/bin/env kotlin
// A complete training run in a plain Kotlin script, on synthetic data (three Gaussian blobs).
// Run: kotlin quickstart.main.kts   (after `mvn install` has put anneal-dsl into ~/.m2; or point
// the DependsOn lines at the two jars: "/path/to/anneal-runtime-0.1.0-SNAPSHOT.jar" etc.)
// The Vector API kernels need JAVA_OPTS="--add-modules jdk.incubator.vector"; without it the scalar kernels run.
@file:DependsOn("dev.anneal:anneal-dsl:0.1.0-SNAPSHOT")

import dev.anneal.autograd.Tensor
import dev.anneal.data.TensorDataset
import dev.anneal.dsl.*
import dev.anneal.tensor.Generator

fun blobs(n: Int, seed: Long): TensorDataset {
    val g = Generator(seed)
    val x = FloatArray(n * 4) { i -> (if (i % 4 == (i / 4) % 3) 2.5f else 0f) + g.nextGaussian().toFloat() }
    val y = FloatArray(n) { (it % 3).toFloat() }
    return TensorDataset(Tensor.of(x, n, 4), Tensor.of(y, n))
}

val model = sequential(seed = 1) { linear(4, 32); batchNorm1d(); relu(); dropout(0.1); linear(3) }
val train = loader(blobs(600, 1)) { batchSize = 32; shuffle = true; seed = 1 }
val valid = loader(blobs(300, 2)) { batchSize = 100 }

val result = fit(model, train, valid) {
    epochs = 5
    optimizer = adamW(lr = 3e-3) { group(weightsOnly()) { weightDecay = 0.01 }; rest { weightDecay = 0.0 } }
    schedule { warmup(steps = 20); cosine() }
    loss = crossEntropy(labelSmoothing = 0.05)
    clipGradNorm = 1.0
    earlyStopping { patience = 2; restoreBest = true }
}
println(model)
println("validation accuracy per epoch: " + result.history().epochs("val_accuracy"))
check(result.history().last("val_accuracy") > 0.85) { "the script's model did not learn" }
