package dev.anneal.train.callback;

import dev.anneal.autograd.Tensor;
import dev.anneal.train.Callback;
import dev.anneal.train.TrainingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops when a monitored epoch metric has not improved by more than minDelta for patience epochs,
 * optionally restoring the weights of the best epoch, as Keras' EarlyStopping (start_from_epoch
 * included: epochs before it neither count nor stop).
 */
public final class EarlyStopping implements Callback {
    /** Whether smaller (MIN, e.g. loss) or larger (MAX, e.g. accuracy) is better. */
    public enum Mode { MIN, MAX }

    private final String monitor;
    private final Mode mode;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final int startEpoch;
    private double best;
    private int bestEpoch = -1;
    private int wait;
    private Map<String, Tensor> bestWeights;
    private int stoppedEpoch = -1;

    public EarlyStopping(String monitor, Mode mode, int patience, double minDelta, boolean restoreBest, int startEpoch) {
        if (monitor == null || monitor.isEmpty()) throw new IllegalArgumentException("EarlyStopping: monitor is empty");
        if (patience < 0) throw new IllegalArgumentException("EarlyStopping: patience must be non-negative, got " + patience);
        if (minDelta < 0) throw new IllegalArgumentException("EarlyStopping: minDelta must be non-negative, got " + minDelta);
        if (startEpoch < 0) throw new IllegalArgumentException("EarlyStopping: startEpoch must be non-negative, got " + startEpoch);
        this.monitor = monitor;
        this.mode = mode;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
        this.startEpoch = startEpoch;
    }

    /** Monitors "val_loss" (min), patience as given, no min delta, restoring the best weights. */
    public static EarlyStopping onValidationLoss(int patience) {
        return new EarlyStopping("val_loss", Mode.MIN, patience, 0, true, 0);
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        bestEpoch = -1;
        wait = 0;
        bestWeights = null;
        stoppedEpoch = -1;
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null)
            throw new IllegalStateException("EarlyStopping: metric '" + monitor + "' is not among the epoch's metrics " + logs.keySet());
        if (epoch < startEpoch) return;
        boolean improved = mode == Mode.MIN ? v < best - minDelta : v > best + minDelta;
        if (improved) {
            best = v;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBest) bestWeights = snapshot(ctx);
            return;
        }
        wait++;
        if (wait >= patience) {
            stoppedEpoch = epoch;
            if (restoreBest && bestWeights != null) ctx.model().loadStateDict(bestWeights, true);
            ctx.stopTraining(String.format("early stopping at epoch %d: %s did not improve for %d epochs (best %.6g at epoch %d)",
                    epoch + 1, monitor, wait, best, bestEpoch + 1));
        }
    }

    private static Map<String, Tensor> snapshot(TrainingContext ctx) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        ctx.model().stateDict().forEach((k, t) -> copy.put(k, t.clone()));
        return copy;
    }

    public double best() {
        return best;
    }

    /** The 0-based epoch of the best value, or -1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The 0-based epoch training stopped at, or -1 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }
}
