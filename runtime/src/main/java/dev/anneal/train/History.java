package dev.anneal.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run recorded: one value per step and per epoch for each named metric ("loss", "val_accuracy", "lr"...). */
public final class History {
    private final Map<String, List<Double>> perStep = new LinkedHashMap<>();
    private final Map<String, List<Double>> perEpoch = new LinkedHashMap<>();

    public void recordStep(String name, double v) {
        perStep.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
    }

    public void recordEpoch(String name, double v) {
        perEpoch.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
    }

    /** Values of a per-step metric, oldest first (empty if never recorded). */
    public List<Double> steps(String name) {
        return Collections.unmodifiableList(perStep.getOrDefault(name, List.of()));
    }

    public List<Double> epochs(String name) {
        return Collections.unmodifiableList(perEpoch.getOrDefault(name, List.of()));
    }

    public java.util.Set<String> stepMetrics() {
        return Collections.unmodifiableSet(perStep.keySet());
    }

    public java.util.Set<String> epochMetrics() {
        return Collections.unmodifiableSet(perEpoch.keySet());
    }

    /** The last epoch value of a metric, or NaN. */
    public double last(String name) {
        List<Double> v = perEpoch.get(name);
        return v == null || v.isEmpty() ? Double.NaN : v.get(v.size() - 1);
    }

    public int epochCount() {
        int n = 0;
        for (List<Double> v : perEpoch.values()) n = Math.max(n, v.size());
        return n;
    }
}
