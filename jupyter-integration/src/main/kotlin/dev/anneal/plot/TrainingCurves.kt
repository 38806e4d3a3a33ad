package dev.anneal.plot

import dev.anneal.train.History
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.gggrid
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.awt.plot.PlotSvgExport
import org.jetbrains.letsPlot.intern.toSpec
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleYContinuous
import java.nio.file.Files
import java.nio.file.Path

/**
 * The curves of a run from its [History]: loss (train and validation), accuracy, and learning
 * rate, by epoch and by step, as lets-plot figures or one SVG.
 */
object TrainingCurves {
    /** Loss and accuracy per epoch (train and validation) and lr per step, side by side. */
    @JvmStatic
    fun figure(history: History, title: String = ""): Figure {
        val plots = mutableListOf<Plot>()
        plots += perEpoch(history, listOf("loss", "val_loss"), "loss", title)
        if (history.epochs("accuracy").any { !it.isNaN() }) plots += perEpoch(history, listOf("accuracy", "val_accuracy"), "accuracy", "")
        if (history.steps("lr").isNotEmpty()) plots += perStep(history, "lr", "learning rate")
        return gggrid(plots, ncol = plots.size) + ggsize(330 * plots.size, 300)
    }

    /** One or more epoch metrics as lines against the epoch (1-based). */
    @JvmStatic
    fun perEpoch(history: History, metrics: List<String>, yLabel: String, title: String): Plot {
        val epoch = mutableListOf<Int>()
        val value = mutableListOf<Double>()
        val series = mutableListOf<String>()
        for (m in metrics) history.epochs(m).forEachIndexed { i, v ->
            epoch += i + 1
            value += v
            series += m
        }
        val data = mapOf("epoch" to epoch, "value" to value, "series" to series)
        return letsPlot(data) + geomLine { x = "epoch"; y = "value"; color = "series" } + labs(title = title, x = "epoch", y = yLabel)
    }

    /** A per-step metric (loss, lr) against the optimizer step. */
    @JvmStatic
    fun perStep(history: History, metric: String, yLabel: String): Plot {
        val v = history.steps(metric)
        val data = mapOf("step" to v.indices.map { it + 1 }, "value" to v)
        val plot = letsPlot(data) + geomLine { x = "step"; y = "value" } + labs(x = "step", y = yLabel)
        // a constant series (a fixed lr) has no range of its own: lets-plot would centre a unit-free axis on
        // it and draw the line at what reads as 0, so give it an axis from 0 to twice its value
        val finite = v.filter { it.isFinite() }
        val lo = finite.minOrNull() ?: return plot
        if (lo != finite.max()) return plot
        return plot + scaleYContinuous(limits = if (lo == 0.0) -1.0 to 1.0 else minOf(0.0, 2 * lo) to maxOf(0.0, 2 * lo))
    }

    /** SVG markup of a figure. */
    @JvmStatic
    fun svg(figure: Figure): String = PlotSvgExport.buildSvgImageFromRawSpecs(figure.toSpec())

    /** Writes the run's curves to an SVG file (its folder is created). */
    @JvmStatic
    fun writeSvg(history: History, file: Path, title: String = "") {
        file.parent?.let { Files.createDirectories(it) }
        Files.writeString(file, svg(figure(history, title)))
    }
}
