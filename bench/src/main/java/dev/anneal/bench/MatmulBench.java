package dev.anneal.bench;

import dev.anneal.kernels.Matmul;
import dev.anneal.kernels.Parallel;
import java.util.Map;

/**
 * GEMM benchmarks: square {@code Matmul.gemm} products, the MLP's layer products (forward a·bᵀ
 * and both backward products), and the fork-join cost of the shared {@link Parallel} pool.
 */
public final class MatmulBench {
    private static final int[] THREADS = {1, 2};
    private static final int[] SQUARE_SIZES = {128, 256, 512, 1024, 2048};
    /**
     * {m, n, k, transA, transB} of the Fashion-MNIST MLP (784-256-128-10, batch 128): per layer
     * the forward x·Wᵀ (NT), the input gradient g·W (NN) and the weight gradient gᵀ·x (TN).
     */
    private static final int[][] MLP_SHAPES = {
        {128, 256, 784, 0, 1}, {128, 784, 256, 0, 0}, {256, 784, 128, 1, 0},
        {128, 128, 256, 0, 1}, {128, 256, 128, 0, 0}, {128, 256, 128, 1, 0},
        {128, 10, 128, 0, 1}, {128, 128, 10, 0, 0}, {10, 128, 128, 1, 0},
    };

    private MatmulBench() {}

    /**
     * Square products at n = 128..2048 ({"size": n}) and the MLP shapes ({"size": "MxNxK",
     * "op": "NN" | "NT" | "TN"}), in GFLOP/s (2mnk flops), with 1 and 2 threads.
     */
    public static void run() {
        warmUp();
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            for (int n : SQUARE_SIZES) {
                double gflops = gflops(n, n, n, false, false);
                Harness.emit("matmul", threads, n, gflops, "GFLOP/s", null);
            }
            for (int[] s : MLP_SHAPES) {
                boolean ta = s[3] != 0, tb = s[4] != 0;
                double gflops = gflops(s[0], s[1], s[2], ta, tb);
                String op = (ta ? "T" : "N") + (tb ? "T" : "N");
                Harness.emit("matmul", threads, s[0] + "x" + s[1] + "x" + s[2], gflops, "GFLOP/s", Map.of("op", op));
            }
        }
    }

    /**
     * Fork-join cost of {@code Parallel.forRange} in µs: one chunk per thread, each busy for 10 µs,
     * timed per call minus those 10 µs (1 thread: the cost of a call that does not fork). A worker
     * that does not get a core in time shows up here: the caller then runs its chunk as well.
     */
    public static void parallelOverhead() {
        long busy = 10_000;
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            double seconds = Harness.measure(() -> Parallel.forRange(threads, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    long t0 = System.nanoTime();
                    while (System.nanoTime() - t0 < busy) Thread.onSpinWait();
                }
            }), 0.3, 0.5);
            Harness.emit("parallel-overhead", threads, threads, seconds * 1e6 - busy / 1e3, "us", null);
        }
    }

    private static double gflops(int m, int n, int k, boolean ta, boolean tb) {
        float[] a = Harness.random(m * k, 1), b = Harness.random(k * n, 2), c = new float[m * n];
        int lda = ta ? m : k, ldb = tb ? k : n;
        double seconds = Harness.measure(() -> Matmul.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false),
                0.15, 0.35);
        return 2.0 * m * n * k / seconds / 1e9;
    }

    /**
     * JIT warm-up (3 s) over every path the timed cases take: all four transpose combinations of a
     * mid-size product, one with edge tiles, a narrow (10-column) one and a small one, on 1 and 2
     * threads, so that the kernels are compiled once with a complete profile instead of being
     * recompiled as each new kind of case shows up (which on a loaded machine can take seconds).
     */
    private static void warmUp() {
        Harness.log("matmul: warming up");
        int n = 384;
        float[] a = Harness.random(n * n, 3), b = Harness.random(n * n, 4), c = new float[n * n];
        long end = System.nanoTime() + 3_000_000_000L;
        int round = 0;
        while (System.nanoTime() < end) {
            boolean ta = (round & 1) != 0, tb = (round & 2) != 0;
            Parallel.setThreads(1 + ((round >> 2) & 1));
            Matmul.gemm(ta, tb, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
            Matmul.gemm(ta, tb, 100, 70, 90, a, 0, ta ? 100 : 90, b, 0, tb ? 90 : 70, c, 0, 70, false);
            Matmul.gemm(ta, tb, 128, 10, 128, a, 0, 128, b, 0, tb ? 128 : 10, c, 0, 10, false);
            Matmul.gemm(ta, tb, 24, 24, 24, a, 0, 24, b, 0, 24, c, 0, 24, true);
            round++;
        }
    }
}
