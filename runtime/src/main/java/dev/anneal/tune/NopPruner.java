package dev.anneal.tune;

/** Never prunes. */
public final class NopPruner implements Pruner {
    @Override
    public boolean prune(StudyView study, FrozenTrial trial) {
        return false;
    }
}
