package dev.anneal.tune;

import dev.anneal.tensor.Generator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Tree-structured Parzen Estimator (Bergstra et al., NeurIPS 2011) with Optuna's defaults: after
 * 10 random startup trials, the finished trials are split into the best gamma(n) = min(⌈0.1·n⌉, 25)
 * ("below") and the rest, a Parzen estimator l(x) and g(x) is fit to each, 24 candidates are drawn
 * from l and the one maximizing log l(x) − log g(x) is taken. Univariate by default (one parameter
 * at a time); multivariate draws the parameters every trial shares jointly.
 */
public final class TPESampler implements Sampler {
    private final long seed;
    private final int nStartupTrials;
    private final int nEiCandidates;
    private final IntUnaryOperator gamma;
    private final ParzenEstimator.Params params;

    /** Optuna's defaults with this seed. */
    public TPESampler(long seed) {
        this(builder(seed));
    }

    private TPESampler(Builder b) {
        this.seed = b.seed;
        this.nStartupTrials = b.nStartupTrials;
        this.nEiCandidates = b.nEiCandidates;
        this.gamma = b.gamma;
        this.params = new ParzenEstimator.Params(b.priorWeight, b.magicClip, b.endpoints, b.multivariate);
    }

    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** TPE settings; defaults are Optuna's (10 startup trials, 24 candidates, prior weight 1, magic clip on, endpoints off, univariate). */
    public static final class Builder {
        private final long seed;
        private int nStartupTrials = 10;
        private int nEiCandidates = 24;
        private IntUnaryOperator gamma = TPESampler::defaultGamma;
        private double priorWeight = 1.0;
        private boolean magicClip = true;
        private boolean endpoints = false;
        private boolean multivariate = false;

        private Builder(long seed) {
            this.seed = seed;
        }

        public Builder nStartupTrials(int n) {
            if (n < 0) throw new IllegalArgumentException("TPESampler: nStartupTrials must be non-negative, got " + n);
            nStartupTrials = n;
            return this;
        }

        public Builder nEiCandidates(int n) {
            if (n < 1) throw new IllegalArgumentException("TPESampler: nEiCandidates must be at least 1, got " + n);
            nEiCandidates = n;
            return this;
        }

        /** How many of n finished trials count as good. */
        public Builder gamma(IntUnaryOperator g) {
            gamma = g;
            return this;
        }

        public Builder priorWeight(double w) {
            if (!(w > 0)) throw new IllegalArgumentException("TPESampler: priorWeight must be positive, got " + w);
            priorWeight = w;
            return this;
        }

        public Builder considerMagicClip(boolean on) {
            magicClip = on;
            return this;
        }

        public Builder considerEndpoints(boolean on) {
            endpoints = on;
            return this;
        }

        public Builder multivariate(boolean on) {
            multivariate = on;
            return this;
        }

        public TPESampler build() {
            return new TPESampler(this);
        }
    }

    /** Optuna's default_gamma: min(⌈0.1·n⌉, 25). */
    public static int defaultGamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    /** Optuna's default_weights: 1 for up to 25 observations; beyond, a ramp from 1/n up to 1 over the oldest n − 25, then 25 ones. */
    public static double[] defaultWeights(int n) {
        double[] w = new double[n];
        if (n < 25) {
            java.util.Arrays.fill(w, 1.0);
            return w;
        }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1); // numpy linspace(1/n, 1, ramp)
        for (int i = ramp; i < n; i++) w[i] = 1.0;
        return w;
    }

    @Override
    public Generator trialGenerator(int number) {
        return new Generator(Sampler.trialSeed(seed, number));
    }

    @Override
    public String describe() {
        return "TPESampler(seed=" + seed + ", nStartupTrials=" + nStartupTrials + ", nEiCandidates=" + nEiCandidates + ", priorWeight="
                + params.priorWeight() + ", magicClip=" + params.magicClip() + ", endpoints=" + params.endpoints() + ", multivariate="
                + params.multivariate() + ")";
    }

    @Override
    public double sampleIndependent(StudyView study, Trial trial, String name, Distribution d) {
        List<FrozenTrial> history = study.trials(TrialState.COMPLETE, TrialState.PRUNED);
        if (history.size() < nStartupTrials) return RandomSampler.draw(trial.rng(), d);
        Map<String, Distribution> space = new LinkedHashMap<>();
        space.put(name, d);
        return sample(study.direction(), history, trial.rng(), space).get(name);
    }

    /** With multivariate on: the parameters present with the same distribution in every finished trial (Optuna's IntersectionSearchSpace). */
    @Override
    public Map<String, Distribution> relativeSearchSpace(StudyView study) {
        if (!params.multivariate()) return Map.of();
        Map<String, Distribution> space = null;
        for (FrozenTrial t : study.trials(TrialState.COMPLETE, TrialState.PRUNED)) {
            if (space == null) {
                space = new LinkedHashMap<>(t.distributions());
            } else {
                space.entrySet().removeIf(e -> !e.getValue().equals(t.distributions().get(e.getKey())));
            }
        }
        if (space == null) return Map.of();
        space.values().removeIf(Distribution::single);
        return space;
    }

    @Override
    public Map<String, Double> sampleRelative(StudyView study, Trial trial, Map<String, Distribution> space) {
        List<FrozenTrial> history = study.trials(TrialState.COMPLETE, TrialState.PRUNED);
        if (history.size() < nStartupTrials || space.isEmpty()) return Map.of();
        return sample(study.direction(), history, trial.rng(), space);
    }

    /** One TPE step over a group of parameters: split, fit l and g, draw candidates from l, keep the best log l − log g. */
    Map<String, Double> sample(Direction direction, List<FrozenTrial> history, Generator g, Map<String, Distribution> space) {
        List<List<FrozenTrial>> split = split(history, gamma.applyAsInt(history.size()), direction);
        ParzenEstimator below = estimator(split.get(0), space);
        ParzenEstimator above = estimator(split.get(1), space);
        double[][] candidates = below.sample(g, nEiCandidates);
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < candidates.length; i++) {
            double score = below.logPdf(candidates[i]) - above.logPdf(candidates[i]);
            if (score > bestScore) { // first maximum, as numpy's argmax
                bestScore = score;
                best = i;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        int j = 0;
        for (String name : space.keySet()) out.put(name, candidates[best][j++]);
        return out;
    }

    ParzenEstimator estimator(List<FrozenTrial> trials, Map<String, Distribution> space) {
        return new ParzenEstimator(observations(trials, space), new ArrayList<>(space.values()), params);
    }

    /** Rows of internal values of the trials that have every parameter of the space with a value inside its distribution. */
    static double[][] observations(List<FrozenTrial> trials, Map<String, Distribution> space) {
        List<double[]> rows = new ArrayList<>();
        outer:
        for (FrozenTrial t : trials) {
            double[] r = new double[space.size()];
            int j = 0;
            for (Map.Entry<String, Distribution> e : space.entrySet()) {
                Object v = t.params().get(e.getKey());
                if (!t.params().containsKey(e.getKey()) || !e.getValue().contains(v)) continue outer;
                r[j++] = e.getValue().toInternal(v);
            }
            rows.add(r);
        }
        return rows.toArray(new double[0][]);
    }

    /**
     * Optuna's split of finished trials into [below, above]: the nBelow best COMPLETE trials, then
     * if too few, PRUNED ones ranked by furthest step and then by value at it; both lists by number.
     */
    static List<List<FrozenTrial>> split(List<FrozenTrial> trials, int nBelow, Direction direction) {
        double sign = direction == Direction.MINIMIZE ? 1 : -1;
        List<FrozenTrial> complete = new ArrayList<>(), pruned = new ArrayList<>();
        for (FrozenTrial t : trials) {
            if (t.state() == TrialState.COMPLETE) complete.add(t);
            else if (t.state() == TrialState.PRUNED) pruned.add(t);
        }
        complete.sort(Comparator.<FrozenTrial>comparingDouble(t -> sign * t.value()).thenComparingInt(FrozenTrial::number));
        pruned.sort(Comparator.<FrozenTrial>comparingDouble(t -> t.lastStep() >= 0 ? -t.lastStep() : 1)
                .thenComparingDouble(t -> {
                    if (t.lastStep() < 0) return 0.0;
                    double v = t.intermediateValues().get(t.lastStep());
                    return Double.isNaN(v) ? Double.POSITIVE_INFINITY : sign * v;
                })
                .thenComparingInt(FrozenTrial::number));
        int fromComplete = Math.min(nBelow, complete.size());
        int fromPruned = Math.min(Math.max(0, nBelow - fromComplete), pruned.size());
        List<FrozenTrial> below = new ArrayList<>(complete.subList(0, fromComplete));
        below.addAll(pruned.subList(0, fromPruned));
        List<FrozenTrial> above = new ArrayList<>(complete.subList(fromComplete, complete.size()));
        above.addAll(pruned.subList(fromPruned, pruned.size()));
        below.sort(Comparator.comparingInt(FrozenTrial::number));
        above.sort(Comparator.comparingInt(FrozenTrial::number));
        return List.of(below, above);
    }
}
