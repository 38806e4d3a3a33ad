package dev.anneal.tune;

import dev.anneal.tensor.Generator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One evaluation of the objective, seen from inside it (define-by-run, as Optuna's Trial): each
 * suggest call draws a parameter from the study's sampler, so parameters may depend on earlier ones
 * (e.g. "momentum" only when "optimizer" is "sgd"). Asking again for a name returns the same value.
 * A trial is used by the one thread running its objective.
 */
public final class Trial {
    private final int number;
    private final StudyView view;
    private final Sampler sampler;
    private final Pruner pruner;
    private final Generator rng;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private final Map<String, Distribution> distributions = new LinkedHashMap<>();
    private final TreeMap<Integer, Double> intermediate = new TreeMap<>();
    private final Map<String, Object> systemAttrs = new ConcurrentHashMap<>();
    private Map<String, Double> relative = Map.of();
    private Map<String, Distribution> relativeSpace = Map.of();
    private final long startNanos = System.nanoTime();

    Trial(int number, StudyView view, Sampler sampler, Pruner pruner) {
        this.number = number;
        this.view = view;
        this.sampler = sampler;
        this.pruner = pruner;
        this.rng = sampler.trialGenerator(number);
    }

    /** Draws the relative (joint) sample, before the objective runs. */
    void sampleRelative() {
        relativeSpace = sampler.relativeSearchSpace(view);
        relative = relativeSpace.isEmpty() ? Map.of() : sampler.sampleRelative(view, this, relativeSpace);
    }

    /** The trial's number in its study, from 0. */
    public int number() {
        return number;
    }

    /** The generator this trial's sampler draws from; derived from the sampler seed and the trial number. */
    public Generator rng() {
        return rng;
    }

    /** The parameters suggested so far, in order. */
    public synchronized Map<String, Object> params() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A float uniform in [low, high]. */
    public double suggestFloat(String name, double low, double high) {
        return (Double) suggest(name, new FloatDistribution(low, high, false));
    }

    /** A float in [low, high], log-uniform if {@code log}. */
    public double suggestFloat(String name, double low, double high, boolean log) {
        return (Double) suggest(name, new FloatDistribution(low, high, log));
    }

    /** A float from low, low+step, ... ≤ high. */
    public double suggestFloat(String name, double low, double high, double step) {
        return (Double) suggest(name, new FloatDistribution(low, high, false, step));
    }

    /** An integer uniform in [low, high]. */
    public int suggestInt(String name, int low, int high) {
        return (Integer) suggest(name, new IntDistribution(low, high, false, 1));
    }

    /** An integer from low, low+step, ... ≤ high. */
    public int suggestInt(String name, int low, int high, int step) {
        return (Integer) suggest(name, new IntDistribution(low, high, false, step));
    }

    /** An integer in [low, high], log-uniform if {@code log}. */
    public int suggestInt(String name, int low, int high, boolean log) {
        return (Integer) suggest(name, new IntDistribution(low, high, log, 1));
    }

    /** One of the choices (the caller's own object is returned). */
    @SuppressWarnings("unchecked")
    public <T> T suggestCategorical(String name, List<T> choices) {
        CategoricalDistribution d = new CategoricalDistribution(choices);
        Object v = suggest(name, d);
        return choices.get(d.indexOf(v));
    }

    /** A value of any distribution; the general form of the suggest methods. */
    public Object suggest(String name, Distribution d) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("Trial.suggest: a parameter needs a name");
        synchronized (this) {
            if (params.containsKey(name)) {
                if (!distributions.get(name).equals(d))
                    throw new IllegalArgumentException("Trial " + number + ": parameter '" + name + "' was suggested from "
                            + distributions.get(name) + " and now from " + d);
                return params.get(name);
            }
        }
        double internal;
        if (d.single()) internal = d.toInternal(d.toExternal(d instanceof CategoricalDistribution ? 0
                : d instanceof FloatDistribution f ? f.low() : ((IntDistribution) d).low()));
        else if (relative.containsKey(name) && d.equals(relativeSpace.get(name))) internal = relative.get(name);
        else internal = sampler.sampleIndependent(view, this, name, d);
        Object value = d.toExternal(internal);
        synchronized (this) {
            params.put(name, value);
            distributions.put(name, d);
        }
        return value;
    }

    /** Records an intermediate objective value at a step (e.g. an epoch); a step already reported is ignored, as in Optuna. */
    public void report(double value, int step) {
        if (step < 0) throw new IllegalArgumentException("Trial.report: step must be non-negative, got " + step);
        synchronized (this) {
            intermediate.putIfAbsent(step, value);
        }
    }

    /** Asks the study's pruner whether this trial should stop; the objective then throws {@link TrialPruned}. */
    public boolean shouldPrune() {
        return pruner.prune(view, snapshot(TrialState.RUNNING, Double.NaN, null));
    }

    /** Pruner bookkeeping kept with the trial (e.g. successive halving's rung values). */
    void setSystemAttr(String key, Object value) {
        systemAttrs.put(key, value);
    }

    synchronized FrozenTrial snapshot(TrialState state, double value, String error) {
        return new FrozenTrial(number, state, value, params, distributions, intermediate, new TreeMap<>(systemAttrs), error,
                (System.nanoTime() - startNanos) / 1e9);
    }
}
