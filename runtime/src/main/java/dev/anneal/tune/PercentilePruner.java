package dev.anneal.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Prunes a trial whose best intermediate value so far is worse than the given percentile of the
 * COMPLETE trials' values at the same step (Optuna's PercentilePruner): not before nStartupTrials
 * trials have completed, not before step nWarmupSteps, only at the first report of each interval of
 * intervalSteps steps after the warm-up, and only when at least nMinTrials completed trials reported that step.
 */
public class PercentilePruner implements Pruner {
    private final double percentile;
    private final int nStartupTrials;
    private final int nWarmupSteps;
    private final int intervalSteps;
    private final int nMinTrials;

    public PercentilePruner(double percentile, int nStartupTrials, int nWarmupSteps, int intervalSteps, int nMinTrials) {
        if (!(percentile >= 0 && percentile <= 100))
            throw new IllegalArgumentException("PercentilePruner: percentile must be in [0, 100], got " + percentile);
        if (nStartupTrials < 0) throw new IllegalArgumentException("PercentilePruner: nStartupTrials must be non-negative, got " + nStartupTrials);
        if (nWarmupSteps < 0) throw new IllegalArgumentException("PercentilePruner: nWarmupSteps must be non-negative, got " + nWarmupSteps);
        if (intervalSteps < 1) throw new IllegalArgumentException("PercentilePruner: intervalSteps must be at least 1, got " + intervalSteps);
        if (nMinTrials < 1) throw new IllegalArgumentException("PercentilePruner: nMinTrials must be at least 1, got " + nMinTrials);
        this.percentile = percentile;
        this.nStartupTrials = nStartupTrials;
        this.nWarmupSteps = nWarmupSteps;
        this.intervalSteps = intervalSteps;
        this.nMinTrials = nMinTrials;
    }

    /** Optuna's defaults around a percentile: 5 startup trials, no warm-up, every step, 1 trial minimum. */
    public PercentilePruner(double percentile) {
        this(percentile, 5, 0, 1, 1);
    }

    @Override
    public boolean prune(StudyView study, FrozenTrial trial) {
        List<FrozenTrial> completed = study.trials(TrialState.COMPLETE);
        if (completed.isEmpty() || completed.size() < nStartupTrials) return false;
        int step = trial.lastStep();
        if (step < 0 || step < nWarmupSteps) return false;
        if (!firstInInterval(step, trial)) return false;
        Direction dir = study.direction();
        double best = bestSoFar(trial, dir);
        if (Double.isNaN(best)) return true;
        double p = percentileAt(completed, step, dir == Direction.MAXIMIZE ? 100 - percentile : percentile);
        if (Double.isNaN(p)) return false;
        return dir == Direction.MAXIMIZE ? best < p : best > p;
    }

    /** True if no earlier report of the trial falls in the interval that contains step (reports may skip steps). */
    private boolean firstInInterval(int step, FrozenTrial trial) {
        int nearestLowerPruningStep = Math.floorDiv(step - nWarmupSteps, intervalSteps) * intervalSteps + nWarmupSteps;
        int secondLast = -1;
        for (int s : trial.intermediateValues().keySet()) if (s != step && s > secondLast) secondLast = s;
        return secondLast < nearestLowerPruningStep;
    }

    /** The best intermediate value over the trial's steps, ignoring NaN (NaN if all are). */
    static double bestSoFar(FrozenTrial trial, Direction dir) {
        double best = Double.NaN;
        for (double v : trial.intermediateValues().values())
            if (!Double.isNaN(v) && (Double.isNaN(best) || dir.better(v, best))) best = v;
        return best;
    }

    private double percentileAt(List<FrozenTrial> completed, int step, double q) {
        List<Double> vals = new ArrayList<>();
        int reported = 0;
        for (FrozenTrial t : completed) {
            Double v = t.intermediateValues().get(step);
            if (v == null) continue;
            reported++;
            if (!Double.isNaN(v)) vals.add(v);
        }
        if (reported < nMinTrials) return Double.NaN;
        return nanPercentile(vals.stream().mapToDouble(Double::doubleValue).toArray(), q);
    }

    /** numpy's percentile with linear interpolation over the values (NaN for none). */
    static double nanPercentile(double[] v, double q) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = q / 100.0 * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%s(percentile=%s, nStartupTrials=%d, nWarmupSteps=%d, intervalSteps=%d, nMinTrials=%d)",
                getClass().getSimpleName(), percentile, nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials);
    }
}
