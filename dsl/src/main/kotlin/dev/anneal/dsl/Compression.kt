@file:JvmName("Compression")

package dev.anneal.dsl

import dev.anneal.nn.Module
import dev.anneal.tensor.Generator
import dev.anneal.train.Trainer
import dev.anneal.tune.compress.PruneTarget
import dev.anneal.tune.compress.Pruning
import dev.anneal.tune.compress.SparsityReport

// ------------------------------------------------------------------ pruning

/**
 * Prunes model's weights as block says and returns the resulting [SparsityReport]:
 * `prune(model) { global(0.5) }`, `prune(model) { except(head); structured(0.25) }`. Amounts are PyTorch's: a
 * fraction of the entries (channels) still unpruned, or an Int count; pruning again composes with the masks there.
 */
fun prune(model: Module, block: PruneScope.() -> Unit): SparsityReport {
    PruneScope(model).apply(block)
    return SparsityReport.of(model)
}

/** The per-layer sparsity report of model (zeros and masked entries of every weight). */
fun sparsity(model: Module): SparsityReport = SparsityReport.of(model)

/** Makes every pruning in model permanent (prune.remove on each pruned parameter); returns the parameters' names. */
fun makePruningPermanent(model: Module): List<String> = Pruning.removeAll(model)

/** What [prune] prunes and how; each method call is one pruning step over [targets]. */
@AnnealDsl
class PruneScope internal constructor(val model: Module) {
    /** The parameters the methods prune: by default every Linear and convolution weight of the model. */
    var targets: List<PruneTarget> = PruneTarget.weightsOf(model)

    /** Prunes only these layers' weights from here on. */
    fun only(vararg layers: Module) {
        require(layers.isNotEmpty()) { "prune: only() needs at least one layer" }
        targets = layers.map { PruneTarget.weight(it) }
    }

    /** Leaves these layers' weights out from here on (e.g. the output layer). */
    fun except(vararg layers: Module) {
        targets = targets.filter { t -> layers.none { it === t.module() } }
    }

    /** Magnitude pruning over all targets together: the smallest |w| anywhere (prune.global_unstructured, L1). */
    fun global(amount: Double) = Pruning.globalUnstructured(checked(), amount)

    fun global(count: Int) = Pruning.globalUnstructured(checked(), count)

    /** Magnitude pruning of each target by the same amount (prune.l1_unstructured per layer). */
    fun perLayer(amount: Double) = checked().forEach { Pruning.l1Unstructured(it.module(), it.name(), amount) }

    /** Random pruning from a seeded generator (the baseline for magnitude pruning): over all targets together, or per layer. */
    fun random(amount: Double, seed: Long, global: Boolean = true) {
        val g = Generator(seed)
        if (global) Pruning.globalRandomUnstructured(checked(), amount, g)
        else checked().forEach { Pruning.randomUnstructured(it.module(), it.name(), amount, g) }
    }

    /**
     * Structured pruning of each target: the amount of its channels along dim (0: output neurons of a Linear, output
     * channels of a conv) with the smallest Ln norm (prune.ln_structured).
     */
    fun structured(amount: Double, n: Double = 2.0, dim: Int = 0) =
        checked().forEach { Pruning.lnStructured(it.module(), it.name(), amount, n, dim) }

    /** Structured pruning of random channels along dim (the baseline for [structured]). */
    fun randomStructured(amount: Double, seed: Long, dim: Int = 0) {
        val g = Generator(seed)
        checked().forEach { Pruning.randomStructured(it.module(), it.name(), amount, dim, g) }
    }

    private fun checked(): List<PruneTarget> {
        require(targets.isNotEmpty()) { "prune: no weights to prune in $model (targets is empty)" }
        return targets
    }
}

// ------------------------------------------------------------------ training hooks

/**
 * Knowledge distillation in [fit]: the loss becomes alpha·T²·KL(softmax(teacher/T) ‖ softmax(student/T)) +
 * (1 − alpha)·loss (Trainer.Builder.distillFrom); the teacher runs in eval mode without gradients.
 */
fun FitScope.distillFrom(teacher: Module, temperature: Double, alpha: Double) {
    require(teacher !== model) { "fit: distillFrom needs a teacher other than the model being trained" }
    builderSteps += { it.distillFrom(teacher, temperature, alpha) }
}

/** A pruned model keeps its masks through fit: pruned entries get zero gradients and stay exactly 0. */
internal fun keepPrunedIn(model: Module, b: Trainer.Builder) {
    if (Pruning.isPruned(model)) b.callback(Pruning.keepPruned())
}
