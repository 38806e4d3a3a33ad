@file:JvmName("Schedules")

package dev.anneal.dsl

import dev.anneal.optim.Optimizer
import dev.anneal.optim.schedule.ConstantLR
import dev.anneal.optim.schedule.CosineAnnealingLR
import dev.anneal.optim.schedule.CosineAnnealingWarmRestarts
import dev.anneal.optim.schedule.ExponentialLR
import dev.anneal.optim.schedule.LRScheduler
import dev.anneal.optim.schedule.LinearLR
import dev.anneal.optim.schedule.MultiStepLR
import dev.anneal.optim.schedule.OneCycleLR
import dev.anneal.optim.schedule.PolynomialLR
import dev.anneal.optim.schedule.ReduceLROnPlateau
import dev.anneal.optim.schedule.SequentialLR
import dev.anneal.optim.schedule.StepLR

/**
 * An lr schedule of phases run one after another over totalSteps scheduler steps:
 * `schedule(opt, 10_000) { warmup(steps = 500); cosine() }` is SequentialLR([LinearLR, CosineAnnealingLR], [500]).
 * A phase without steps lasts for what the others leave; one phase alone is returned as itself.
 */
fun schedule(optimizer: Optimizer, totalSteps: Int, block: ScheduleScope.() -> Unit): LRScheduler =
    ScheduleScope(optimizer, totalSteps).apply(block).build()

/** torch.optim.lr_scheduler.ReduceLROnPlateau with PyTorch's defaults; feed it a metric with step(value). */
fun reduceOnPlateau(
    optimizer: Optimizer,
    mode: String = "min",
    factor: Double = 0.1,
    patience: Int = 10,
    threshold: Double = 1e-4,
    thresholdMode: String = "rel",
    cooldown: Int = 0,
    minLr: Double = 0.0,
    eps: Double = 1e-8,
): ReduceLROnPlateau = ReduceLROnPlateau.builder(optimizer).mode(mode).factor(factor).patience(patience).threshold(threshold)
    .thresholdMode(thresholdMode).cooldown(cooldown).minLr(minLr).eps(eps).build()

/** The phases of a [schedule]; each builds one runtime scheduler over the optimizer, in order. */
@AnnealDsl
class ScheduleScope internal constructor(private val optimizer: Optimizer, private val totalSteps: Int) {
    private class Phase(val name: String, val steps: Int?, val make: (Int) -> LRScheduler)

    private val phases = ArrayList<Phase>()

    init {
        require(totalSteps > 0) { "schedule: totalSteps must be positive, got $totalSteps" }
    }

    private fun phase(name: String, steps: Int?, make: (Int) -> LRScheduler) {
        require(steps == null || steps > 0) { "schedule: $name steps must be positive, got $steps" }
        phases.add(Phase(name, steps, make))
    }

    /** Linear warmup from lr·startFactor to lr over steps (LinearLR(startFactor, 1, steps)). */
    fun warmup(steps: Int, startFactor: Double = 0.01) =
        phase("warmup", steps) { LinearLR(optimizer, startFactor, 1.0, it) }

    /** LinearLR: lr·startFactor to lr·endFactor over the phase (PyTorch defaults 1/3 → 1). */
    fun linear(startFactor: Double = 1.0 / 3, endFactor: Double = 1.0, steps: Int? = null) =
        phase("linear", steps) { LinearLR(optimizer, startFactor, endFactor, it) }

    /** CosineAnnealingLR from lr down to etaMin over the phase. */
    fun cosine(etaMin: Double = 0.0, steps: Int? = null) =
        phase("cosine", steps) { CosineAnnealingLR(optimizer, it, etaMin) }

    /** CosineAnnealingWarmRestarts with first period t0, period growth tMult. */
    fun cosineWarmRestarts(t0: Int, tMult: Int = 1, etaMin: Double = 0.0, steps: Int? = null) =
        phase("cosineWarmRestarts", steps) { CosineAnnealingWarmRestarts(optimizer, t0, tMult, etaMin) }

    /** StepLR: lr·gamma every stepSize steps. */
    fun step(stepSize: Int, gamma: Double = 0.1, steps: Int? = null) =
        phase("step", steps) { StepLR(optimizer, stepSize, gamma) }

    /** MultiStepLR: lr·gamma at each milestone. */
    fun multiStep(milestones: List<Int>, gamma: Double = 0.1, steps: Int? = null) =
        phase("multiStep", steps) { MultiStepLR(optimizer, milestones.toIntArray(), gamma) }

    /** ExponentialLR: lr·gamma every step. */
    fun exponential(gamma: Double, steps: Int? = null) =
        phase("exponential", steps) { ExponentialLR(optimizer, gamma) }

    /** PolynomialLR: lr·(1 − t/steps)^power over the phase. */
    fun polynomial(power: Double = 1.0, steps: Int? = null) =
        phase("polynomial", steps) { PolynomialLR(optimizer, it, power) }

    /** The lr held (times factor) for the phase: ConstantLR(factor, steps). */
    fun constant(factor: Double = 1.0, steps: Int? = null) =
        phase("constant", steps) { ConstantLR(optimizer, factor, it) }

    /** OneCycleLR over the phase, with PyTorch's defaults. */
    fun oneCycle(
        maxLr: Double,
        pctStart: Double = 0.3,
        annealStrategy: String = "cos",
        cycleMomentum: Boolean = true,
        baseMomentum: Double = 0.85,
        maxMomentum: Double = 0.95,
        divFactor: Double = 25.0,
        finalDivFactor: Double = 1e4,
        threePhase: Boolean = false,
        steps: Int? = null,
    ) = phase("oneCycle", steps) {
        OneCycleLR.builder(optimizer).maxLr(maxLr).totalSteps(it).pctStart(pctStart).annealStrategy(annealStrategy)
            .cycleMomentum(cycleMomentum).baseMomentum(baseMomentum).maxMomentum(maxMomentum).divFactor(divFactor)
            .finalDivFactor(finalDivFactor).threePhase(threePhase).build()
    }

    /** Any scheduler, given the optimizer and the phase's length. */
    fun custom(steps: Int? = null, make: (Optimizer, Int) -> LRScheduler) = phase("custom", steps) { make(optimizer, it) }

    internal fun build(): LRScheduler {
        require(phases.isNotEmpty()) { "schedule: no phase given (e.g. warmup(steps = 100); cosine())" }
        val open = phases.filter { it.steps == null }
        require(open.size <= 1) {
            "schedule: phases ${open.joinToString { it.name }} all leave out steps; at most one may take what the others leave"
        }
        val fixed = phases.sumOf { it.steps ?: 0 }
        val rest = totalSteps - fixed
        require(open.isEmpty() || rest > 0) {
            "schedule: ${open[0].name} has no steps left: the other phases take $fixed of the $totalSteps total steps"
        }
        val lengths = phases.map { it.steps ?: rest }
        // built in order: each constructor takes the optimizer's current lr state, exactly as hand-written code would
        val built = phases.mapIndexed { i, p -> p.make(lengths[i]) }
        if (built.size == 1) return built[0]
        val milestones = lengths.dropLast(1).runningReduce { a, b -> a + b }.toIntArray()
        return SequentialLR(optimizer, built, milestones)
    }
}
