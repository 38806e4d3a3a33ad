package dev.anneal.jupyter

import dev.anneal.plot.ParameterImportance
import dev.anneal.plot.StudyPlots
import dev.anneal.plot.TrainingCurves
import dev.anneal.tune.Direction
import dev.anneal.tune.NopPruner
import dev.anneal.tune.PercentilePruner
import dev.anneal.tune.RandomSampler
import dev.anneal.tune.Study
import dev.anneal.tune.TrialPruned
import dev.anneal.tune.TrialState
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import kotlin.math.log10

class StudyPlotsTest {
    /** value = 10·(x − 0.5)² is decided by x alone; "noise" and "colour" do not enter it. */
    private fun study(direction: Direction = Direction.MINIMIZE, trials: Int = 40): Study {
        val s = Study.builder().direction(direction).sampler(RandomSampler(5)).pruner(NopPruner()).build()
        s.optimize({ t ->
            val x = t.suggestFloat("x", 0.0, 1.0)
            t.suggestFloat("noise", 1e-3, 1.0, true)
            t.suggestCategorical("colour", listOf("red", "green", "blue"))
            if (t.number() == 3) error("failed on purpose")
            10 * (x - 0.5) * (x - 0.5)
        }, trials)
        return s
    }

    @Test
    fun theParameterThatDecidesTheValueRanksFirst() {
        val imp = ParameterImportance.of(study().trials())
        assertEquals(listOf("x", "noise", "colour").toSet(), imp.keys)
        assertEquals("x", imp.keys.first())
        assertTrue(imp.getValue("x") > 0.8, "x explains ${imp.getValue("x")}")
        assertEquals(1.0, imp.values.sum(), 1e-12)
        assertTrue(imp.values.all { it >= 0.0 })
        // two studies pooled (their trial numbers repeat): still x, with the values of both
        val pooled = study().trials() + study(trials = 20).trials()
        val byX = ParameterImportance.of(pooled) { t -> if (t.state() == TrialState.COMPLETE) t.value() else Double.NaN }
        assertEquals("x", byX.keys.first())
        assertEquals(imp.getValue("x"), ParameterImportance.of(study().trials()).getValue("x"))
    }

    @Test
    fun aCategoricalThatDecidesTheValueRanksFirst() {
        val s = Study.builder().sampler(RandomSampler(9)).pruner(NopPruner()).build()
        s.optimize({ t ->
            val c = t.suggestCategorical("optimizer", listOf("sgd", "adam"))
            val lr = t.suggestFloat("lr", 1e-4, 1e-1, true)
            (if (c == "sgd") 1.0 else 0.0) + 1e-3 * log10(lr)
        }, 30)
        val imp = ParameterImportance.of(s.trials())
        assertEquals(listOf("optimizer", "lr"), imp.keys.toList())
        assertTrue(imp.getValue("optimizer") > 0.95, "$imp")
        // log parameters are binned on the log scale: equal counts of trials per bin
        val lrTrials = s.trials()
        val g = ParameterImportance.groups(lrTrials, "lr", 3)
        assertEquals(listOf(10, 10, 10), (0 until 3).map { b -> g.count { it == b } })
    }

    @Test
    fun bestSoFarIsMonotoneAndTheRunningBest() {
        for (direction in Direction.values()) {
            val trials = study(direction).trials()
            val best = StudyPlots.bestSoFar(trials, direction)
            assertEquals(trials.size, best.size)
            var running = Double.NaN
            for ((i, t) in trials.withIndex()) {
                if (t.state() == TrialState.COMPLETE && (running.isNaN() || direction.better(t.value(), running))) running = t.value()
                assertEquals(running, best[i])
                if (i > 0 && !best[i - 1].isNaN())
                    assertTrue(if (direction == Direction.MINIMIZE) best[i] <= best[i - 1] else best[i] >= best[i - 1])
            }
            val s = study(direction)
            assertEquals(s.bestValue(), best.last())
        }
    }

    @Test
    fun historyShowsPrunedTrialsAtTheirLastReportAndSkipsFailedOnes() {
        val s = Study.builder().direction(Direction.MAXIMIZE).sampler(RandomSampler(2)).pruner(PercentilePruner(50.0, 2, 0, 1, 1)).build()
        s.optimize({ t ->
            val q = t.suggestFloat("q", 0.0, 1.0)
            if (t.number() == 1) error("boom")
            for (step in 0 until 4) {
                t.report(q * (step + 1), step)
                if (t.shouldPrune()) throw TrialPruned()
            }
            q * 4
        }, 15)
        val trials = s.trials()
        val (points, line) = StudyPlots.historyData(trials, Direction.MAXIMIZE)
        val pruned = trials.filter { it.state() == TrialState.PRUNED }
        assertTrue(pruned.isNotEmpty())
        assertEquals(trials.size - 1, points.getValue("trial").size, "the failed trial has no point")
        assertTrue(1 !in points.getValue("trial"))
        for (t in pruned) {
            val i = points.getValue("trial").indexOf(t.number())
            assertEquals("pruned", points.getValue("state")[i])
            assertEquals(t.intermediateValues()[t.lastStep()], points.getValue("value")[i])
        }
        assertEquals(s.bestValue(), line.getValue("best").last())
        // importance of the first step's value uses the pruned trials too; q decides it (the only parameter)
        val firstStep = ParameterImportance.of(trials) { it.intermediateValues()[0] ?: Double.NaN }
        assertEquals(mapOf("q" to 1.0), firstStep)
        assertEquals(mapOf("q" to 0.0), ParameterImportance.of(trials.filter { it.state() == TrialState.COMPLETE }.take(2)),
            "fewer than 3 completed trials: no estimate")
        val html = StudyPlots.html(s)
        assertTrue(html.contains("<svg") && html.contains("</svg>"))
        assertEquals(trials.size + 1, Regex("<tr>").findAll(html).count(), "a header row and one row per trial")
        assertTrue(html.contains("${pruned.size} pruned") && html.contains("1 fail"), html.take(300))
        assertTrue(html.contains("best trial ${s.bestTrial().number()}"))
    }

    @Test
    fun comparisonAndParameterPlotsRenderToSvg() {
        val a = study(trials = 12).trials()
        val b = study(Direction.MINIMIZE, 8).trials()
        val svg = TrainingCurves.svg(StudyPlots.compareBestSoFar(mapOf("random A" to a, "random B" to b), Direction.MINIMIZE))
        assertTrue(svg.contains("random A") && svg.contains("random B"), "legend names both studies")
        val params = TrainingCurves.svg(StudyPlots.parameters(a))
        for (name in listOf("noise", "colour", "red", "green", "blue")) assertTrue(params.contains(name), "SVG lacks '$name'")
    }
}
