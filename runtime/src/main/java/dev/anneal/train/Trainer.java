package dev.anneal.train;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.data.Batch;
import dev.anneal.data.DataLoader;
import dev.anneal.nn.Module;
import dev.anneal.optim.Clip;
import dev.anneal.optim.Optimizer;
import dev.anneal.optim.schedule.LRScheduler;
import dev.anneal.optim.schedule.ReduceLROnPlateau;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The training loop: for each epoch, a train step per batch (forward, loss, backward, optional
 * clipping, optimizer step every {@code accumulate} batches, per-batch scheduler), then an
 * evaluation on the validation loader, per-epoch schedulers, callbacks and tracking. Gradients
 * are set to null after each optimizer step (PyTorch 2's {@code zero_grad(set_to_none=True)}):
 * they can be read in {@code onBeforeOptimizerStep}, not after the step.
 */
public final class Trainer {
    /** When a scheduler advances: after every optimizer step, or once per epoch. */
    public enum Every { BATCH, EPOCH }

    private final Module model;
    private final Optimizer optimizer;
    private final BiFunction<Tensor, Tensor, Tensor> loss;
    private final int epochs;
    private final LRScheduler scheduler;
    private final Every schedulerEvery;
    private final ReduceLROnPlateau plateau;
    private final String plateauMonitor;
    private final double clipNorm;
    private final double clipValue;
    private final int accumulate;
    private final List<Callback> callbacks;
    private final ProgressBar progress;
    private final Tracker tracker;
    private final int topK;
    private final Module teacher;
    private final double temperature, alpha;

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.loss = b.loss;
        this.epochs = b.epochs;
        this.scheduler = b.scheduler;
        this.schedulerEvery = b.schedulerEvery;
        this.plateau = b.plateau;
        this.plateauMonitor = b.plateauMonitor;
        this.clipNorm = b.clipNorm;
        this.clipValue = b.clipValue;
        this.accumulate = b.accumulate;
        this.callbacks = List.copyOf(b.callbacks);
        this.progress = b.progress;
        this.tracker = b.tracker;
        this.topK = b.topK;
        this.teacher = b.teacher;
        this.temperature = b.temperature;
        this.alpha = b.alpha;
    }

    /** model, optimizer, and a loss of (outputs, targets) such as CrossEntropyLoss::apply. */
    public static Builder builder(Module model, Optimizer optimizer, BiFunction<Tensor, Tensor, Tensor> loss) {
        return new Builder(model, optimizer, loss);
    }

    /** Settings of a run; defaults: 1 epoch, no scheduler, no clipping, no accumulation, progress on stdout. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private final BiFunction<Tensor, Tensor, Tensor> loss;
        private int epochs = 1;
        private LRScheduler scheduler;
        private Every schedulerEvery = Every.EPOCH;
        private ReduceLROnPlateau plateau;
        private String plateauMonitor;
        private double clipNorm = Double.NaN;
        private double clipValue = Double.NaN;
        private int accumulate = 1;
        private final List<Callback> callbacks = new ArrayList<>();
        private ProgressBar progress = new ProgressBar(System.out);
        private Tracker tracker;
        private int topK;
        private Module teacher;
        private double temperature, alpha;

        private Builder(Module model, Optimizer optimizer, BiFunction<Tensor, Tensor, Tensor> loss) {
            if (model == null || optimizer == null || loss == null)
                throw new IllegalArgumentException("Trainer: model, optimizer and loss are all required");
            this.model = model;
            this.optimizer = optimizer;
            this.loss = loss;
        }

        public Builder epochs(int n) {
            if (n < 0) throw new IllegalArgumentException("Trainer: epochs must be non-negative, got " + n);
            epochs = n;
            return this;
        }

        /** A scheduler stepped after every optimizer step (BATCH) or at the end of every epoch (EPOCH). */
        public Builder scheduler(LRScheduler s, Every every) {
            scheduler = s;
            schedulerEvery = every;
            return this;
        }

        /** ReduceLROnPlateau fed the epoch metric monitor (e.g. "val_loss") at the end of every epoch. */
        public Builder plateau(ReduceLROnPlateau s, String monitor) {
            plateau = s;
            plateauMonitor = monitor;
            return this;
        }

        /** Clips the global 2-norm of the gradients to maxNorm before each optimizer step. */
        public Builder clipGradNorm(double maxNorm) {
            if (!(maxNorm > 0)) throw new IllegalArgumentException("Trainer: clipGradNorm must be positive, got " + maxNorm);
            clipNorm = maxNorm;
            return this;
        }

        /** Clips every gradient element to [-v, v] before each optimizer step. */
        public Builder clipGradValue(double v) {
            if (!(v > 0)) throw new IllegalArgumentException("Trainer: clipGradValue must be positive, got " + v);
            clipValue = v;
            return this;
        }

        /** Sums gradients over k batches (each loss scaled by 1/k) before an optimizer step. */
        public Builder accumulate(int k) {
            if (k < 1) throw new IllegalArgumentException("Trainer: accumulate must be at least 1, got " + k);
            accumulate = k;
            return this;
        }

        public Builder callback(Callback c) {
            callbacks.add(c);
            return this;
        }

        /** Where progress goes; null for none. */
        public Builder progress(ProgressBar p) {
            progress = p;
            return this;
        }

        public Builder progress(PrintStream out) {
            progress = out == null ? null : new ProgressBar(out);
            return this;
        }

        /** Scalars (loss, accuracy, lr per step and per epoch) go to this tracker. */
        public Builder tracker(Tracker t) {
            tracker = t;
            return this;
        }

        /** Also reports top-k accuracy ("top5_accuracy" for k = 5) in evaluations. */
        public Builder topK(int k) {
            topK = k;
            return this;
        }

        /**
         * Knowledge distillation: each training batch also runs teacher (in eval mode, without a graph)
         * and the training loss becomes {@link dev.anneal.nn.loss.Losses#distillation alpha·T²·KL(teacher ‖ student)
         * + (1 − alpha)·loss(outputs, targets)}; evaluation still reports the plain loss.
         */
        public Builder distillFrom(Module teacher, double temperature, double alpha) {
            if (teacher == null) throw new IllegalArgumentException("Trainer: distillFrom needs a teacher model");
            if (teacher == model) throw new IllegalArgumentException("Trainer: the teacher must be a different model than the student");
            if (!(temperature > 0) || Double.isInfinite(temperature))
                throw new IllegalArgumentException("Trainer: distillation temperature must be positive and finite, got " + temperature);
            if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("Trainer: distillation alpha must be in [0, 1], got " + alpha);
            this.teacher = teacher;
            this.temperature = temperature;
            this.alpha = alpha;
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }

    /** The outcome of fit: the history, the epochs actually run, and why it stopped early (or null). */
    public record Result(History history, int epochsRun, String stopReason, double secondsPerEpoch) {}

    /** Loss, accuracy and (on request) top-k accuracy and confusion matrix over a loader. */
    public record Evaluation(double loss, double accuracy, double topK, ConfusionMatrix confusion) {}

    public Result fit(DataLoader train, DataLoader valid) {
        return fit(train, valid, 0, 0, new History());
    }

    /**
     * Trains epochs [startEpoch, epochs). startStep is the optimizer step count already taken (for
     * a resumed run's tracking); history receives the records and may hold earlier ones.
     */
    public Result fit(DataLoader train, DataLoader valid, int startEpoch, long startStep, History history) {
        if (startEpoch < 0 || startEpoch > epochs)
            throw new IllegalArgumentException("Trainer: startEpoch " + startEpoch + " is outside [0, " + epochs + "]");
        TrainingContext ctx = new TrainingContext(model, optimizer, history);
        ctx.globalStep = startStep;
        boolean teacherWasTraining = teacher != null && teacher.isTraining();
        if (teacher != null) teacher.eval();
        for (Callback c : callbacks) c.onTrainBegin(ctx);
        long t0 = System.nanoTime();
        int run = 0;
        for (int epoch = startEpoch; epoch < epochs && !ctx.stopRequested(); epoch++) {
            ctx.epoch = epoch;
            for (Callback c : callbacks) c.onEpochBegin(ctx, epoch);
            Map<String, Double> logs = trainEpoch(ctx, train, epoch);
            if (valid != null && !ctx.stopRequested()) {
                Evaluation ev = evaluate(valid, false);
                logs.put("val_loss", ev.loss());
                logs.put("val_accuracy", ev.accuracy());
                if (topK > 0) logs.put("val_top" + topK + "_accuracy", ev.topK());
            }
            logs.put("lr", optimizer.paramGroups().get(0).lr());
            if (scheduler != null && schedulerEvery == Every.EPOCH) scheduler.step();
            if (plateau != null) {
                Double m = logs.get(plateauMonitor);
                if (m == null)
                    throw new IllegalStateException("Trainer: ReduceLROnPlateau monitors '" + plateauMonitor + "', not among " + logs.keySet());
                plateau.step(m);
            }
            for (Map.Entry<String, Double> e : logs.entrySet()) {
                history.recordEpoch(e.getKey(), e.getValue());
                if (tracker != null) tracker.scalar("epoch/" + e.getKey(), e.getValue(), epoch + 1);
            }
            if (progress != null) progress.end(train.numBatches(), logs.get("loss"), logs.get("accuracy"), validText(logs));
            for (Callback c : callbacks) c.onEpochEnd(ctx, epoch, logs);
            if (tracker != null) tracker.flush();
            run++;
        }
        for (Callback c : callbacks) c.onTrainEnd(ctx);
        if (teacher != null) teacher.train(teacherWasTraining);
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Result(history, run, ctx.stopReason(), run == 0 ? Double.NaN : secs / run);
    }

    private static String validText(Map<String, Double> logs) {
        if (!logs.containsKey("val_loss")) return "";
        return String.format(Locale.ROOT, "val_loss %.4f  val_acc %.4f", logs.get("val_loss"), logs.get("val_accuracy"));
    }

    private Map<String, Double> trainEpoch(TrainingContext ctx, DataLoader train, int epoch) {
        model.train();
        int total = train.numBatches();
        if (progress != null) progress.begin(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs), total);
        double lossSum = 0;
        long seen = 0, correct = 0;
        boolean classification = true;
        int b = 0;
        // gradients are dropped rather than zeroed between steps (PyTorch 2's default): the next
        // backward then adopts each fresh parameter gradient instead of adding it into zeros
        optimizer.zeroGrad(true);
        for (Batch batch : train.epoch(epoch)) {
            for (Callback c : callbacks) c.onBatchBegin(ctx, b);
            Tensor out = model.invoke(batch.inputs());
            Tensor l = teacher == null ? loss.apply(out, batch.targets()) : distillationLoss(out, batch);
            if (l.numel() != 1)
                throw new IllegalStateException("Trainer: the loss must be a single value, got shape " + dev.anneal.tensor.Shape.str(l.shape())
                        + " (use reduction mean or sum)");
            float value = l.item();
            (accumulate == 1 ? l : l.div((float) accumulate)).backward();
            boolean stepNow = (b + 1) % accumulate == 0 || b + 1 == total;
            double lr = optimizer.paramGroups().get(0).lr();
            if (stepNow) {
                for (Callback c : callbacks) c.onBeforeOptimizerStep(ctx);
                if (!Double.isNaN(clipValue)) Clip.clipGradValue(model.parameters(), clipValue);
                if (!Double.isNaN(clipNorm)) Clip.clipGradNorm(model.parameters(), clipNorm);
                optimizer.step();
                optimizer.zeroGrad(true);
                ctx.globalStep++;
                if (scheduler != null && schedulerEvery == Every.BATCH) scheduler.step();
            }
            int n = batch.size();
            lossSum += (double) value * n;
            seen += n;
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", (double) value);
            logs.put("lr", lr);
            if (classification && out.rank() == 2 && batch.targets().rank() == 1) {
                int hit;
                try (GradMode.NoGrad ignored = GradMode.noGrad()) {
                    hit = Metrics.correct(out.detach(), batch.targets());
                }
                correct += hit;
                logs.put("accuracy", (double) hit / n);
            } else {
                classification = false;
            }
            ctx.history().recordStep("loss", value);
            ctx.history().recordStep("lr", lr);
            if (tracker != null) {
                tracker.scalar("step/loss", value, ctx.globalStep);
                tracker.scalar("step/lr", lr, ctx.globalStep);
            }
            for (Callback c : callbacks) c.onBatchEnd(ctx, b, logs);
            b++;
            if (progress != null) progress.update(b, lossSum / seen, classification ? (double) correct / seen : Double.NaN);
            if (ctx.stopRequested()) break;
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", seen == 0 ? Double.NaN : lossSum / seen);
        logs.put("accuracy", classification && seen > 0 ? (double) correct / seen : Double.NaN);
        return logs;
    }

    private Tensor distillationLoss(Tensor out, Batch batch) {
        Tensor soft;
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            soft = teacher.invoke(batch.inputs());
        }
        return dev.anneal.nn.loss.Losses.distillation(out, soft, batch.targets(), temperature, alpha, loss);
    }

    /** Loss and accuracy over a loader in eval mode, without a graph. */
    public Evaluation evaluate(DataLoader loader) {
        return evaluate(loader, false);
    }

    /** As {@link #evaluate(DataLoader)}, with the confusion matrix when withConfusion. */
    public Evaluation evaluate(DataLoader loader, boolean withConfusion) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long seen = 0, correct = 0, topHits = 0;
        ConfusionMatrix cm = null;
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            for (Batch batch : loader.epoch(0)) {
                Tensor out = model.invoke(batch.inputs());
                int n = batch.size();
                lossSum += (double) loss.apply(out, batch.targets()).item() * n;
                seen += n;
                if (out.rank() == 2 && batch.targets().rank() == 1) {
                    correct += Metrics.correct(out, batch.targets());
                    if (topK > 0) topHits += Metrics.topKCorrect(out, batch.targets(), Math.min(topK, out.size(1)));
                    if (withConfusion) {
                        if (cm == null) cm = new ConfusionMatrix(out.size(1));
                        cm.add(out, batch.targets());
                    }
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(seen == 0 ? Double.NaN : lossSum / seen, seen == 0 ? Double.NaN : (double) correct / seen,
                topK > 0 && seen > 0 ? (double) topHits / seen : Double.NaN, cm);
    }

    /** Model outputs for every batch of a loader, concatenated along dim 0, in eval mode. */
    public Tensor predict(DataLoader loader) {
        boolean wasTraining = model.isTraining();
        model.eval();
        List<Tensor> outs = new ArrayList<>();
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            for (Batch batch : loader.epoch(0)) outs.add(model.invoke(batch.inputs()));
        } finally {
            model.train(wasTraining);
        }
        if (outs.isEmpty()) throw new IllegalArgumentException("Trainer.predict: the loader has no batches");
        return Tensor.cat(outs, 0);
    }
}
