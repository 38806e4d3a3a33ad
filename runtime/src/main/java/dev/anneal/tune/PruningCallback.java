package dev.anneal.tune;

import dev.anneal.train.Callback;
import dev.anneal.train.TrainingContext;
import java.util.Map;

/**
 * Connects a {@link dev.anneal.train.Trainer} to a trial: at each epoch end it reports the monitored
 * metric (e.g. "val_accuracy") at step = epoch and throws {@link TrialPruned} out of fit if the
 * study's pruner says so.
 */
public final class PruningCallback implements Callback {
    private final Trial trial;
    private final String monitor;

    public PruningCallback(Trial trial, String monitor) {
        this.trial = trial;
        this.monitor = monitor;
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) throw new IllegalStateException("PruningCallback: monitors '" + monitor + "', not among " + logs.keySet());
        trial.report(v, epoch);
        if (trial.shouldPrune()) throw new TrialPruned("trial " + trial.number() + " pruned at epoch " + epoch + " (" + monitor + " " + v + ")");
    }
}
