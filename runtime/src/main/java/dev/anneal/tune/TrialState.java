package dev.anneal.tune;

/** Where a trial is in its life: running, or finished as complete, pruned or failed. */
public enum TrialState {
    RUNNING,
    COMPLETE,
    PRUNED,
    FAIL;

    public boolean finished() {
        return this != RUNNING;
    }
}
