package dev.anneal.train;

import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}: each is called at the named moment with the run's context;
 * {@code logs} hold that moment's metrics ("loss", "accuracy", "val_loss", "val_accuracy", "lr"...).
 * Override only what you need.
 */
public interface Callback {
    default void onTrainBegin(TrainingContext ctx) {}

    default void onEpochBegin(TrainingContext ctx, int epoch) {}

    default void onBatchBegin(TrainingContext ctx, int batch) {}

    /** After backward, before gradient clipping and the optimizer step (only on batches that step). */
    default void onBeforeOptimizerStep(TrainingContext ctx) {}

    default void onBatchEnd(TrainingContext ctx, int batch, Map<String, Double> logs) {}

    default void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {}

    default void onTrainEnd(TrainingContext ctx) {}
}
