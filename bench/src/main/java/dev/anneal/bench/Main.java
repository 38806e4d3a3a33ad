package dev.anneal.bench;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Parallel;
import dev.anneal.kernels.VectorSupport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain-main micro-benchmarks. Usage: {@code Main [NAME...]} (no names = all). Prints one JSON
 * object per line on stdout, e.g.
 * {@code {"bench": "matmul", "impl": "anneal", "threads": 1, "size": 1024, "value": 71.3, "unit": "GFLOP/s"}};
 * progress and diagnostics go to stderr.
 */
public final class Main {
    private static final int[] THREADS = {1, 2};
    private static final int ADD_SIZE = 32 * 1024 * 1024;

    private static final Map<String, Runnable> BENCHES = new LinkedHashMap<>();

    static {
        BENCHES.put("matmul", MatmulBench::run);
        BENCHES.put("parallel-overhead", MatmulBench::parallelOverhead);
        BENCHES.put("add", Main::add);
        BENCHES.put("conv", ConvBench::run);
        BENCHES.put("optim-step", OptimBench::optimStep);
        BENCHES.put("triad", OptimBench::triad);
        BENCHES.put("mlp-step", OverheadBench::mlpStep);
        BENCHES.put("op-overhead", OverheadBench::opOverhead);
        BENCHES.put("membound", MemoryBoundBench::run);
        BENCHES.put("mlp-memory", EpochMemoryBench::run);
        BENCHES.put("batchnorm", BatchNormBench::run);
        BENCHES.put("softmax-ceiling", SoftmaxBench::run);
        BENCHES.put("short-rows", ShortRowSoftmaxBench::run);
        // in the kernels package, for the package-private exp and log; after the others, since an exp
        // compiled on its own before the kernels' warm-up may stay out of their compiles
        BENCHES.put("short-rows-ceiling", dev.anneal.kernels.ShortRowCeiling::run);
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

    // ------------------------------------------------------------------ add

    private static void add() {
        int n = ADD_SIZE;
        Tensor a = Tensor.of(random(n, 5), n), b = Tensor.of(random(n, 6), n);
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            // the user-facing op: reads a and b, writes a fresh output tensor
            double seconds = measure(() -> a.add(b), 0.2, 0.4);
            emit("add", threads, n, 3.0 * Float.BYTES * n / seconds / 1e9, "GB/s");
        }
    }

    // ------------------------------------------------------------------ harness

    private static double measure(Runnable op, double warmSeconds, double timedSeconds) {
        return Harness.measure(op, warmSeconds, timedSeconds);
    }

    private static float[] random(int n, long seed) {
        return Harness.random(n, seed);
    }

    private static void emit(String bench, int threads, int size, double value, String unit) {
        Harness.emit(bench, threads, size, value, unit, null);
    }

    private static void log(String msg) {
        Harness.log(msg);
    }
}
