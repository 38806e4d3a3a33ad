package dev.anneal.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.anneal.data.DataLoader;
import dev.anneal.data.MnistFormat;
import dev.anneal.data.Splits;
import dev.anneal.data.Subset;
import dev.anneal.data.TensorDataset;
import dev.anneal.data.transform.Normalize;
import dev.anneal.kernels.Parallel;
import dev.anneal.nn.BatchNorm1d;
import dev.anneal.nn.Dropout;
import dev.anneal.nn.Flatten;
import dev.anneal.nn.Linear;
import dev.anneal.nn.ReLU;
import dev.anneal.nn.Sequential;
import dev.anneal.nn.loss.CrossEntropyLoss;
import dev.anneal.optim.AdamW;
import dev.anneal.optim.schedule.CosineAnnealingLR;
import dev.anneal.optim.schedule.LRScheduler;
import dev.anneal.optim.schedule.LinearLR;
import dev.anneal.optim.schedule.SequentialLR;
import dev.anneal.tensor.Generator;
import dev.anneal.train.Callback;
import dev.anneal.train.Trainer;
import dev.anneal.train.Tracker;
import dev.anneal.train.TrainingContext;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import jdk.jfr.Recording;

/**
 * {@code mlp-memory}: the main job's MLP run (FashionMnist --model mlp: the same data split,
 * normalization once before training, model, AdamW, per-batch warmup + cosine schedule, scalar
 * tracking, validation) for BENCH_MEMORY_EPOCHS epochs (default 5) on BENCH_EPOCH_THREADS threads
 * (default 2), with one JSON line per epoch: seconds, heap allocation (MB, MB per step, MB/s), GC
 * pause time and its share of the epoch, and the heap in use after the epoch's last GC. Allocation
 * is counted from GC notifications (heap before each GC minus heap after the previous one), so it
 * covers every thread (kernel pool, data prefetch). With -Danneal.bench.jfr=FILE it also records a
 * JFR profile (1 ms method sampling, allocation samples, GCs) of the epochs after the first and
 * dumps it to FILE.
 */
public final class EpochMemoryBench {
    private EpochMemoryBench() {}

    /** Heap allocation and GC pauses since the JVM started, from GC notifications. */
    private static final class GcAccount {
        private final AtomicLong allocatedUpToLastGc = new AtomicLong();
        private final AtomicLong usedAfterLastGc = new AtomicLong();
        private final AtomicLong notified = new AtomicLong();
        private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();

        GcAccount() {
            usedAfterLastGc.set(heapUsed());
            for (GarbageCollectorMXBean gc : collectors) {
                ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                    if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long before = sum(info.getGcInfo().getMemoryUsageBeforeGc()), after = sum(info.getGcInfo().getMemoryUsageAfterGc());
                    synchronized (this) {
                        allocatedUpToLastGc.addAndGet(Math.max(0, before - usedAfterLastGc.get()));
                        usedAfterLastGc.set(after);
                    }
                    notified.incrementAndGet();
                }, null, null);
            }
        }

        private static long sum(Map<String, MemoryUsage> pools) {
            long s = 0;
            for (MemoryUsage u : pools.values()) s += u.getUsed();
            return s;
        }

        private static long heapUsed() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        /** Collections so far (concurrent cycles excluded: they are not pauses). */
        long count() {
            long c = 0;
            for (GarbageCollectorMXBean gc : collectors) c += Math.max(0, gc.getCollectionCount());
            return c;
        }

        /** Milliseconds spent in stop-the-world collections so far. */
        long pauseMillis() {
            long t = 0;
            for (GarbageCollectorMXBean gc : collectors)
                if (!gc.getName().contains("Concurrent")) t += Math.max(0, gc.getCollectionTime());
            return t;
        }

        /** Bytes allocated so far: waits (briefly) until every finished GC has been notified. */
        synchronized long allocated() {
            long deadline = System.nanoTime() + 200_000_000L;
            while (notified.get() < count() && System.nanoTime() < deadline) {
                try {
                    wait(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return allocatedUpToLastGc.get() + Math.max(0, heapUsed() - usedAfterLastGc.get());
        }

        long usedAfterLastGc() {
            return usedAfterLastGc.get();
        }
    }

    /** The main job's MLP (FashionMnist.mlp). */
    static Sequential mlp(Generator g) {
        return new Sequential(new Flatten(), new Linear(784, 256, g), new BatchNorm1d(256), new ReLU(), new Dropout(0.2, g),
                new Linear(256, 128, g), new BatchNorm1d(128), new ReLU(), new Dropout(0.2, g), new Linear(128, 10, g));
    }

    /** FashionMnist's 55k/5k split, normalized once with the training part's statistics (the raw images are dropped). */
    static Subset[] normalizedSplit(long seed) {
        TensorDataset full = MnistFormat.fashionMnist(true);
        List<Subset> parts = Splits.randomSplit(full, new int[] {55000, 5000}, new Generator(seed));
        TensorDataset normalized = Normalize.fit(parts.get(0)).applyTo(full);
        return new Subset[] {new Subset(normalized, parts.get(0).indices()), new Subset(normalized, parts.get(1).indices())};
    }

    public static void run() {
        int epochs = envInt("BENCH_MEMORY_EPOCHS", 5), threads = envInt("BENCH_EPOCH_THREADS", 2);
        String jfr = System.getProperty("anneal.bench.jfr");
        Parallel.setThreads(threads);
        GcAccount gc = new GcAccount();
        long seed = 1;
        Subset[] data = normalizedSplit(seed);
        DataLoader trainLoader = DataLoader.builder(data[0]).batchSize(128).shuffle(true).seed(seed).build();
        DataLoader validLoader = DataLoader.builder(data[1]).batchSize(1000).build();
        Sequential model = mlp(new Generator(seed * 7919 + 17));
        AdamW opt = new AdamW(model.parameters(), Map.of("lr", 1e-3, "weight_decay", 0.01));
        int perEpoch = trainLoader.numBatches(), total = perEpoch * epochs, warm = Math.min(perEpoch, total - 1);
        LRScheduler sched = warm == 0 ? new CosineAnnealingLR(opt, total)
                : new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1.0, warm), new CosineAnnealingLR(opt, total - warm)), new int[] {warm});
        Path dir;
        try {
            dir = Files.createTempDirectory("anneal-mlp-memory");
        } catch (IOException e) {
            throw new IllegalStateException("mlp-memory: cannot create a temporary directory", e);
        }
        Callback meter = new Callback() {
            long t0, alloc0, pause0;
            Recording recording;

            @Override
            public void onEpochBegin(TrainingContext ctx, int epoch) {
                if (jfr != null && epoch == 1) {
                    recording = new Recording();
                    recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
                    recording.enable("jdk.ObjectAllocationSample");
                    recording.enable("jdk.GarbageCollection");
                    recording.start();
                }
                alloc0 = gc.allocated();
                pause0 = gc.pauseMillis();
                t0 = System.nanoTime();
            }

            @Override
            public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
                double secs = (System.nanoTime() - t0) / 1e9;
                long pause = gc.pauseMillis() - pause0;
                double mb = (gc.allocated() - alloc0) / 1e6;
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("epoch", epoch + 1);
                extra.put("seconds", round(secs, 3));
                extra.put("alloc_mb", round(mb, 1));
                extra.put("alloc_mb_per_s", round(mb / secs, 1));
                extra.put("gc_pause_ms", pause);
                extra.put("gc_share", round(pause / 1e3 / secs, 4));
                extra.put("heap_after_gc_mb", round(gc.usedAfterLastGc() / 1e6, 1));
                extra.put("val_accuracy", round(logs.getOrDefault("val_accuracy", Double.NaN), 4));
                Harness.emit("mlp-memory", threads, "mlp", mb / perEpoch, "MB/step", extra);
            }

            @Override
            public void onTrainEnd(TrainingContext ctx) {
                if (recording == null) return;
                try {
                    recording.dump(Paths.get(jfr));
                    Harness.log("mlp-memory: JFR profile of epochs 2.." + epochs + " in " + jfr);
                } catch (IOException e) {
                    throw new IllegalStateException("mlp-memory: cannot write " + jfr, e);
                } finally {
                    recording.close();
                }
            }
        };
        try (Tracker tracker = new Tracker(dir.resolve("events"))) {
            Trainer trainer = Trainer.builder(model, opt, new CrossEntropyLoss()::apply).epochs(epochs)
                    .scheduler(sched, Trainer.Every.BATCH).callback(meter).tracker(tracker).progress(System.err).build();
            trainer.fit(trainLoader, validLoader);
        } finally {
            deleteTree(dir);
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static int envInt(String name, int def) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) return def;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + "=" + v + ": expected a positive whole number");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
