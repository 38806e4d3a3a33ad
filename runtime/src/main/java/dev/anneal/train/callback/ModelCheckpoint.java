package dev.anneal.train.callback;

import dev.anneal.optim.StatefulOptimizer;
import dev.anneal.optim.schedule.LRScheduler;
import dev.anneal.train.Callback;
import dev.anneal.train.TrainingContext;
import dev.anneal.train.checkpoint.Checkpoint;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves {@code last.safetensors} after every epoch and {@code best.safetensors} whenever the
 * monitored metric improves (Keras' ModelCheckpoint with save_best_only for the second file).
 * Both are full checkpoints a run can resume from.
 */
public final class ModelCheckpoint implements Callback {
    private final Path dir;
    private final String monitor;
    private final EarlyStopping.Mode mode;
    private final LRScheduler scheduler;
    private double best;
    private int bestEpoch = -1;

    /** scheduler may be null; monitor null saves only the last checkpoint. */
    public ModelCheckpoint(Path dir, String monitor, EarlyStopping.Mode mode, LRScheduler scheduler) {
        if (dir == null) throw new IllegalArgumentException("ModelCheckpoint: directory is null");
        this.dir = dir;
        this.monitor = monitor;
        this.mode = mode == null ? EarlyStopping.Mode.MIN : mode;
        this.scheduler = scheduler;
    }

    public Path last() {
        return dir.resolve("last.safetensors");
    }

    public Path best() {
        return dir.resolve("best.safetensors");
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        if (!(ctx.optimizer() instanceof StatefulOptimizer))
            throw new IllegalStateException("ModelCheckpoint: the optimizer " + ctx.optimizer().getClass().getSimpleName()
                    + " cannot save its state (it does not extend StatefulOptimizer)");
        best = mode == EarlyStopping.Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        Checkpoint.Progress progress = new Checkpoint.Progress(epoch + 1, ctx.globalStep(), Map.of());
        StatefulOptimizer opt = (StatefulOptimizer) ctx.optimizer();
        Checkpoint.save(last(), ctx.model(), opt, scheduler, progress);
        if (monitor == null) return;
        Double v = logs.get(monitor);
        if (v == null) throw new IllegalStateException("ModelCheckpoint: metric '" + monitor + "' is not among " + logs.keySet());
        if (mode == EarlyStopping.Mode.MIN ? v < best : v > best) {
            best = v;
            bestEpoch = epoch;
            Checkpoint.save(best(), ctx.model(), opt, scheduler, progress);
        }
    }
}
