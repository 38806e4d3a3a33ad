package dev.anneal.jupyter

import dev.anneal.plot.TrainingCurves
import dev.anneal.train.Callback
import dev.anneal.train.Trainer
import dev.anneal.train.TrainingContext
import org.jetbrains.kotlinx.jupyter.api.MimeTypedResult
import java.io.PrintStream
import java.util.Locale
import java.util.UUID

/**
 * A training [Callback] for notebooks: one progress line and one figure of the loss, accuracy and
 * learning-rate curves, both redrawn in place (display-id updates) while [dev.anneal.train.Trainer.fit]
 * runs. The progress line refreshes at most every [progressSeconds]; the figure after every epoch (at
 * most every [plotSeconds], and mid-epoch too when an epoch takes longer than that) and always at the
 * end, so the final curves are what stays in the saved notebook. Outside a notebook it does nothing.
 */
class LiveCurves @JvmOverloads constructor(
    private val title: String = "",
    private val plotSeconds: Double = 3.0,
    private val progressSeconds: Double = 1.0,
) : Callback {
    private val id = "anneal-live-" + UUID.randomUUID()
    private val progressId = "$id-progress"
    private val plotId = "$id-plot"
    private var start = 0L
    private var lastPlot = 0L
    private var lastProgress = 0L
    private var epochStart = 0L
    private var lossSum = 0.0
    private var accSum = 0.0
    private var batches = 0
    private var plotShown = false

    override fun onTrainBegin(ctx: TrainingContext) {
        start = System.nanoTime()
        lastPlot = start
        lastProgress = start
        plotShown = false
        NotebookDisplay.show(progress("starting", ctx), progressId)
    }

    override fun onEpochBegin(ctx: TrainingContext, epoch: Int) {
        epochStart = System.nanoTime()
        lossSum = 0.0
        accSum = 0.0
        batches = 0
    }

    override fun onBatchEnd(ctx: TrainingContext, batch: Int, logs: Map<String, Double>) {
        batches++
        lossSum += logs["loss"] ?: Double.NaN
        accSum += logs["accuracy"] ?: Double.NaN
        val now = System.nanoTime()
        if (seconds(now - lastProgress) >= progressSeconds) {
            lastProgress = now
            val rate = batches / seconds(now - epochStart).coerceAtLeast(1e-9)
            NotebookDisplay.update(progress(String.format(Locale.ROOT,
                "batch %d  loss %.4f  acc %.4f  %.1f batch/s", batches, lossSum / batches, accSum / batches, rate), ctx), progressId)
        }
        if (seconds(now - lastPlot) >= plotSeconds * 5 && ctx.history().steps("loss").size > 1) drawPlot(ctx, now)
    }

    override fun onEpochEnd(ctx: TrainingContext, epoch: Int, logs: Map<String, Double>) {
        val now = System.nanoTime()
        NotebookDisplay.update(progress(epochLine(epoch, logs), ctx), progressId)
        lastProgress = now
        if (!plotShown || seconds(now - lastPlot) >= plotSeconds) drawPlot(ctx, now)
    }

    override fun onTrainEnd(ctx: TrainingContext) {
        val h = ctx.history()
        val line = String.format(Locale.ROOT, "done: %d epochs in %.1f s", h.epochCount(), seconds(System.nanoTime() - start)) +
            (ctx.stopReason()?.let { " (stopped: $it)" } ?: "") +
            h.epochMetrics().joinToString("", "  ") { m -> String.format(Locale.ROOT, "  %s %.4f", m, h.last(m)) }
        NotebookDisplay.update(text(line), progressId)
        if (h.epochCount() > 0 || h.steps("loss").size > 1) drawPlot(ctx, System.nanoTime())
    }

    private fun drawPlot(ctx: TrainingContext, now: Long) {
        lastPlot = now
        val svg = MimeTypedResult(mapOf("image/svg+xml" to TrainingCurves.svg(TrainingCurves.figure(ctx.history(), title)),
            "text/plain" to "training curves"))
        if (plotShown) NotebookDisplay.update(svg, plotId) else NotebookDisplay.show(svg, plotId)
        plotShown = true
    }

    private fun progress(what: String, ctx: TrainingContext): MimeTypedResult =
        text(String.format(Locale.ROOT, "epoch %d  %s  (%.0f s)", ctx.epoch() + 1, what, seconds(System.nanoTime() - start)))

    private fun epochLine(epoch: Int, logs: Map<String, Double>): String =
        "epoch ${epoch + 1} done:" + logs.entries.joinToString("") { (k, v) -> String.format(Locale.ROOT, "  %s %.4g", k, v) }

    private fun text(s: String) = MimeTypedResult(mapOf("text/plain" to s))

    private fun seconds(nanos: Long) = nanos / 1e9
}

/** Adds [LiveCurves] to a trainer and turns its text progress bar off (the live display shows progress). */
@JvmOverloads
fun Trainer.Builder.liveCurves(title: String = "", plotSeconds: Double = 3.0): Trainer.Builder =
    callback(LiveCurves(title, plotSeconds)).progress(null as PrintStream?)

/** The live-curves callback, for `callback(liveCurves())` in a notebook. */
@JvmOverloads
fun liveCurves(title: String = "", plotSeconds: Double = 3.0): LiveCurves = LiveCurves(title, plotSeconds)
