package dev.anneal.train;

import dev.anneal.nn.Module;
import dev.anneal.optim.Optimizer;

/** What callbacks see and may change during a run: the model, optimizer, history, counters, and the stop flag. */
public final class TrainingContext {
    private final Module model;
    private final Optimizer optimizer;
    private final History history;
    int epoch;
    long globalStep;
    private boolean stopRequested;
    private String stopReason;

    TrainingContext(Module model, Optimizer optimizer, History history) {
        this.model = model;
        this.optimizer = optimizer;
        this.history = history;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public History history() {
        return history;
    }

    /** The current epoch, 0-based. */
    public int epoch() {
        return epoch;
    }

    /** Optimizer steps taken so far in this run (continues across a resume). */
    public long globalStep() {
        return globalStep;
    }

    /** Ends training after the current batch or epoch; the reason is reported in the result. */
    public void stopTraining(String reason) {
        stopRequested = true;
        if (stopReason == null) stopReason = reason;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    public String stopReason() {
        return stopReason;
    }
}
