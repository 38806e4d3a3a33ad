package dev.anneal.bench;

import dev.anneal.kernels.Matmul;
import dev.anneal.kernels.Parallel;
import dev.anneal.kernels.VectorSupport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plain-main micro-benchmarks. Usage: {@code Main [NAME...]} (no names = all). Prints one JSON
 * object per line on stdout, e.g.
 * {@code {"bench": "matmul", "impl": "anneal", "threads": 1, "size": 1024, "value": 71.3, "unit": "GFLOP/s"}};
 * progress and diagnostics go to stderr.
 */
public final class Main {
    private static final int[] THREADS = {1, 2};
    private static final int[] MATMUL_SIZES = {128, 256, 512, 1024, 2048};
    private static final int ADD_SIZE = 32 * 1024 * 1024;

    private static final Map<String, Runnable> BENCHES = new LinkedHashMap<>();

    static {
        BENCHES.put("matmul", Main::matmul);
        BENCHES.put("add", Main::add);
    }

    private Main() {}

    public static void main(String[] args) {
        List<String> names = args.length == 0 ? new ArrayList<>(BENCHES.keySet()) : Arrays.asList(args);
        for (String name : names) {
            if (!BENCHES.containsKey(name)) {
                System.err.println("unknown benchmark '" + name + "'; known: " + String.join(", ", BENCHES.keySet()));
                System.exit(2);
            }
        }
        log("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + Runtime.getRuntime().availableProcessors() + " cpus, kernels: " + VectorSupport.describe());
        int savedThreads = Parallel.threads();
        try {
            for (String name : names) BENCHES.get(name).run();
        } finally {
            Parallel.setThreads(savedThreads);
        }
    }

    // ------------------------------------------------------------------ matmul

    private static void matmul() {
        // JIT warm-up on a mid-size product so the first timed point is not measuring the interpreter.
        warmUpMatmul();
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            for (int n : MATMUL_SIZES) {
                float[] a = random(n * n, 1), b = random(n * n, 2), c = new float[n * n];
                double seconds = measure(() -> Matmul.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false),
                        0.15, 0.35);
                emit("matmul", threads, n, 2.0 * n * n * n / seconds / 1e9, "GFLOP/s");
            }
        }
    }

    private static void warmUpMatmul() {
        log("matmul: warming up");
        int n = 384;
        float[] a = random(n * n, 3), b = random(n * n, 4), c = new float[n * n];
        long end = System.nanoTime() + 1_500_000_000L;
        int round = 0;
        while (System.nanoTime() < end) {
            // cover all transpose combinations and the small path too
            boolean ta = (round & 1) != 0, tb = (round & 2) != 0;
            Matmul.gemm(ta, tb, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
            Matmul.gemm(ta, tb, 24, 24, 24, a, 0, 24, b, 0, 24, c, 0, 24, true);
            round++;
        }
    }

    // ------------------------------------------------------------------ add

    private static void add() {
        int n = ADD_SIZE;
        float[] a = random(n, 5), b = random(n, 6), c = new float[n];
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            double seconds = measure(() -> addOnce(a, b, c), 0.2, 0.4);
            emit("add", threads, n, 3.0 * Float.BYTES * n / seconds / 1e9, "GB/s");
        }
    }

    /** c = a + b elementwise (the operation timed by the add benchmark). */
    static void addOnce(float[] a, float[] b, float[] c) {
        Parallel.forRange(c.length, 1 << 16, (from, to) -> {
            for (int i = from; i < to; i++) c[i] = a[i] + b[i];
        });
    }

    // ------------------------------------------------------------------ harness

    /**
     * Runs op for at least warmSeconds (at least twice), then takes 7 samples, each of enough
     * back-to-back runs to last about timedSeconds/7, and returns the median seconds per run.
     */
    private static double measure(Runnable op, double warmSeconds, double timedSeconds) {
        long t0 = System.nanoTime();
        int warm = 0;
        while (warm < 2 || (System.nanoTime() - t0) < warmSeconds * 1e9) {
            op.run();
            warm++;
        }
        double perRun = (System.nanoTime() - t0) / 1e9 / warm;
        int samples = 7;
        int reps = (int) Math.max(1, Math.ceil(timedSeconds / samples / perRun));
        double[] t = new double[samples];
        for (int s = 0; s < samples; s++) {
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) op.run();
            t[s] = (System.nanoTime() - start) / 1e9 / reps;
        }
        Arrays.sort(t);
        return t[samples / 2];
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    private static void emit(String bench, int threads, int size, double value, String unit) {
        System.out.println(String.format(Locale.ROOT,
                "{\"bench\": \"%s\", \"impl\": \"anneal\", \"threads\": %d, \"size\": %d, \"value\": %.1f, \"unit\": \"%s\"}",
                bench, threads, size, value, unit));
        System.out.flush();
    }

    private static void log(String msg) {
        System.err.println("[bench] " + msg);
    }
}
