package dev.anneal.tune;

/** The 50th-percentile {@link PercentilePruner} (Optuna's MedianPruner). */
public final class MedianPruner extends PercentilePruner {
    /** Optuna's defaults: 5 startup trials, no warm-up steps, every step, at least 1 completed trial at the step. */
    public MedianPruner() {
        this(5, 0, 1, 1);
    }

    public MedianPruner(int nStartupTrials, int nWarmupSteps, int intervalSteps) {
        this(nStartupTrials, nWarmupSteps, intervalSteps, 1);
    }

    public MedianPruner(int nStartupTrials, int nWarmupSteps, int intervalSteps, int nMinTrials) {
        super(50.0, nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials);
    }
}
