package dev.anneal.bench;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Parallel;
import dev.anneal.kernels.Softmax;
import dev.anneal.nn.loss.Losses;
import dev.anneal.tensor.Generator;
import java.util.Map;

/**
 * {@code short-rows}: ns per row of softmax, log-softmax and cross-entropy over rows of 10 (a 10-class
 * classifier) at [1M, 10] (memory) and [128, 10] (an MLP batch, in cache), on 1 and 2 threads: the
 * kernels (rowStats, softmaxMinusOneHot) and the user-facing calls (cross-entropy without and with
 * backward, logSoftmax, softmax).
 */
public final class ShortRowSoftmaxBench {
    private ShortRowSoftmaxBench() {}

    public static void run() {
        Generator g = new Generator(7);
        for (int rows : new int[] {1 << 20, 128}) {
            Tensor x = Tensor.randn(g, rows, 10), target = Tensor.randint(g, 0, 10, rows);
            Tensor leaf = x.detach().requiresGrad(true);
            float[] xs = x.toArray(), max = new float[rows], logSum = new float[rows], picked = new float[rows], scale = new float[rows];
            int[] pick = new int[rows];
            float[] t = target.toArray();
            for (int i = 0; i < rows; i++) {
                pick[i] = (int) t[i];
                scale[i] = 1f / rows;
            }
            String size = rows + "x10";
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                try (var scope = GradMode.noGrad()) {
                    emit(threads, size, "rowstats", Harness.measure(() -> Softmax.rowStats(xs, 0, rows, 10, max, logSum, pick, picked), 0.3, 0.7) / rows);
                    emit(threads, size, "ce-grad-kernel",
                            Harness.measure(() -> Softmax.softmaxMinusOneHot(xs, 0, rows, 10, max, logSum, pick, scale), 0.3, 0.7) / rows);
                    emit(threads, size, "cross-entropy", Harness.measure(() -> Losses.crossEntropy(x, target), 0.3, 0.7) / rows);
                    emit(threads, size, "log-softmax", Harness.measure(() -> x.logSoftmax(1), 0.3, 0.7) / rows);
                    emit(threads, size, "softmax", Harness.measure(() -> x.softmax(1), 0.3, 0.7) / rows);
                }
                emit(threads, size, "cross-entropy-fwd-bwd", Harness.measure(() -> {
                    leaf.setGrad(null);
                    Losses.crossEntropy(leaf, target).backward();
                }, 0.3, 0.7) / rows);
            }
        }
    }

    private static void emit(int threads, String size, String op, double secondsPerRow) {
        Harness.emit("short-rows", threads, size, secondsPerRow * 1e9, "ns/row", Map.of("op", op));
    }
}
