package dev.anneal.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A snapshot of one trial: its number, state, value (NaN unless COMPLETE, or PRUNED with a last
 * intermediate value), parameters with their distributions, intermediate values by step, pruner
 * bookkeeping (systemAttrs), the error of a failed trial, and its wall-clock duration.
 */
public record FrozenTrial(
        int number,
        TrialState state,
        double value,
        Map<String, Object> params,
        Map<String, Distribution> distributions,
        SortedMap<Integer, Double> intermediateValues,
        Map<String, Object> systemAttrs,
        String error,
        double durationSeconds) {

    public FrozenTrial {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        distributions = Collections.unmodifiableMap(new LinkedHashMap<>(distributions));
        intermediateValues = Collections.unmodifiableSortedMap(new TreeMap<>(intermediateValues));
        systemAttrs = Collections.unmodifiableMap(new LinkedHashMap<>(systemAttrs));
    }

    /** The largest reported step, or -1 if nothing was reported. */
    public int lastStep() {
        return intermediateValues.isEmpty() ? -1 : intermediateValues.lastKey();
    }

    /** True if every name is among the parameters. */
    public boolean hasParams(Iterable<String> names) {
        for (String n : names) if (!params.containsKey(n)) return false;
        return true;
    }

    /** True if the state is one of the given ones. */
    public boolean in(List<TrialState> states) {
        return states.contains(state);
    }
}
