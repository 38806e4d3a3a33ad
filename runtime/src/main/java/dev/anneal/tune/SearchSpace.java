package dev.anneal.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A declared search space: named distributions in order, each optionally active only when an
 * earlier parameter takes one of some values (e.g. "momentum" only if "optimizer" is "sgd").
 * {@link #suggest} draws it through a trial (so any sampler works); {@link #grid} lists every
 * distinct configuration for a {@link GridSampler}.
 */
public final class SearchSpace {
    private record Entry(String name, Distribution distribution, String parent, CategoricalDistribution parentValues) {}

    private final List<Entry> entries = new ArrayList<>();

    public SearchSpace() {}

    /** Adds an always-active parameter. */
    public SearchSpace add(String name, Distribution d) {
        return add(name, d, null, null);
    }

    /** Adds a parameter that is active only when the earlier parameter {@code parent} takes one of {@code parentValues}. */
    public SearchSpace add(String name, Distribution d, String parent, List<?> parentValues) {
        if (name == null || name.isEmpty() || d == null) throw new IllegalArgumentException("SearchSpace.add: need a name and a distribution");
        for (Entry e : entries)
            if (e.name.equals(name)) throw new IllegalArgumentException("SearchSpace.add: '" + name + "' is already in the space");
        CategoricalDistribution when = null;
        if (parent != null) {
            if (entries.stream().noneMatch(e -> e.name.equals(parent)))
                throw new IllegalArgumentException("SearchSpace.add: '" + name + "' depends on '" + parent + "', which must be added before it");
            when = new CategoricalDistribution(parentValues);
        }
        entries.add(new Entry(name, d, parent, when));
        return this;
    }

    /** The parameter names in order. */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        for (Entry e : entries) n.add(e.name);
        return n;
    }

    public Distribution distribution(String name) {
        for (Entry e : entries) if (e.name.equals(name)) return e.distribution;
        throw new IllegalArgumentException("SearchSpace: no parameter '" + name + "' among " + names());
    }

    private static boolean active(Entry e, Map<String, Object> chosen) {
        return e.parent == null || (chosen.containsKey(e.parent) && e.parentValues.contains(chosen.get(e.parent)));
    }

    /** Suggests every active parameter on the trial, in order; returns the configuration. */
    public Map<String, Object> suggest(Trial trial) {
        Map<String, Object> chosen = new LinkedHashMap<>();
        for (Entry e : entries) if (active(e, chosen)) chosen.put(e.name, trial.suggest(e.name, e.distribution));
        return chosen;
    }

    /**
     * Every distinct configuration, the last parameter varying fastest; inactive parameters are
     * absent, so conditionals do not repeat points. Floats need a step to be enumerable.
     */
    public List<Map<String, Object>> grid() {
        List<Map<String, Object>> out = new ArrayList<>();
        enumerate(0, new LinkedHashMap<>(), out);
        return Collections.unmodifiableList(out);
    }

    private void enumerate(int i, LinkedHashMap<String, Object> chosen, List<Map<String, Object>> out) {
        if (i == entries.size()) {
            out.add(Collections.unmodifiableMap(new LinkedHashMap<>(chosen)));
            return;
        }
        Entry e = entries.get(i);
        if (!active(e, chosen)) {
            enumerate(i + 1, chosen, out);
            return;
        }
        for (Object v : values(e.name, e.distribution)) {
            chosen.put(e.name, v);
            enumerate(i + 1, chosen, out);
            chosen.remove(e.name);
        }
    }

    static List<Object> values(String name, Distribution d) {
        List<Object> v = new ArrayList<>();
        if (d instanceof CategoricalDistribution c) return new ArrayList<>(c.choices());
        if (d instanceof IntDistribution i) {
            for (long x = i.low(); x <= i.high(); x += i.step()) v.add((int) x);
            return v;
        }
        FloatDistribution f = (FloatDistribution) d;
        if (!f.hasStep())
            throw new IllegalArgumentException("SearchSpace.grid: float '" + name + "' has no step; give it a step or use a categorical of values");
        long k = Math.round((f.high() - f.low()) / f.step());
        for (long j = 0; j <= k; j++) v.add(Math.min(f.high(), f.low() + j * f.step()));
        return v;
    }

    /** Floats uniform in [low, high]. */
    public static FloatDistribution uniform(double low, double high) {
        return new FloatDistribution(low, high, false);
    }

    /** Floats log-uniform in [low, high]. */
    public static FloatDistribution logUniform(double low, double high) {
        return new FloatDistribution(low, high, true);
    }

    /** Floats low, low+step, ... ≤ high. */
    public static FloatDistribution discreteUniform(double low, double high, double step) {
        return new FloatDistribution(low, high, false, step);
    }

    /** Integers low..high. */
    public static IntDistribution intRange(int low, int high) {
        return new IntDistribution(low, high, false, 1);
    }

    /** Integers low, low+step, ... ≤ high. */
    public static IntDistribution intRange(int low, int high, int step) {
        return new IntDistribution(low, high, false, step);
    }

    /** Integers log-uniform in [low, high]. */
    public static IntDistribution logIntRange(int low, int high) {
        return new IntDistribution(low, high, true, 1);
    }

    /** One of the given choices. */
    public static CategoricalDistribution choice(Object... choices) {
        return new CategoricalDistribution(Arrays.asList(choices));
    }
}
