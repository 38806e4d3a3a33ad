package dev.anneal.bench;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Parallel;
import dev.anneal.kernels.Softmax;
import dev.anneal.nn.loss.Losses;
import dev.anneal.tensor.Generator;
import java.util.Map;

/**
 * {@code softmax-ceiling}: ns per row of the softmax kernels on inputs that stay in L1 (the compute
 * ceiling, no memory traffic) beside the same kernels on the 16M-float inputs of {@code membound},
 * and cross-entropy's kernel (rowStats) beside the whole loss call, to show where the time goes.
 */
public final class SoftmaxBench {
    private SoftmaxBench() {}

    public static void run() {
        Generator g = new Generator(7);
        float[] l1Long = Tensor.randn(g, 8 * 512).toArray(), l1Short = Tensor.randn(g, 1024 * 10).toArray();
        Tensor rows10 = Tensor.randn(g, 1 << 20, 10);
        Tensor target = Tensor.randint(g, 0, 10, rows10.shape()[0]);
        float[] bigLong = Tensor.randn(g, 16 << 20).toArray(), bigShort = rows10.toArray();
        int n10 = rows10.shape()[0];
        float[] m = new float[n10], s = new float[n10], picked = new float[n10];
        int[] pick = new int[n10];
        float[] t = target.toArray();
        for (int i = 0; i < n10; i++) pick[i] = (int) t[i];
        try (var scope = GradMode.noGrad()) {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                emit(threads, "softmax:32768x512", Harness.measure(() -> Softmax.rows(bigLong, 0, 32768, 512, false), 0.3, 0.7) / 32768);
                emit(threads, "log-softmax:1048576x10", Harness.measure(() -> Softmax.rows(bigShort, 0, n10, 10, true), 0.3, 0.7) / n10);
                emit(threads, "ce-rowstats:1048576x10",
                        Harness.measure(() -> Softmax.rowStats(bigShort, 0, n10, 10, m, s, pick, picked), 0.3, 0.7) / n10);
                emit(threads, "cross-entropy:1048576x10", Harness.measure(() -> Losses.crossEntropy(rows10, target), 0.3, 0.7) / n10);
            }
            // last, when the kernels have long been compiled
            Parallel.setThreads(1);
            emit(1, "softmax-l1:8x512", Harness.measure(() -> Softmax.rows(l1Long, 0, 8, 512, false), 1.0, 0.5) / 8);
            emit(1, "log-softmax-l1:1024x10", Harness.measure(() -> Softmax.rows(l1Short, 0, 1024, 10, true), 1.0, 0.5) / 1024);
            emit(1, "ce-rowstats-l1:1024x10", Harness.measure(() -> Softmax.rowStats(l1Short, 0, 1024, 10, m, s, pick, picked), 1.0, 0.5) / 1024);
        }
    }

    private static void emit(int threads, String what, double secondsPerRow) {
        Harness.emit("softmax-ceiling", threads, what, secondsPerRow * 1e9, "ns/row", Map.of("op", what.substring(0, what.indexOf(':'))));
    }
}
