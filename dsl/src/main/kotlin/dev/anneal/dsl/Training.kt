@file:JvmName("Training")

package dev.anneal.dsl

import dev.anneal.autograd.Tensor
import dev.anneal.data.DataLoader
import dev.anneal.data.Dataset
import dev.anneal.data.transform.BatchTransform
import dev.anneal.nn.Module
import dev.anneal.nn.loss.BCELoss
import dev.anneal.nn.loss.BCEWithLogitsLoss
import dev.anneal.nn.loss.CrossEntropyLoss
import dev.anneal.nn.loss.HuberLoss
import dev.anneal.nn.loss.L1Loss
import dev.anneal.nn.loss.Loss
import dev.anneal.nn.loss.Losses
import dev.anneal.nn.loss.MSELoss
import dev.anneal.nn.loss.NLLLoss
import dev.anneal.nn.loss.Reduction
import dev.anneal.nn.loss.SmoothL1Loss
import dev.anneal.optim.Optimizer
import dev.anneal.optim.schedule.LRScheduler
import dev.anneal.optim.schedule.ReduceLROnPlateau
import dev.anneal.train.Callback
import dev.anneal.train.ProgressBar
import dev.anneal.train.Tracker
import dev.anneal.train.Trainer
import dev.anneal.train.callback.EarlyStopping
import dev.anneal.train.callback.ModelCheckpoint
import java.nio.file.Path
import java.nio.file.Paths

// ------------------------------------------------------------------ data

/** A [DataLoader] over dataset: `loader(train) { batchSize = 128; shuffle = true; seed = 1 }`. */
fun loader(dataset: Dataset, block: LoaderScope.() -> Unit = {}): DataLoader {
    val s = LoaderScope().apply(block)
    return DataLoader.builder(dataset).batchSize(s.batchSize).shuffle(s.shuffle).dropLast(s.dropLast).seed(s.seed)
        .prefetch(s.prefetch).transform(s.transform).build()
}

/** DataLoader settings; defaults are the runtime's (batch 32, in order, last partial batch kept, seed 0, prefetch 2). */
@AnnealDsl
class LoaderScope internal constructor() {
    var batchSize: Int = 32
    var shuffle: Boolean = false
    var dropLast: Boolean = false
    var seed: Long = 0
    var prefetch: Int = 2
    /** Applied to each batch's inputs with a generator seeded from (seed, epoch, batch). */
    var transform: BatchTransform? = null
}

// ------------------------------------------------------------------ losses (PyTorch's defaults)

/** nn.CrossEntropyLoss. */
fun crossEntropy(
    weight: Tensor? = null,
    ignoreIndex: Int = Losses.IGNORE_INDEX,
    reduction: String = "mean",
    labelSmoothing: Double = 0.0,
): CrossEntropyLoss = CrossEntropyLoss(weight, ignoreIndex, Reduction.of(reduction), labelSmoothing.toFloat())

/** nn.NLLLoss. */
fun nllLoss(weight: Tensor? = null, ignoreIndex: Int = Losses.IGNORE_INDEX, reduction: String = "mean"): NLLLoss =
    NLLLoss(weight, ignoreIndex, Reduction.of(reduction))

/** nn.MSELoss. */
fun mseLoss(reduction: String = "mean"): MSELoss = MSELoss(reduction)

/** nn.L1Loss. */
fun l1Loss(reduction: String = "mean"): L1Loss = L1Loss(reduction)

/** nn.SmoothL1Loss. */
fun smoothL1Loss(reduction: String = "mean", beta: Double = 1.0): SmoothL1Loss = SmoothL1Loss(Reduction.of(reduction), beta.toFloat())

/** nn.HuberLoss. */
fun huberLoss(reduction: String = "mean", delta: Double = 1.0): HuberLoss = HuberLoss(Reduction.of(reduction), delta.toFloat())

/** nn.BCELoss. */
fun bceLoss(weight: Tensor? = null, reduction: String = "mean"): BCELoss = BCELoss(weight, Reduction.of(reduction))

/** nn.BCEWithLogitsLoss. */
fun bceWithLogitsLoss(weight: Tensor? = null, posWeight: Tensor? = null, reduction: String = "mean"): BCEWithLogitsLoss =
    BCEWithLogitsLoss(weight, posWeight, Reduction.of(reduction))

// ------------------------------------------------------------------ training

/** Settings every [fit] starts from; a notebook integration can add its live-plot callback here. */
object FitDefaults {
    /** Whether fit prints a progress line unless told otherwise. */
    @JvmStatic var progress: Boolean = true

    /** Factories of callbacks added to every fit (after the fit's own), one fresh callback per fit. */
    @JvmStatic val callbacks: MutableList<() -> Callback> = ArrayList()
}

/**
 * Trains model on train, evaluating on valid after every epoch, with the settings of block; returns
 * [Trainer.Result]. `fit(model, train, valid) { epochs = 10; optimizer = adamW(lr = 1e-3); schedule { cosine() } }`.
 */
fun fit(model: Module, train: DataLoader, valid: DataLoader? = null, block: FitScope.() -> Unit): Trainer.Result =
    trainer(model, train, block).fit(train, valid)

/** The [Trainer] fit would run (for evaluate/predict after training, or fit with resume arguments). */
fun trainer(model: Module, train: DataLoader? = null, block: FitScope.() -> Unit): Trainer =
    FitScope(model, train).apply(block).build()

/** The settings of a training run; unset ones are the runtime Trainer's defaults. */
@AnnealDsl
class FitScope internal constructor(override val model: Module, private val train: DataLoader?) : FitOptimizers() {
    var epochs: Int = 1

    /** Required: e.g. `optimizer = adamW(lr = 1e-3)` (the builders here take the model being fitted). */
    var optimizer: Optimizer? = null

    /** A scheduler built by hand; stepped every [scheduleEvery]. */
    var schedule: LRScheduler? = null

    /** When [schedule] steps: after every optimizer step (BATCH, the default here) or every epoch. */
    var scheduleEvery: Trainer.Every = Trainer.Every.BATCH

    var loss: Loss = CrossEntropyLoss()

    /** Max global gradient 2-norm before each optimizer step; null for none. */
    var clipGradNorm: Double? = null

    /** Max absolute gradient element before each optimizer step; null for none. */
    var clipGradValue: Double? = null

    /** Batches whose gradients are summed (each loss divided by it) per optimizer step. */
    var accumulate: Int = 1

    /** Extra callbacks, run in order before early stopping and checkpoints. */
    val callbacks: MutableList<Callback> = ArrayList()

    /** Print a progress line per epoch (on stdout). */
    var progress: Boolean = FitDefaults.progress

    /** A custom progress bar; overrides [progress]. */
    var progressBar: ProgressBar? = null

    var tracker: Tracker? = null

    /** Also report top-k validation accuracy (0: off). */
    var topK: Int = 0

    /** Settings added by extensions of this scope (e.g. distillFrom in Compression.kt), applied to the Trainer.Builder. */
    internal val builderSteps: MutableList<(Trainer.Builder) -> Unit> = ArrayList()

    private var scheduleBlock: ScheduleScope.() -> Unit = {}
    private var scheduleDeferred = false
    private var plateauFactory: ((Optimizer) -> ReduceLROnPlateau)? = null
    private var plateauMonitor = "val_loss"
    private var early: EarlyStopping? = null
    private var checkpointDir: Path? = null
    private var checkpointMonitor: String? = null

    /**
     * An lr schedule over the whole run, built on the optimizer when fit starts: with every = BATCH, totalSteps is
     * epochs × optimizer steps per epoch; with EPOCH, epochs.
     */
    fun schedule(every: Trainer.Every = Trainer.Every.BATCH, block: ScheduleScope.() -> Unit) {
        scheduleEvery = every
        scheduleBlock = block
        scheduleDeferred = true
    }

    /** ReduceLROnPlateau on an epoch metric (default "val_loss"), PyTorch's defaults otherwise. */
    fun reduceOnPlateau(
        monitor: String = "val_loss",
        mode: String = if (monitor.contains("acc")) "max" else "min",
        factor: Double = 0.1,
        patience: Int = 10,
        threshold: Double = 1e-4,
        thresholdMode: String = "rel",
        cooldown: Int = 0,
        minLr: Double = 0.0,
        eps: Double = 1e-8,
    ) {
        plateauMonitor = monitor
        plateauFactory = { dev.anneal.dsl.reduceOnPlateau(it, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps) }
    }

    /** Stops when the monitored metric stops improving (Keras' EarlyStopping). */
    fun earlyStopping(block: EarlyStoppingScope.() -> Unit = {}) {
        early = EarlyStoppingScope().apply(block).build()
    }

    /** Saves last.safetensors every epoch and best.safetensors when monitor improves (null: last only) into dir. */
    fun checkpoint(dir: Path, monitor: String? = "val_loss") {
        checkpointDir = dir
        checkpointMonitor = monitor
    }

    fun checkpoint(dir: String, monitor: String? = "val_loss") = checkpoint(Paths.get(dir), monitor)

    /** Optimizer steps per epoch as the Trainer takes them (a partial accumulation at the end steps too). */
    private fun stepsPerEpoch(): Int {
        val t = train ?: throw IllegalStateException("fit: schedule { } per batch needs the training loader to count steps")
        return (t.numBatches() + accumulate - 1) / accumulate
    }

    internal fun build(): Trainer {
        val opt = optimizer ?: throw IllegalStateException("fit: no optimizer; set one, e.g. optimizer = adamW(lr = 1e-3)")
        check(!(scheduleDeferred && schedule != null)) { "fit: give either schedule = ... or schedule { }, not both" }
        val sched = if (scheduleDeferred) {
            val total = epochs * (if (scheduleEvery == Trainer.Every.BATCH) stepsPerEpoch() else 1)
            schedule(opt, total, scheduleBlock)
        } else schedule
        val b = Trainer.builder(model, opt) { out, target -> loss.apply(out, target) }.epochs(epochs).accumulate(accumulate)
        if (sched != null) b.scheduler(sched, scheduleEvery)
        plateauFactory?.let { b.plateau(it(opt), plateauMonitor) }
        clipGradNorm?.let { b.clipGradNorm(it) }
        clipGradValue?.let { b.clipGradValue(it) }
        builderSteps.forEach { it(b) }
        keepPrunedIn(model, b)
        callbacks.forEach { b.callback(it) }
        checkpointDir?.let {
            val mode = if (checkpointMonitor?.contains("acc") == true) EarlyStopping.Mode.MAX else EarlyStopping.Mode.MIN
            b.callback(ModelCheckpoint(it, checkpointMonitor, mode, sched))
        }
        early?.let { b.callback(it) }
        FitDefaults.callbacks.forEach { b.callback(it()) }
        when {
            progressBar != null -> b.progress(progressBar)
            progress -> b.progress(System.out)
            else -> b.progress(null as ProgressBar?)
        }
        tracker?.let { b.tracker(it) }
        if (topK > 0) b.topK(topK)
        return b.build()
    }
}

/** EarlyStopping settings; defaults are Keras' (patience 0, no restore), mode "max" for accuracies, else "min". */
@AnnealDsl
class EarlyStoppingScope internal constructor() {
    var monitor: String = "val_loss"
    /** "min", "max", or null: "max" when the monitor names an accuracy. */
    var mode: String? = null
    var patience: Int = 0
    var minDelta: Double = 0.0
    var restoreBest: Boolean = false
    var startEpoch: Int = 0

    internal fun build(): EarlyStopping {
        val m = when (mode ?: if (monitor.contains("acc")) "max" else "min") {
            "min" -> EarlyStopping.Mode.MIN
            "max" -> EarlyStopping.Mode.MAX
            else -> throw IllegalArgumentException("earlyStopping: mode must be \"min\" or \"max\", got \"$mode\"")
        }
        return EarlyStopping(monitor, m, patience, minDelta, restoreBest, startEpoch)
    }
}
