package dev.anneal.bench;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Parallel;
import dev.anneal.nn.functional.Norm;
import dev.anneal.tensor.Generator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code batchnorm}: the BatchNorm cases of the fast-kernels issue in one short run: BatchNorm2d in
 * training, forward + backward at the CNN's shapes (images/s, as in {@code conv}); BatchNorm1d at the
 * MLP's batch-128 shapes (µs per call, forward alone and forward + backward, as in {@code membound
 * mlp-shapes}); BatchNorm1d training forward over [65536, 256] (GB/s of 3 passes, beside a triad, as in
 * {@code membound}), and eval. BN_ONLY=prefix,... picks cases. {@code bench/pytorch_batchnorm.py} is
 * its counterpart (it warms up the same way: every case once before the timed rounds).
 */
public final class BatchNormBench {
    private static final int BATCH = 128;

    private BatchNormBench() {}

    private static boolean selected(String name) {
        return Harness.selected("BN_ONLY", name);
    }

    public static void run() {
        Generator g = new Generator(7);
        Map<String, Runnable> images = new LinkedHashMap<>();
        images.put("batchnorm2d 128x32x28x28", ConvBench.batchNorm(g, 32, 28));
        images.put("batchnorm2d 128x64x14x14", ConvBench.batchNorm(g, 64, 14));
        Map<String, Runnable> micro = new LinkedHashMap<>();
        for (int c : new int[] {256, 128}) {
            Tensor h = Tensor.randn(g, BATCH, c), hg = h.detach().requiresGrad(true);
            Tensor rm = Tensor.zeros(c), rv = Tensor.ones(c), w = Tensor.ones(c).requiresGrad(true), b = Tensor.zeros(c).requiresGrad(true);
            micro.put("batchnorm-train:128x" + c, () -> {
                try (var s = GradMode.noGrad()) {
                    Norm.batchNorm(h, rm, rv, w, b, true, 0.1, 1e-5);
                }
            });
            micro.put("batchnorm-train-fwd-bwd:128x" + c, () -> Norm.batchNorm(hg, rm, rv, w, b, true, 0.1, 1e-5).sum().backward());
        }
        int n = 16 * 1024 * 1024;
        Tensor big = Tensor.randn(g, n / 256, 256);
        Tensor rm = Tensor.zeros(256), rv = Tensor.ones(256), w = Tensor.ones(256), b = Tensor.zeros(256);
        float[] ta = new float[n], tb = Harness.random(n, 3), tc = Harness.random(n, 4);
        // every case runs for a while first, so that the 1-thread figures (taken first) are not those of
        // code still being compiled
        for (Map<String, Runnable> m : List.of(images, micro))
            for (Map.Entry<String, Runnable> e : m.entrySet())
                if (selected(e.getKey())) Harness.measure(e.getValue(), 0.5, 0.1);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (Map.Entry<String, Runnable> e : images.entrySet()) {
                if (!selected(e.getKey())) continue;
                double seconds = Harness.measure(e.getValue(), 1.0, 1.5);
                Harness.emit("batchnorm", threads, e.getKey().split(" ")[1], BATCH / seconds, "images/s",
                        Map.of("op", "batchnorm2d", "pass", "forward+backward"));
            }
            for (Map.Entry<String, Runnable> e : micro.entrySet()) {
                if (!selected(e.getKey())) continue;
                double us = Harness.measure(e.getValue(), 0.5, 0.4) * 1e6;
                Harness.emit("batchnorm", threads, e.getKey(), Math.round(us * 100) / 100.0, "us",
                        Map.of("op", e.getKey().substring(0, e.getKey().indexOf(':'))));
            }
            if (!selected("batchnorm-large")) continue;
            try (var s = GradMode.noGrad()) {
                double triadSeconds = Harness.measure(() -> Parallel.forRange(n, 1 << 16, (from, to) -> {
                    for (int i = from; i < to; i++) ta[i] = tb[i] + 1.5f * tc[i];
                }), 0.3, 0.7);
                double triad = 3.0 * Float.BYTES * n / triadSeconds / 1e9;
                Harness.emit("batchnorm", threads, "triad", triad, "GB/s", Map.of("op", "triad", "triad_ratio", 1.0));
                for (boolean train : new boolean[] {true, false}) {
                    long floats = (train ? 3L : 2L) * n;
                    double seconds = Harness.measure(() -> Norm.batchNorm(big, rm, rv, w, b, train, 0.1, 1e-5), 0.3, 0.7);
                    double gbs = floats * Float.BYTES / seconds / 1e9;
                    Harness.emit("batchnorm", threads, (n / 256) + "x256", gbs, "GB/s",
                            Map.of("op", train ? "batchnorm-large-train" : "batchnorm-large-eval", "triad_ratio",
                                    Math.round(gbs / triad * 100) / 100.0));
                }
            }
        }
    }

    public static void main(String[] args) {
        run();
    }
}
