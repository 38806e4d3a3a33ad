package dev.anneal.tune;

/** Decides from intermediate values whether a running trial should stop early. */
public interface Pruner {
    /** True if {@code trial} (a snapshot of the running trial) should be pruned now. */
    boolean prune(StudyView study, FrozenTrial trial);

    /** A one-line description of the pruner and its settings, kept in the study file. */
    default String describe() {
        return getClass().getSimpleName();
    }
}
