package dev.anneal.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A hand-scripted study for pruner and sampler tests: trials with given states, values and intermediate values. */
final class FakeStudy implements StudyView {
    final Direction direction;
    final Map<Integer, TrialState> states = new TreeMap<>();
    final Map<Integer, Double> values = new TreeMap<>();
    final Map<Integer, TreeMap<Integer, Double>> reports = new TreeMap<>();
    final Map<Integer, Map<String, Object>> attrs = new TreeMap<>();
    final Map<Integer, Map<String, Object>> params = new TreeMap<>();
    final Map<Integer, Map<String, Distribution>> dists = new TreeMap<>();
    int deciding = -1;

    FakeStudy(Direction direction) {
        this.direction = direction;
    }

    /** A COMPLETE trial whose intermediate values are at steps 0, 1, ...; its value is the last one. */
    FakeStudy complete(int number, double... steps) {
        for (int s = 0; s < steps.length; s++) report(number, s, steps[s]);
        states.put(number, TrialState.COMPLETE);
        values.put(number, steps.length == 0 ? Double.NaN : steps[steps.length - 1]);
        return this;
    }

    FakeStudy complete(int number, double value, Map<String, Object> p, Map<String, Distribution> d) {
        states.put(number, TrialState.COMPLETE);
        values.put(number, value);
        params.put(number, p);
        dists.put(number, d);
        return this;
    }

    FakeStudy pruned(int number, double... steps) {
        for (int s = 0; s < steps.length; s++) report(number, s, steps[s]);
        states.put(number, TrialState.PRUNED);
        values.put(number, Double.NaN);
        return this;
    }

    void report(int number, int step, double v) {
        states.putIfAbsent(number, TrialState.RUNNING);
        reports.computeIfAbsent(number, k -> new TreeMap<>()).put(step, v);
    }

    FrozenTrial frozen(int n) {
        return new FrozenTrial(n, states.get(n), values.getOrDefault(n, Double.NaN), params.getOrDefault(n, Map.of()),
                dists.getOrDefault(n, Map.of()), reports.getOrDefault(n, new TreeMap<>()),
                attrs.getOrDefault(n, new LinkedHashMap<>()), null, 0);
    }

    /** Reports a value for a running trial and asks the pruner. */
    boolean reportAndAsk(Pruner p, int number, int step, double v) {
        report(number, step, v);
        deciding = number;
        try {
            return p.prune(this, frozen(number));
        } finally {
            deciding = -1;
        }
    }

    @Override
    public String name() {
        return "study";
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public List<FrozenTrial> trials() {
        List<FrozenTrial> out = new ArrayList<>();
        for (int n : states.keySet()) if (n != deciding) out.add(frozen(n));
        return out;
    }

    @Override
    public void setSystemAttr(int trialNumber, String key, Object value) {
        attrs.computeIfAbsent(trialNumber, k -> new LinkedHashMap<>()).put(key, value);
    }
}
