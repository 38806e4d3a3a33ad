package dev.anneal.examples;

import dev.anneal.data.DataLoader;
import dev.anneal.data.MnistFormat;
import dev.anneal.data.Splits;
import dev.anneal.data.Subset;
import dev.anneal.data.TensorDataset;
import dev.anneal.data.transform.Normalize;
import dev.anneal.kernels.Parallel;
import dev.anneal.kernels.VectorSupport;
import dev.anneal.nn.BatchNorm1d;
import dev.anneal.nn.BatchNorm2d;
import dev.anneal.nn.Conv2d;
import dev.anneal.nn.Dropout;
import dev.anneal.nn.Flatten;
import dev.anneal.nn.Linear;
import dev.anneal.nn.MaxPool2d;
import dev.anneal.nn.ReLU;
import dev.anneal.nn.Sequential;
import dev.anneal.nn.loss.CrossEntropyLoss;
import dev.anneal.optim.Adam;
import dev.anneal.optim.AdamW;
import dev.anneal.optim.SGD;
import dev.anneal.optim.StatefulOptimizer;
import dev.anneal.optim.schedule.ConstantLR;
import dev.anneal.optim.schedule.CosineAnnealingLR;
import dev.anneal.optim.schedule.LRScheduler;
import dev.anneal.optim.schedule.LinearLR;
import dev.anneal.optim.schedule.SequentialLR;
import dev.anneal.optim.schedule.StepLR;
import dev.anneal.plot.TrainingCurves;
import dev.anneal.tensor.Generator;
import dev.anneal.train.Callback;
import dev.anneal.train.History;
import dev.anneal.train.Trainer;
import dev.anneal.train.Tracker;
import dev.anneal.train.TrainingContext;
import dev.anneal.train.callback.EarlyStopping;
import dev.anneal.train.callback.ModelCheckpoint;
import dev.anneal.train.callback.TerminateOnNaN;
import dev.anneal.train.checkpoint.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The main job: trains an MLP or a CNN on Fashion-MNIST with AdamW and a warmup-then-cosine
 * schedule, shows progress, writes TensorBoard events, CSV/JSONL scalars, an SVG of the curves
 * and checkpoints, and ends with one JSON line of results.
 */
public final class FashionMnist {
    private FashionMnist() {}

    static final String USAGE = String.join("\n",
            "usage: run-main [--model mlp|cnn] [--epochs N] [--batch-size N] [--optimizer adamw|adam|sgd] [--lr X]",
            "                [--weight-decay X] [--schedule warmup-cosine|cosine|step|constant] [--warmup-steps N]",
            "                [--seed N] [--threads N] [--limit N] [--out DIR] [--resume CHECKPOINT]",
            "defaults: --model mlp --epochs 10 --batch-size 128 --optimizer adamw --lr 0.001 --weight-decay 0.01",
            "          --schedule warmup-cosine --warmup-steps (one epoch) --seed 1 --threads (all cores) --out runs/<model>");

    /** Parsed command line; every value checked with a message naming the option. */
    record Options(String model, int epochs, int batchSize, String optimizer, double lr, double weightDecay, String schedule,
                   int warmupSteps, long seed, int threads, int limit, Path out, Path resume) {

        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) throw new UsageException(null);
                if (!a.startsWith("--")) throw new UsageException("unexpected argument '" + a + "'");
                if (i + 1 >= args.length) throw new UsageException("option " + a + " needs a value");
                m.put(a.substring(2), args[++i]);
            }
            List<String> known = List.of("model", "epochs", "batch-size", "optimizer", "lr", "weight-decay", "schedule", "warmup-steps",
                    "seed", "threads", "limit", "out", "resume");
            for (String k : m.keySet()) if (!known.contains(k)) throw new UsageException("unknown option --" + k);
            String model = choice(m, "model", "mlp", "mlp", "cnn");
            return new Options(model, integer(m, "epochs", 10, 1), integer(m, "batch-size", 128, 1),
                    choice(m, "optimizer", "adamw", "adamw", "adam", "sgd"), number(m, "lr", 1e-3), number(m, "weight-decay", 0.01),
                    choice(m, "schedule", "warmup-cosine", "warmup-cosine", "cosine", "step", "constant"), integer(m, "warmup-steps", -1, 0),
                    integer(m, "seed", 1, 0), integer(m, "threads", Runtime.getRuntime().availableProcessors(), 1), integer(m, "limit", 0, 0),
                    Paths.get(m.getOrDefault("out", "runs/" + model)), m.containsKey("resume") ? Paths.get(m.get("resume")) : null);
        }

        private static String choice(Map<String, String> m, String k, String def, String... allowed) {
            String v = m.getOrDefault(k, def);
            if (!Arrays.asList(allowed).contains(v))
                throw new UsageException("--" + k + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
            return v;
        }

        private static int integer(Map<String, String> m, String k, int def, int min) {
            if (!m.containsKey(k)) return def;
            try {
                int v = Integer.parseInt(m.get(k));
                if (v < min) throw new UsageException("--" + k + " must be at least " + min + ", got " + v);
                return v;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + k + " must be a whole number, got '" + m.get(k) + "'");
            }
        }

        private static double number(Map<String, String> m, String k, double def) {
            if (!m.containsKey(k)) return def;
            try {
                double v = Double.parseDouble(m.get(k));
                if (!(v >= 0) || Double.isInfinite(v)) throw new UsageException("--" + k + " must be a non-negative number, got " + v);
                return v;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + k + " must be a number, got '" + m.get(k) + "'");
            }
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (UsageException e) {
            if (e.getMessage() != null) System.err.println("run-main: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        System.exit(run(o));
    }

    static Sequential mlp(Generator g) {
        return new Sequential(new Flatten(), new Linear(784, 256, g), new BatchNorm1d(256), new ReLU(), new Dropout(0.2, g),
                new Linear(256, 128, g), new BatchNorm1d(128), new ReLU(), new Dropout(0.2, g), new Linear(128, 10, g));
    }

    static Sequential cnn(Generator g) {
        return new Sequential(
                new Conv2d(1, 32, 3, 1, 1, g), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1, g), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(3136, 128, g), new ReLU(), new Linear(128, 10, g));
    }

    /** The training, validation and test examples, normalized with the training examples' statistics. */
    record Data(Subset train, Subset valid, TensorDataset test) {}

    /**
     * The 55k/5k split of the training set (and --limit), normalized once: the same values a per-batch
     * transform would give, without recomputing them every epoch on the loader's thread. The raw
     * images go out of scope here, so only the normalized copy stays on the heap.
     */
    static Data data(Options o) {
        TensorDataset full = MnistFormat.fashionMnist(true), test = MnistFormat.fashionMnist(false);
        List<Subset> parts = Splits.randomSplit(full, new int[] {55000, 5000}, new Generator(o.seed()));
        Subset train = parts.get(0), valid = parts.get(1);
        if (o.limit() > 0 && o.limit() < train.size()) {
            // the first `limit` of a shuffle of the training part, as indices into the full set
            int[] pick = Arrays.copyOf(Splits.permutation(train.size(), new Generator(o.seed() + 1)), o.limit()), base = train.indices();
            for (int i = 0; i < pick.length; i++) pick[i] = base[pick[i]];
            train = new Subset(full, pick);
        }
        Normalize norm = Normalize.fit(train);
        TensorDataset normalized = norm.applyTo(full);
        return new Data(new Subset(normalized, train.indices()), new Subset(normalized, valid.indices()), norm.applyTo(test));
    }

    static int run(Options o) throws Exception {
        Parallel.setThreads(o.threads());
        System.out.printf(Locale.ROOT, "anneal Fashion-MNIST: model %s, %d epochs, batch %d, %s lr %g, schedule %s, seed %d, %d threads, %s%n",
                o.model(), o.epochs(), o.batchSize(), o.optimizer(), o.lr(), o.schedule(), o.seed(), o.threads(), VectorSupport.describe());
        Data data = data(o);
        DataLoader trainLoader = DataLoader.builder(data.train()).batchSize(o.batchSize()).shuffle(true).seed(o.seed()).build();
        DataLoader validLoader = DataLoader.builder(data.valid()).batchSize(1000).build();
        DataLoader testLoader = DataLoader.builder(data.test()).batchSize(1000).build();

        Generator init = new Generator(o.seed() * 7919 + 17);
        Sequential model = o.model().equals("mlp") ? mlp(init) : cnn(init);
        System.out.println(model.summary(1, 1, 28, 28));
        StatefulOptimizer opt = switch (o.optimizer()) {
            case "adam" -> new Adam(model.parameters(), Map.of("lr", o.lr(), "weight_decay", o.weightDecay()));
            case "sgd" -> new SGD(model.parameters(), Map.of("lr", o.lr(), "momentum", 0.9, "weight_decay", o.weightDecay()));
            default -> new AdamW(model.parameters(), Map.of("lr", o.lr(), "weight_decay", o.weightDecay()));
        };
        int perEpoch = trainLoader.numBatches(), total = perEpoch * o.epochs();
        int warm = Math.min(o.warmupSteps() >= 0 ? o.warmupSteps() : perEpoch, Math.max(0, total - 1));
        LRScheduler sched = switch (o.schedule()) {
            case "cosine" -> new CosineAnnealingLR(opt, total);
            case "step" -> new StepLR(opt, Math.max(1, total / 3), 0.1);
            case "constant" -> new ConstantLR(opt, 1.0, 1);
            default -> warm == 0 ? new CosineAnnealingLR(opt, total)
                    : new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1.0, warm), new CosineAnnealingLR(opt, total - warm)), new int[] {warm});
        };

        Files.createDirectories(o.out());
        int startEpoch = 0;
        long startStep = 0;
        if (o.resume() != null) {
            Checkpoint.Progress p = Checkpoint.load(o.resume(), model, opt, sched);
            startEpoch = p.epoch();
            startStep = p.globalStep();
            System.out.printf(Locale.ROOT, "resumed from %s after epoch %d (step %d)%n", o.resume(), startEpoch, startStep);
        }
        ModelCheckpoint checkpoints = new ModelCheckpoint(o.out(), "val_accuracy", EarlyStopping.Mode.MAX, sched);
        EpochClock clock = new EpochClock();
        Trainer.Result result;
        try (Tracker tracker = new Tracker(o.out().resolve("events"))) {
            Trainer trainer = Trainer.builder(model, opt, new CrossEntropyLoss()::apply).epochs(o.epochs())
                    .scheduler(sched, Trainer.Every.BATCH).callback(new TerminateOnNaN()).callback(checkpoints).callback(clock).tracker(tracker).build();
            result = trainer.fit(trainLoader, validLoader, startEpoch, startStep, new History());
            Trainer.Evaluation ev = trainer.evaluate(testLoader, true);
            TrainingCurves.writeSvg(result.history(), o.out().resolve("curves.svg"), "Fashion-MNIST " + o.model());
            tracker.scalar("test/accuracy", ev.accuracy(), o.epochs());
            System.out.println("test confusion matrix (rows: true class, columns: predicted):");
            System.out.print(ev.confusion());
            if (result.stopReason() != null) System.out.println("stopped: " + result.stopReason());
            System.out.printf(Locale.ROOT, "curves: %s  events: %s  checkpoint: %s%n", o.out().resolve("curves.svg"), tracker.eventFile(),
                    checkpoints.last());
            System.out.printf(Locale.ROOT,
                    "{\"model\": \"%s\", \"epochs\": %d, \"test_accuracy\": %.4f, \"test_loss\": %.4f, \"seconds_per_epoch\": %.2f, \"epoch_seconds\": %s, \"threads\": %d}%n",
                    o.model(), startEpoch + result.epochsRun(), ev.accuracy(), ev.loss(), result.secondsPerEpoch(), clock, o.threads());
        }
        return result.stopReason() != null && result.stopReason().startsWith("loss became") ? 1 : 0;
    }

    /** Wall-clock seconds of each epoch, training and validation (what bench/run reports). */
    static final class EpochClock implements Callback {
        private final List<Double> seconds = new ArrayList<>();
        private long start;

        @Override
        public void onEpochBegin(TrainingContext ctx, int epoch) {
            start = System.nanoTime();
        }

        @Override
        public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
            seconds.add((System.nanoTime() - start) / 1e9);
        }

        /** As a JSON array, to the millisecond. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < seconds.size(); i++) b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", seconds.get(i)));
            return b.append(']').toString();
        }
    }
}
