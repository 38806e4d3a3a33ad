@file:JvmName("Studies")

package dev.anneal.dsl

import dev.anneal.tune.CategoricalDistribution
import dev.anneal.tune.Direction
import dev.anneal.tune.Distribution
import dev.anneal.tune.FloatDistribution
import dev.anneal.tune.FrozenTrial
import dev.anneal.tune.GridSampler
import dev.anneal.tune.HyperbandPruner
import dev.anneal.tune.IntDistribution
import dev.anneal.tune.MedianPruner
import dev.anneal.tune.NopPruner
import dev.anneal.tune.PercentilePruner
import dev.anneal.tune.Pruner
import dev.anneal.tune.PruningCallback
import dev.anneal.train.Callback
import dev.anneal.train.TrainingContext
import dev.anneal.tune.RandomSampler
import dev.anneal.tune.RunOptions
import dev.anneal.tune.Sampler
import dev.anneal.tune.SearchSpace
import dev.anneal.tune.Study
import dev.anneal.tune.SuccessiveHalvingPruner
import dev.anneal.tune.TPESampler
import dev.anneal.tune.Trial
import dev.anneal.tune.TrialPruned
import java.io.PrintStream
import java.nio.file.Path
import java.nio.file.Paths
import java.time.Duration
import kotlin.math.exp
import kotlin.math.ln

/**
 * A hyperparameter study over a declared space:
 * `study { direction = maximize; sampler = tpe(seed = 1); pruner = median(); space { lr(logUniform(1e-4, 1e-1)) } }`,
 * then `s.optimize(trials = 30) { trial -> ...; trial.report(acc, epoch); acc }`.
 */
fun study(block: StudyScope.() -> Unit): TuningStudy = StudyScope().apply(block).build()

/** The settings of a study; unset ones are the runtime's defaults (minimize, TPE seed 0, median pruner, no file). */
@AnnealDsl
class StudyScope internal constructor() {
    var name: String = "study"
    var direction: Direction = Direction.MINIMIZE
    val maximize: Direction get() = Direction.MAXIMIZE
    val minimize: Direction get() = Direction.MINIMIZE

    /** How parameters are chosen: [tpe] (the default, seed 0), [random], [grid] or [custom]. */
    var sampler: SamplerChoice = SamplerChoice { TPESampler(0) }

    /** When trials stop early: [median] (the default), [percentile], [successiveHalving], [hyperband] or [none]. */
    var pruner: Pruner = MedianPruner()

    /** A JSONL study file: created if missing, resumed from (its trials kept, numbering continued) if present. */
    var storage: Path? = null

    /** Default budget of [TuningStudy.optimize]: a number of trials and/or a wall time (null: unlimited). */
    var trials: Int? = null
    var timeout: Duration? = null

    /** Worker threads running trials in parallel. */
    var workers: Int = 1

    /** With several workers, trial n sees exactly the trials ≤ n − workers, so results do not depend on timing. */
    var deterministic: Boolean = false

    /** Prints one line per finished trial (Optuna's log line) here; null for none. */
    var log: PrintStream? = null

    private var space: SpaceScope? = null

    fun storage(file: String) {
        storage = Paths.get(file)
    }

    /** The declared parameters, suggested on every trial before the objective runs. */
    fun space(block: SpaceScope.() -> Unit) {
        check(space == null) { "study: space { } is given twice; declare every parameter in one block" }
        space = SpaceScope().apply(block)
    }

    /** Tree-structured Parzen Estimator; defaults are Optuna's (10 random startup trials, gamma(n) = min(⌈0.1·n⌉, 25)). */
    fun tpe(
        seed: Long = 0,
        startupTrials: Int = 10,
        candidates: Int = 24,
        gamma: ((Int) -> Int)? = null,
        multivariate: Boolean = false,
        priorWeight: Double = 1.0,
        considerEndpoints: Boolean = false,
        considerMagicClip: Boolean = true,
    ): SamplerChoice {
        val b = TPESampler.builder(seed).nStartupTrials(startupTrials).nEiCandidates(candidates).multivariate(multivariate)
            .priorWeight(priorWeight).considerEndpoints(considerEndpoints).considerMagicClip(considerMagicClip)
        if (gamma != null) b.gamma { n -> gamma(n) }
        val sampler = b.build()
        return SamplerChoice { sampler }
    }

    /** Independent uniform (log-uniform for log distributions) draws. */
    fun random(seed: Long = 0): SamplerChoice {
        val sampler = RandomSampler(seed)
        return SamplerChoice { sampler }
    }

    /**
     * Every configuration of the space, once, in order (the last parameter fastest): floats without a step are
     * replaced by [pointsPerFloat] evenly spaced values (geometrically for log-uniform), ints are enumerated.
     * The study ends when the grid is done.
     */
    fun grid(pointsPerFloat: Int = 3): SamplerChoice {
        require(pointsPerFloat >= 1) { "grid: pointsPerFloat must be at least 1, got $pointsPerFloat" }
        return SamplerChoice { space -> GridSampler.of(space.gridSpace(pointsPerFloat)) }
    }

    /** Explicit grid values per parameter (every combination, the last parameter fastest). */
    fun grid(vararg values: Pair<String, List<Any?>>): SamplerChoice {
        require(values.isNotEmpty()) { "grid: give at least one parameter's values" }
        val sampler = GridSampler(linkedMapOf(*values))
        return SamplerChoice { sampler }
    }

    /** Any runtime sampler. */
    fun custom(sampler: Sampler): SamplerChoice = SamplerChoice { sampler }

    /** Optuna's MedianPruner: prune when the trial's value at a step is worse than the median of earlier trials at that step. */
    fun median(startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1, minTrials: Int = 1): Pruner =
        MedianPruner(startupTrials, warmupSteps, intervalSteps, minTrials)

    /**
     * Optuna's PercentilePruner: prune when the trial's best value so far is outside the best [percentile] % (0-100) of
     * the completed trials' values at the same step; 50 is [median], 25 prunes more, 75 less.
     */
    fun percentile(percentile: Double, startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1, minTrials: Int = 1): Pruner =
        PercentilePruner(percentile, startupTrials, warmupSteps, intervalSteps, minTrials)

    /** Asynchronous successive halving (ASHA); minResource 0 estimates it from the first completed trial. */
    fun successiveHalving(minResource: Int = 0, reductionFactor: Int = 4, minEarlyStoppingRate: Int = 0, bootstrapCount: Int = 0): Pruner =
        SuccessiveHalvingPruner(minResource, reductionFactor, minEarlyStoppingRate, bootstrapCount)

    /** Hyperband: successive halving over brackets of different aggressiveness; maxResource = the steps (epochs) of a full trial. */
    fun hyperband(maxResource: Int, minResource: Int = 1, reductionFactor: Int = 3, bootstrapCount: Int = 0): Pruner =
        HyperbandPruner(minResource, maxResource, reductionFactor, bootstrapCount)

    /** Never prunes. */
    fun none(): Pruner = NopPruner()

    internal fun build(): TuningStudy {
        val s = space ?: SpaceScope()
        val runtimeSpace = s.build()
        val b = Study.builder().name(name).direction(direction).sampler(sampler.create(s)).pruner(pruner).log(log)
        storage?.let { b.storage(it) }
        return TuningStudy(b.build(), runtimeSpace, trials, timeout, workers, deterministic)
    }
}

/** A sampler to build once the space is known (the grid needs it). */
class SamplerChoice internal constructor(private val factory: (SpaceScope) -> Sampler) {
    internal fun create(space: SpaceScope): Sampler = factory(space)
}

/**
 * The declared parameters, in order: `lr(logUniform(1e-4, 1e-1)); batchSize(choice(32, 64, 128))`, any name with
 * `param("name", dist)` or `"name"(dist)`, and conditional ones with `onlyWhen("optimizer", "sgd") { momentum(...) }`.
 */
@AnnealDsl
class SpaceScope internal constructor(
    private val entries: MutableList<Entry> = ArrayList(),
    private val parent: String? = null,
    private val parentValues: List<Any?>? = null,
) {
    internal class Entry(val name: String, val distribution: Distribution, val parent: String?, val parentValues: List<Any?>?)

    /** Floats uniform in [low, high]. */
    fun uniform(low: Double, high: Double): FloatDistribution = FloatDistribution(low, high, false)

    /** Floats low, low + step, … ≤ high. */
    fun uniform(low: Double, high: Double, step: Double): FloatDistribution = FloatDistribution(low, high, false, step)

    /** Floats log-uniform in [low, high] (low > 0). */
    fun logUniform(low: Double, high: Double): FloatDistribution = FloatDistribution(low, high, true)

    /** Integers low..high (in steps of step), log-uniform if log. */
    fun int(low: Int, high: Int, step: Int = 1, log: Boolean = false): IntDistribution = IntDistribution(low, high, log, step)

    /** Integers of a range: `ints(64..512 step 64)`. */
    fun ints(range: IntProgression, log: Boolean = false): IntDistribution {
        require(range.step > 0 && !range.isEmpty()) { "ints: need a non-empty increasing range, got $range" }
        return IntDistribution(range.first, range.last, log, range.step)
    }

    /** One of the choices (numbers, strings, booleans). */
    fun choice(vararg choices: Any?): CategoricalDistribution = CategoricalDistribution(choices.toList())

    /** A parameter of any name. */
    fun param(name: String, distribution: Distribution) {
        require(name.isNotEmpty()) { "space: a parameter needs a non-empty name" }
        require(entries.none { it.name == name }) { "space: parameter '$name' is declared twice" }
        entries += Entry(name, distribution, parent, parentValues)
    }

    /** A parameter of any name: `"hidden"(ints(64..512 step 64))`. */
    operator fun String.invoke(distribution: Distribution) = param(this, distribution)

    /** Parameters active only when the earlier parameter [name] takes one of [values]. */
    fun onlyWhen(name: String, vararg values: Any?, block: SpaceScope.() -> Unit) {
        val p = entries.firstOrNull { it.name == name }
            ?: throw IllegalArgumentException("space: onlyWhen(\"$name\") needs '$name' declared before it; declared: ${entries.map { it.name }}")
        require(values.isNotEmpty()) { "space: onlyWhen(\"$name\") needs at least one value" }
        for (v in values) require(p.distribution.contains(v)) { "space: onlyWhen(\"$name\", $v): $v is not a value of ${p.distribution}" }
        require(parent == null) { "space: onlyWhen inside onlyWhen is not supported; condition on one parameter" }
        SpaceScope(entries, name, values.toList()).block()
    }

    fun lr(d: Distribution) = param("lr", d)
    fun batchSize(d: Distribution) = param("batchSize", d)
    fun dropout(d: Distribution) = param("dropout", d)
    fun weightDecay(d: Distribution) = param("weightDecay", d)
    fun momentum(d: Distribution) = param("momentum", d)
    fun epochs(d: Distribution) = param("epochs", d)
    fun hiddenSize(d: Distribution) = param("hiddenSize", d)
    fun numLayers(d: Distribution) = param("numLayers", d)
    fun optimizer(d: Distribution) = param("optimizer", d)
    fun labelSmoothing(d: Distribution) = param("labelSmoothing", d)
    fun beta1(d: Distribution) = param("beta1", d)
    fun beta2(d: Distribution) = param("beta2", d)
    fun clipGradNorm(d: Distribution) = param("clipGradNorm", d)
    fun warmupSteps(d: Distribution) = param("warmupSteps", d)

    internal fun build(): SearchSpace {
        val s = SearchSpace()
        for (e in entries) if (e.parent == null) s.add(e.name, e.distribution) else s.add(e.name, e.distribution, e.parent, e.parentValues)
        return s
    }

    /** The space with every step-less float replaced by n grid values (trials still suggest from the original distribution). */
    internal fun gridSpace(n: Int): SearchSpace {
        val s = SearchSpace()
        for (e in entries) {
            val d = e.distribution
            val g = if (d is FloatDistribution && !d.hasStep()) CategoricalDistribution(floatGrid(d, n)) else d
            if (e.parent == null) s.add(e.name, g) else s.add(e.name, g, e.parent, e.parentValues)
        }
        return s
    }

    private fun floatGrid(d: FloatDistribution, n: Int): List<Double> {
        if (n == 1 || d.low() == d.high()) return listOf(if (d.log()) exp((ln(d.low()) + ln(d.high())) / 2) else (d.low() + d.high()) / 2)
        return (0 until n).map { i ->
            val t = i.toDouble() / (n - 1)
            // clamp so rounding cannot leave [low, high]
            val v = if (d.log()) exp(ln(d.low()) + t * (ln(d.high()) - ln(d.low()))) else d.low() + t * (d.high() - d.low())
            v.coerceIn(d.low(), d.high())
        }.distinct()
    }
}

/** A [Study] with its declared space and default budget; [optimize] suggests the space on each trial, then runs the objective. */
class TuningStudy internal constructor(
    /** The runtime study (trials, best, storage). */
    val study: Study,
    /** The declared space ([SearchSpace.suggest] is what every trial starts with). */
    val space: SearchSpace,
    private val defaultTrials: Int?,
    private val defaultTimeout: Duration?,
    private val defaultWorkers: Int,
    private val defaultDeterministic: Boolean,
) {
    val name: String get() = study.name()
    val direction: Direction get() = study.direction()

    /**
     * Runs trials (defaults: the study block's budget and workers): each trial first draws the declared space,
     * then runs objective; the value it returns is the trial's. A trial that throws is recorded as FAIL and the
     * study goes on; [StudyTrial.report] (or a [pruneWith] fit) ends a trial as PRUNED when the pruner says so.
     */
    fun optimize(
        trials: Int? = defaultTrials,
        timeout: Duration? = defaultTimeout,
        workers: Int = defaultWorkers,
        deterministic: Boolean = defaultDeterministic,
        objective: (StudyTrial) -> Number,
    ): TuningStudy {
        val options = RunOptions(trials ?: RunOptions.UNLIMITED, timeout, workers, deterministic)
        study.optimize({ t ->
            val trial = StudyTrial(t)
            space.suggest(t)
            objective(trial).toDouble()
        }, options)
        return this
    }

    /** Every finished trial, by number. */
    val trials: List<FrozenTrial> get() = study.trials()
    val bestTrial: FrozenTrial get() = study.bestTrial()
    val bestValue: Double get() = study.bestValue()
    val bestParams: Map<String, Any?> get() = study.bestParams()

    /** The trials as an aligned text table. */
    fun trialsTable(): String = study.trialsTable()

    override fun toString(): String = "TuningStudy('$name', ${direction.name.lowercase()}, ${study.trials().size} trials)"
}

/**
 * One trial as the objective sees it: the declared parameters (`trial.lr`, `trial.batchSize`, `trial["hidden"]`),
 * define-by-run ones (`trial.float("momentum", 0.8, 0.99)`), and [report] of intermediate values.
 */
class StudyTrial internal constructor(
    /** The runtime trial (for the Java API, e.g. a [PruningCallback]). */
    val trial: Trial,
) {
    val number: Int get() = trial.number()

    /** The parameters drawn so far. */
    val params: Map<String, Any?> get() = trial.params()

    /** The value of a parameter, which must have been drawn. */
    operator fun get(name: String): Any? {
        val p = trial.params()
        if (!p.containsKey(name)) throw IllegalArgumentException("trial $number: no parameter '$name'; it has ${p.keys}")
        return p[name]
    }

    /** True if the parameter was drawn (false, e.g., for a conditional one whose condition did not hold). */
    fun has(name: String): Boolean = trial.params().containsKey(name)

    /** A drawn numeric parameter as a Double. */
    fun double(name: String): Double = when (val v = get(name)) {
        is Number -> v.toDouble()
        else -> throw IllegalArgumentException("trial $number: parameter '$name' is $v (${v?.javaClass?.simpleName}), not a number")
    }

    /** A drawn integer parameter as an Int. */
    fun int(name: String): Int = when (val v = get(name)) {
        is Int -> v
        is Long -> v.toInt()
        else -> throw IllegalArgumentException("trial $number: parameter '$name' is $v (${v?.javaClass?.simpleName}), not an integer")
    }

    /** A drawn parameter as a String. */
    fun string(name: String): String = when (val v = get(name)) {
        is String -> v
        else -> throw IllegalArgumentException("trial $number: parameter '$name' is $v (${v?.javaClass?.simpleName}), not a string")
    }

    fun boolean(name: String): Boolean = when (val v = get(name)) {
        is Boolean -> v
        else -> throw IllegalArgumentException("trial $number: parameter '$name' is $v (${v?.javaClass?.simpleName}), not a boolean")
    }

    val lr: Double get() = double("lr")
    val batchSize: Int get() = int("batchSize")
    val dropout: Double get() = double("dropout")
    val weightDecay: Double get() = double("weightDecay")
    val momentum: Double get() = double("momentum")
    val epochs: Int get() = int("epochs")
    val hiddenSize: Int get() = int("hiddenSize")
    val numLayers: Int get() = int("numLayers")
    val optimizer: String get() = string("optimizer")
    val labelSmoothing: Double get() = double("labelSmoothing")
    val beta1: Double get() = double("beta1")
    val beta2: Double get() = double("beta2")
    val clipGradNorm: Double get() = double("clipGradNorm")
    val warmupSteps: Int get() = int("warmupSteps")

    /** Define-by-run: a float in [low, high] (log-uniform if log) drawn now, e.g. inside an `if`. */
    fun float(name: String, low: Double, high: Double, log: Boolean = false): Double = trial.suggestFloat(name, low, high, log)

    /** Define-by-run: an integer in low..high in steps of step. */
    fun int(name: String, low: Int, high: Int, step: Int = 1, log: Boolean = false): Int =
        trial.suggest(name, IntDistribution(low, high, log, step)) as Int

    /** Define-by-run: one of the choices. */
    fun <T> choice(name: String, vararg choices: T): T = trial.suggestCategorical(name, choices.toList())

    /**
     * Records the value at a step (e.g. the epoch's validation accuracy); with prune (the default) it then asks the
     * study's pruner and ends the trial as PRUNED (throws [TrialPruned]) if it says so.
     */
    fun report(value: Number, step: Int, prune: Boolean = true) {
        trial.report(value.toDouble(), step)
        if (prune && trial.shouldPrune()) throw TrialPruned("trial $number pruned at step $step (value $value)")
    }

    /** Whether the pruner would stop this trial now (for a manual `report(v, step, prune = false)`). */
    fun shouldPrune(): Boolean = trial.shouldPrune()

    override fun toString(): String = "StudyTrial($number, ${trial.params()})"
}

/**
 * Reports the monitored epoch metric of this fit to the trial (step = epoch, from 0) and stops the fit (the trial
 * ends PRUNED) when the study's pruner says so: `fit(model, train, valid) { ...; pruneWith(trial, "val_accuracy") }`.
 * Unlike the runtime's [PruningCallback] (and Optuna's integrations) it does not ask after the last epoch: pruning
 * there saves nothing and would only turn a finished trial's result into a pruned one.
 */
fun FitScope.pruneWith(trial: StudyTrial, monitor: String = "val_accuracy") {
    val scope = this
    callbacks += object : Callback {
        override fun onEpochEnd(ctx: TrainingContext, epoch: Int, logs: MutableMap<String, Double>) {
            val v = logs[monitor] ?: throw IllegalStateException("pruneWith: monitors '$monitor', not among ${logs.keys}")
            trial.report(v, epoch, prune = epoch < scope.epochs - 1)
        }
    }
}
