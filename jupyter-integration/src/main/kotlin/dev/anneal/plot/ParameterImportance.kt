package dev.anneal.plot

import dev.anneal.tune.CategoricalDistribution
import dev.anneal.tune.FloatDistribution
import dev.anneal.tune.FrozenTrial
import dev.anneal.tune.IntDistribution
import dev.anneal.tune.TrialState
import kotlin.math.ln
import kotlin.math.max

/**
 * How much of the variation of the objective each parameter explains on its own, from the completed trials.
 *
 * Method (a one-way analysis of variance per parameter, not fANOVA): the trials having the parameter are grouped
 * by its value, by choice for a categorical and into [bins] equal-count bins (on the log scale for log
 * distributions) for a number; the importance is the bias-corrected share of the objective's variance lying
 * between the groups, ε² = (SS_between − (k − 1)·SS_within/(n − k)) / SS_total (clamped at 0; Kelley 1935),
 * and the shares are then scaled to sum to 1. Optuna's default, fANOVA, fits a random forest and splits its
 * variance into main effects; this estimates the same main effects directly from the binned means, needs no
 * model, and is exact enough for the tens of trials a notebook study has. Like fANOVA's main effects it ignores
 * interactions, and with few trials per bin it is noisy (ε² rather than η² keeps many bins from looking important
 * by chance).
 */
object ParameterImportance {
    /**
     * Parameter → importance (≥ 0, summing to 1 unless all are 0), most important first, for the value each trial
     * gets from [value] (default: a COMPLETE trial's value; trials with a non-finite value are left out). E.g.
     * `{ it.intermediateValues()[0] ?: Double.NaN }` uses the first epoch's value, which pruned trials have too.
     */
    @JvmStatic
    @JvmOverloads
    fun of(trials: List<FrozenTrial>, bins: Int = 4, value: (FrozenTrial) -> Double = ::completedValue): LinkedHashMap<String, Double> {
        require(bins >= 2) { "ParameterImportance: bins must be at least 2, got $bins" }
        // by position, not trial number: trials pooled from several studies share numbers
        val done = trials.map { it to value(it) }.filter { it.second.isFinite() }
        val names = LinkedHashSet<String>()
        done.forEach { names.addAll(it.first.params().keys) }
        val raw = LinkedHashMap<String, Double>()
        for (name in names) {
            val having = done.filter { it.first.params().containsKey(name) }
            raw[name] = explainedShare(having.map { it.first }, having.map { it.second }, name, bins)
        }
        val total = raw.values.sum()
        val out = LinkedHashMap<String, Double>()
        raw.entries.sortedByDescending { it.value }.forEach { out[it.key] = if (total > 0) it.value / total else 0.0 }
        return out
    }

    /** The group (bin index or categorical choice) of each trial's value of name. */
    @JvmStatic
    fun groups(trials: List<FrozenTrial>, name: String, bins: Int): List<Int> {
        if (trials.isEmpty()) return emptyList()
        val d = trials.last().distributions()[name]
        if (d is CategoricalDistribution) return trials.map { d.indexOf(it.params()[name]) }
        val log = (d is FloatDistribution && d.log()) || (d is IntDistribution && d.log())
        val x = trials.map { (it.params()[name] as Number).toDouble().let { v -> if (log) ln(v) else v } }
        val distinct = x.distinct().sorted()
        val k = minOf(bins, distinct.size, max(1, trials.size / 2))
        if (distinct.size <= k) return x.map { distinct.indexOf(it) }
        // equal-count bins: a value's bin is its rank's k-quantile; equal values share a bin
        val sorted = x.sorted()
        val firstRank = HashMap<Double, Int>()
        sorted.forEachIndexed { i, v -> firstRank.putIfAbsent(v, i) }
        return x.map { v -> firstRank.getValue(v) * k / sorted.size }
    }

    /** A COMPLETE trial's value, NaN for the others. */
    @JvmStatic
    fun completedValue(t: FrozenTrial): Double = if (t.state() == TrialState.COMPLETE) t.value() else Double.NaN

    private fun explainedShare(trials: List<FrozenTrial>, y: List<Double>, name: String, bins: Int): Double {
        val n = trials.size
        if (n < 3) return 0.0
        val g = groups(trials, name, bins)
        val k = g.distinct().size
        if (k < 2 || n <= k) return 0.0
        val mean = y.average()
        val sst = y.sumOf { (it - mean) * (it - mean) }
        if (sst == 0.0) return 0.0
        var ssb = 0.0
        for (group in g.distinct()) {
            val members = y.filterIndexed { i, _ -> g[i] == group }
            val m = members.average()
            ssb += members.size * (m - mean) * (m - mean)
        }
        val ssw = sst - ssb
        return max(0.0, (ssb - (k - 1) * ssw / (n - k)) / sst)
    }
}
