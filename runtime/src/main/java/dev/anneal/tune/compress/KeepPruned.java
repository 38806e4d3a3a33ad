package dev.anneal.tune.compress;

import dev.anneal.train.Callback;
import dev.anneal.train.TrainingContext;
import java.util.Map;

/**
 * Keeps pruned parameters pruned during {@code Trainer.fit}: gradients of pruned entries are zeroed
 * before each optimizer step (so clipping and optimizer state see PyTorch's zero gradients) and
 * the masks are re-applied after it. Masks are looked up at every step, so pruning between
 * epochs (from another callback) is honoured.
 */
final class KeepPruned implements Callback {
    @Override
    public void onTrainBegin(TrainingContext ctx) {
        Pruning.applyMasks(ctx.model());
    }

    @Override
    public void onBeforeOptimizerStep(TrainingContext ctx) {
        Pruning.maskGradients(ctx.model());
    }

    @Override
    public void onBatchEnd(TrainingContext ctx, int batch, Map<String, Double> logs) {
        Pruning.applyMasks(ctx.model());
    }
}
