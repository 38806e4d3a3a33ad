package dev.anneal.plot

import dev.anneal.tune.Direction
import dev.anneal.tune.FloatDistribution
import dev.anneal.tune.FrozenTrial
import dev.anneal.tune.IntDistribution
import dev.anneal.tune.Study
import dev.anneal.tune.TrialState
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.Stat
import org.jetbrains.letsPlot.coord.coordFlip
import org.jetbrains.letsPlot.geom.geomBar
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.geom.geomStep
import org.jetbrains.letsPlot.gggrid
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleXLog10
import org.jetbrains.letsPlot.themes.theme
import java.util.Locale

/**
 * Plots of a hyperparameter study: optimization history (each trial's value and the best so far), parameter
 * importance ([ParameterImportance]), and the objective against each parameter; [html] is what a Study cell shows.
 */
object StudyPlots {
    /** The best COMPLETE value among trials numbered ≤ each trial's number (NaN before the first), in number order. */
    @JvmStatic
    fun bestSoFar(trials: List<FrozenTrial>, direction: Direction): List<Double> {
        var best = Double.NaN
        return trials.sortedBy { it.number() }.map { t ->
            if (t.state() == TrialState.COMPLETE && (best.isNaN() || direction.better(t.value(), best))) best = t.value()
            best
        }
    }

    /** The value a plot shows for a trial: its value, or a pruned trial's last intermediate value; NaN for failed/running. */
    @JvmStatic
    fun shownValue(t: FrozenTrial): Double = when (t.state()) {
        TrialState.COMPLETE -> t.value()
        TrialState.PRUNED -> if (t.lastStep() >= 0) t.intermediateValues()[t.lastStep()]!! else Double.NaN
        else -> Double.NaN
    }

    /** Columns of the history plot: trial, value, state (points) and the best-so-far series (trial, best). */
    @JvmStatic
    fun historyData(trials: List<FrozenTrial>, direction: Direction): Pair<Map<String, List<Any>>, Map<String, List<Any>>> {
        val sorted = trials.sortedBy { it.number() }
        val points = sorted.filter { shownValue(it).isFinite() }
        val best = bestSoFar(sorted, direction)
        val line = sorted.indices.filter { best[it].isFinite() }
        return mapOf<String, List<Any>>(
            "trial" to points.map { it.number() },
            "value" to points.map { shownValue(it) },
            "state" to points.map { it.state().name.lowercase() },
        ) to mapOf<String, List<Any>>("trial" to line.map { sorted[it].number() }, "best" to line.map { best[it] })
    }

    /** Each trial's value (pruned ones at their last report) and the best-so-far line. */
    @JvmStatic
    @JvmOverloads
    fun history(trials: List<FrozenTrial>, direction: Direction, title: String = "Optimization history"): Plot {
        val (points, line) = historyData(trials, direction)
        return letsPlot() + geomPoint(data = points, size = 2.5, alpha = 0.8) { x = "trial"; y = "value"; color = "state" } +
            geomStep(data = line, size = 1.0, color = "black") { x = "trial"; y = "best" } +
            labs(title = title, x = "trial", y = "objective (line: best so far)")
    }

    /** Best-so-far curves of several studies (e.g. samplers) against the trial count, in one plot. */
    @JvmStatic
    @JvmOverloads
    fun compareBestSoFar(studies: Map<String, List<FrozenTrial>>, direction: Direction, title: String = "Best value so far"): Plot {
        val trial = ArrayList<Any>()
        val best = ArrayList<Any>()
        val name = ArrayList<Any>()
        for ((label, trials) in studies) bestSoFar(trials, direction).forEachIndexed { i, b ->
            if (b.isFinite()) {
                trial += i + 1
                best += b
                name += label
            }
        }
        return letsPlot(mapOf("trials" to trial, "best" to best, "study" to name)) +
            geomStep(size = 1.0) { x = "trials"; y = "best"; color = "study" } + labs(title = title, x = "trials run", y = "best objective so far")
    }

    /** [ParameterImportance] as horizontal bars. */
    @JvmStatic
    @JvmOverloads
    fun importance(
        trials: List<FrozenTrial>,
        title: String = "Parameter importance",
        value: (FrozenTrial) -> Double = ParameterImportance::completedValue,
    ): Plot {
        val imp = ParameterImportance.of(trials, 4, value)
        val names = imp.keys.toList().reversed() // most important on top after the flip
        val n = trials.count { value(it).isFinite() }
        return letsPlot(mapOf("parameter" to names, "importance" to names.map { imp.getValue(it) })) +
            geomBar(stat = Stat.identity, fill = "#377eb8") { x = "parameter"; y = "importance" } + coordFlip() +
            labs(title = "$title ($n trials)", x = "", y = "share of explained variance (ε²)")
    }

    /** The objective against one parameter (log axis for log distributions), coloured by trial number, shaped by state. */
    @JvmStatic
    @JvmOverloads
    fun parameter(trials: List<FrozenTrial>, name: String, legend: Boolean = true): Plot {
        val having = trials.filter { it.params().containsKey(name) && shownValue(it).isFinite() }
        val values = having.map { it.params()[name] ?: "null" }
        val data = mapOf("x" to values, "value" to having.map { shownValue(it) }, "trial" to having.map { it.number() },
            "state" to having.map { it.state().name.lowercase() })
        val d = having.lastOrNull()?.distributions()?.get(name)
        val log = (d is FloatDistribution && d.log()) || (d is IntDistribution && d.log())
        var p = letsPlot(data) + geomPoint(size = 2.5, alpha = 0.8) { x = "x"; y = "value"; color = "trial"; shape = "state" } +
            labs(x = name, y = "objective")
        if (log) p += scaleXLog10(format = ".0e")
        if (!legend) p += theme().legendPositionNone()
        return p
    }

    /** One [parameter] plot per parameter (all of them by default), in a grid of up to 3 per row. */
    @JvmStatic
    @JvmOverloads
    fun parameters(trials: List<FrozenTrial>, names: List<String> = parameterNames(trials)): Figure {
        require(names.isNotEmpty()) { "StudyPlots.parameters: the trials have no parameters" }
        val cols = minOf(3, names.size)
        val rows = (names.size + cols - 1) / cols
        // one legend (on the last panel) for all: the encodings are the same
        return gggrid(names.mapIndexed { i, n -> parameter(trials, n, legend = i == names.size - 1) }, ncol = cols) +
            ggsize(300 * cols, 260 * rows)
    }

    /** Every parameter name, in first-seen order. */
    @JvmStatic
    fun parameterNames(trials: List<FrozenTrial>): List<String> {
        val s = LinkedHashSet<String>()
        trials.forEach { s.addAll(it.params().keys) }
        return s.toList()
    }

    /** History and importance side by side. */
    @JvmStatic
    @JvmOverloads
    fun figure(trials: List<FrozenTrial>, direction: Direction, title: String = "Optimization history"): Figure {
        val plots = mutableListOf(history(trials, direction, title))
        if (trials.any { it.state() == TrialState.COMPLETE } && parameterNames(trials).isNotEmpty()) plots += importance(trials)
        return gggrid(plots, ncol = plots.size) + ggsize(420 * plots.size, 320)
    }

    /** A study cell's output: a summary line, the history/importance figure (SVG) and a table of the trials. */
    @JvmStatic
    fun html(study: Study): String {
        val trials = study.trials()
        val counts = TrialState.values().filter { s -> trials.any { it.state() == s } }
            .joinToString(", ") { s -> "${trials.count { it.state() == s }} ${s.name.lowercase()}" }
        val best = trials.filter { it.state() == TrialState.COMPLETE }.let { if (it.isEmpty()) null else study.bestTrial() }
        return buildString {
            append("<div><p><b>Study '").append(escape(study.name())).append("'</b> (").append(study.direction().name.lowercase())
                .append("): ").append(trials.size).append(" trials").append(if (counts.isEmpty()) "" else " ($counts)")
            if (best != null) append("; best trial ").append(best.number()).append(": ").append(fmt(best.value())).append(' ')
                .append(escape(best.params().toString()))
            append("</p>")
            if (trials.isNotEmpty()) append(TrainingCurves.svg(figure(trials, study.direction())))
            append(table(trials)).append("</div>")
        }
    }

    /** The trials as an HTML table: number, state, value, duration, one column per parameter. */
    @JvmStatic
    fun table(trials: List<FrozenTrial>): String {
        val names = parameterNames(trials)
        return buildString {
            append("<table><thead><tr><th>trial</th><th>state</th><th>value</th><th>last step</th><th>seconds</th>")
            names.forEach { append("<th>").append(escape(it)).append("</th>") }
            append("</tr></thead><tbody>")
            for (t in trials.sortedBy { it.number() }) {
                append("<tr><td>").append(t.number()).append("</td><td>").append(t.state().name.lowercase()).append("</td><td>")
                    .append(fmt(shownValue(t))).append("</td><td>").append(if (t.lastStep() >= 0) t.lastStep().toString() else "")
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.1f", t.durationSeconds())).append("</td>")
                names.forEach { n ->
                    append("<td>").append(if (t.params().containsKey(n)) escape(value(t.params()[n])) else "").append("</td>")
                }
                append("</tr>")
            }
            append("</tbody></table>")
        }
    }

    private fun value(v: Any?): String = if (v is Double) String.format(Locale.ROOT, "%.4g", v) else v.toString()

    private fun fmt(v: Double) = if (v.isNaN()) "" else String.format(Locale.ROOT, "%.5g", v)

    private fun escape(s: String) = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
}
