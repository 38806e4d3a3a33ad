package dev.anneal.jupyter

import dev.anneal.plot.TrainingCurves
import dev.anneal.train.History
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.nio.file.Files

class TrainingCurvesTest {
    private fun history(): History {
        val h = History()
        listOf(1.2, 0.8, 0.6).forEach { h.recordEpoch("loss", it) }
        listOf(1.0, 0.9, 0.85).forEach { h.recordEpoch("val_loss", it) }
        listOf(0.5, 0.7, 0.8).forEach { h.recordEpoch("accuracy", it) }
        listOf(0.55, 0.65, 0.7).forEach { h.recordEpoch("val_accuracy", it) }
        (1..30).forEach { h.recordStep("lr", 0.001 * it / 30) }
        return h
    }

    @Test
    fun svgHasOnePanelPerMetricGroupWithTheirLabels() {
        val svg = TrainingCurves.svg(TrainingCurves.figure(history(), "run"))
        assertTrue(svg.startsWith("<svg"), svg.take(100))
        for (label in listOf("loss", "accuracy", "learning rate", "val_loss", "val_accuracy", "epoch", "step"))
            assertTrue(svg.contains(label), "SVG lacks '$label'")
        // three line geometries: loss, accuracy (two series each) and lr
        assertTrue(Regex("<path").findAll(svg).count() >= 5, "expected line paths in the SVG")
    }

    @Test
    fun aConstantLearningRateGetsAnAxisThatShowsItsValue() {
        val h = History()
        listOf(1.2, 0.8).forEach { h.recordEpoch("loss", it) }
        (1..20).forEach { h.recordStep("lr", 0.002) }
        val svg = TrainingCurves.svg(TrainingCurves.perStep(h, "lr", "learning rate").let { org.jetbrains.letsPlot.gggrid(listOf(it)) })
        val ticks = Regex(">\\s*(-?[0-9.]+(?:e-?[0-9]+)?)\\s*<").findAll(svg).map { it.groupValues[1] }.toList()
        assertTrue(ticks.any { it.toDouble() == 0.002 }, "axis ticks $ticks should include the constant lr 0.002")
        assertTrue(ticks.none { it.toDouble() < 0 }, "axis ticks $ticks should start at 0 for a positive constant")
    }

    @Test
    fun writeSvgCreatesTheFile() {
        val dir = Files.createTempDirectory("curves")
        val f = dir.resolve("sub/curves.svg")
        TrainingCurves.writeSvg(history(), f, "run")
        assertTrue(Files.readString(f).contains("</svg>"))
    }
}
