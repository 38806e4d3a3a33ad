package dev.anneal.tune;

/** Thrown by an objective (usually after {@link Trial#shouldPrune()}) to end its trial as PRUNED. */
public class TrialPruned extends RuntimeException {
    public TrialPruned(String message) {
        super(message);
    }

    public TrialPruned() {
        this("trial pruned");
    }
}
