package dev.anneal.tune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a fixed list of configurations, trial n taking configuration n, so a study of the grid's
 * size covers every point exactly once in a stable order (the last parameter varying fastest) and
 * stops there. Unlike Optuna's GridSampler the order is not shuffled and a failed point is not retried.
 */
public final class GridSampler implements Sampler {
    private final List<Map<String, Object>> points;

    /** The product of the value lists, in map order (use a LinkedHashMap). */
    public GridSampler(Map<String, ? extends List<?>> grid) {
        if (grid.isEmpty()) throw new IllegalArgumentException("GridSampler: the grid has no parameters");
        List<Map<String, Object>> p = new ArrayList<>();
        p.add(new LinkedHashMap<>());
        for (Map.Entry<String, ? extends List<?>> e : grid.entrySet()) {
            if (e.getValue().isEmpty()) throw new IllegalArgumentException("GridSampler: parameter '" + e.getKey() + "' has no values");
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> base : p)
                for (Object v : e.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(base);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            p = next;
        }
        this.points = freeze(p);
    }

    private GridSampler(List<Map<String, Object>> points, boolean unused) {
        this.points = freeze(points);
    }

    /** Every distinct configuration of a declared space (see {@link SearchSpace#grid}). */
    public static GridSampler of(SearchSpace space) {
        return new GridSampler(space.grid(), true);
    }

    private static List<Map<String, Object>> freeze(List<Map<String, Object>> p) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : p) out.add(Collections.unmodifiableMap(new LinkedHashMap<>(m)));
        return Collections.unmodifiableList(out);
    }

    /** The configurations in trial order. */
    public List<Map<String, Object>> points() {
        return points;
    }

    @Override
    public double sampleIndependent(StudyView study, Trial trial, String name, Distribution d) {
        if (trial.number() >= points.size())
            throw new IllegalStateException("GridSampler: trial " + trial.number() + " is beyond the grid of " + points.size() + " points");
        Map<String, Object> p = points.get(trial.number());
        if (!p.containsKey(name))
            throw new IllegalStateException("GridSampler: parameter '" + name + "' is not in grid point " + trial.number() + " " + p);
        Object v = p.get(name);
        if (!d.contains(v)) throw new IllegalStateException("GridSampler: grid value " + v + " of '" + name + "' is outside " + d);
        return d.toInternal(v);
    }

    @Override
    public int maxTrials() {
        return points.size();
    }

    @Override
    public String describe() {
        return "GridSampler(" + points.size() + " points)";
    }
}
