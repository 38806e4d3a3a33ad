package dev.anneal.tune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) as Optuna's SuccessiveHalvingPruner: at
 * rung r a trial reaching step minResource·η^(s+r) (s the min early-stopping rate) records its value
 * and continues only if it is in the best 1/η of all values recorded at that rung so far (for the
 * first η−1 arrivals: only if it is the best), and only if more than bootstrapCount values are there.
 */
public final class SuccessiveHalvingPruner implements Pruner {
    static final String RUNG_KEY = "completed_rung_";
    private final int minResource; // 0 = estimate from completed trials
    private final int reductionFactor;
    private final int minEarlyStoppingRate;
    private final int bootstrapCount;

    public SuccessiveHalvingPruner(int minResource, int reductionFactor, int minEarlyStoppingRate, int bootstrapCount) {
        if (minResource < 0) throw new IllegalArgumentException("SuccessiveHalvingPruner: minResource must be positive (or 0 for auto), got " + minResource);
        if (reductionFactor < 2) throw new IllegalArgumentException("SuccessiveHalvingPruner: reductionFactor must be at least 2, got " + reductionFactor);
        if (minEarlyStoppingRate < 0) throw new IllegalArgumentException("SuccessiveHalvingPruner: minEarlyStoppingRate must be non-negative, got " + minEarlyStoppingRate);
        if (bootstrapCount < 0) throw new IllegalArgumentException("SuccessiveHalvingPruner: bootstrapCount must be non-negative, got " + bootstrapCount);
        this.minResource = minResource;
        this.reductionFactor = reductionFactor;
        this.minEarlyStoppingRate = minEarlyStoppingRate;
        this.bootstrapCount = bootstrapCount;
    }

    /** Optuna's defaults: minResource auto, reduction factor 4, rate 0, no bootstrap. */
    public SuccessiveHalvingPruner() {
        this(0, 4, 0, 0);
    }

    @Override
    public boolean prune(StudyView study, FrozenTrial trial) {
        int step = trial.lastStep();
        if (step < 0) return false;
        int rung = 0;
        while (trial.systemAttrs().containsKey(RUNG_KEY + rung)) rung++;
        double value = trial.intermediateValues().get(step);
        List<FrozenTrial> trials = study.trials();
        long r = minResource;
        if (r == 0) { // Optuna's "auto": 1% of the longest completed trial's last step, at least 1
            int last = -1;
            for (FrozenTrial t : trials) if (t.state() == TrialState.COMPLETE) last = Math.max(last, t.lastStep());
            if (last < 0) return false;
            r = Math.max(last / 100, 1);
        }
        while (true) {
            double promotionStep = r * Math.pow(reductionFactor, minEarlyStoppingRate + rung);
            if (step < promotionStep) return false;
            if (Double.isNaN(value)) return true;
            String key = RUNG_KEY + rung;
            study.setSystemAttr(trial.number(), key, value);
            List<Double> competing = new ArrayList<>();
            for (FrozenTrial t : trials) if (t.number() != trial.number() && t.systemAttrs().get(key) instanceof Number n) competing.add(n.doubleValue());
            competing.add(value);
            if (competing.size() <= bootstrapCount) return true;
            if (!promotable(value, competing, reductionFactor, study.direction())) return true;
            rung++;
        }
    }

    /** In the top 1/η of the values at the rung (or the best, while fewer than η values are there). */
    static boolean promotable(double value, List<Double> competing, int eta, Direction dir) {
        int idx = competing.size() / eta - 1;
        if (idx == -1) idx = 0;
        List<Double> s = new ArrayList<>(competing);
        Collections.sort(s);
        return dir == Direction.MAXIMIZE ? value >= s.get(s.size() - 1 - idx) : value <= s.get(idx);
    }

    @Override
    public String describe() {
        return "SuccessiveHalvingPruner(minResource=" + (minResource == 0 ? "auto" : minResource) + ", reductionFactor=" + reductionFactor
                + ", minEarlyStoppingRate=" + minEarlyStoppingRate + ", bootstrapCount=" + bootstrapCount + ")";
    }
}
