package dev.anneal.bench;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Parallel;
import dev.anneal.nn.functional.Norm;
import dev.anneal.nn.loss.Losses;
import dev.anneal.tensor.Generator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code membound}: the memory-bound ops of the issue (elementwise, reductions, softmax, cross-entropy,
 * BatchNorm) on 16M-float tensors, as user-facing Tensor calls (each allocates its output, as PyTorch's
 * do; the {@code -out} cases write into an existing tensor, PyTorch's out=), in GB/s of compulsory traffic (each input read once, each output written once; BatchNorm in
 * training reads its input twice, for the statistics and then to normalize), beside a triad
 * (a = b + s·c) measured in the same run. The figure of merit is op GB/s / triad GB/s (target ≥ 0.8).
 * {@code bench/pytorch_membound.py} runs the same cases through PyTorch.
 */
public final class MemoryBoundBench {
    private static final int[] THREADS = {1, 2};
    private static final int N = 16 * 1024 * 1024;

    private MemoryBoundBench() {}

    /** One case: what it computes, its shape label and how many floats it must move per run. */
    private record Case(String name, String shape, long floats, Supplier<Tensor> op) {}

    /** MEMBOUND_ONLY=name,name... (op names, or prefixes of them) runs only those cases; the triad always runs. */
    private static boolean selected(String name) {
        return Harness.selected("MEMBOUND_ONLY", name);
    }

    public static void run() {
        Generator g = new Generator(7);
        Tensor a = Tensor.randn(g, N), b = Tensor.randn(g, N);
        Tensor rows512 = a.reshape(N / 512, 512);
        Tensor rows10 = Tensor.randn(g, 1 << 20, 10);
        Tensor target = Tensor.randint(g, 0, 10, rows10.shape()[0]);
        Tensor bnInput = a.reshape(N / 256, 256);
        Tensor runMean = Tensor.zeros(256), runVar = Tensor.ones(256);
        Tensor weight = Tensor.ones(256), bias = Tensor.zeros(256);
        Tensor out = Tensor.zeros(N);
        Case[] cases = {
                new Case("add", "" + N, 3L * N, () -> a.add(b)),
                new Case("mul-scalar", "" + N, 2L * N, () -> a.mul(1.5f)),
                new Case("relu", "" + N, 2L * N, a::relu),
                // the out= forms write into an existing tensor, as the triad does: no zero-filled new array
                new Case("add-out", "" + N, 3L * N, () -> a.addOut(b, out)),
                new Case("mul-scalar-out", "" + N, 2L * N, () -> a.mulOut(1.5f, out)),
                new Case("relu-out", "" + N, 2L * N, () -> a.reluOut(out)),
                new Case("sum", "" + N, N, a::sum),
                new Case("sum-rows", (N / 512) + "x512", N, () -> rows512.sum(1)),
                new Case("softmax", (N / 512) + "x512", 2L * N, () -> rows512.softmax(1)),
                new Case("log-softmax-10", rows10.shape()[0] + "x10", 2L * rows10.numel(), () -> rows10.logSoftmax(1)),
                new Case("cross-entropy-10", rows10.shape()[0] + "x10", rows10.numel() + rows10.shape()[0],
                        () -> Losses.crossEntropy(rows10, target)),
                new Case("batchnorm-train", (N / 256) + "x256", 3L * N, // two passes: statistics, then normalize
                        () -> Norm.batchNorm(bnInput, runMean, runVar, weight, bias, true, 0.1, 1e-5)),
        };
        float[] ta = new float[N], tb = Harness.random(N, 3), tc = Harness.random(N, 4);
        try (var scope = GradMode.noGrad()) {
            for (int threads : THREADS) {
                Parallel.setThreads(threads);
                // the machine's bandwidth is the better of a plain loop (C2 auto-vectorizes it) and an
                // explicit Vector API loop: ratios against a slow triad would flatter every op
                double loopSeconds = Harness.measure(() -> Parallel.forRange(N, 1 << 16, (from, to) -> {
                    for (int i = from; i < to; i++) ta[i] = tb[i] + 1.5f * tc[i];
                }), 0.3, 0.7);
                double vectorSeconds = Harness.measure(() -> Parallel.forRange(N, 1 << 16, (from, to) -> vectorTriad(ta, tb, tc, from, to)),
                        0.3, 0.7);
                double triad = 3.0 * Float.BYTES * N / Math.min(loopSeconds, vectorSeconds) / 1e9;
                Harness.emit("membound", threads, "triad", triad, "GB/s", Map.of("op", "triad", "triad_ratio", 1.0,
                        "loop_gbs", Math.round(3.0 * Float.BYTES * N / loopSeconds / 1e8) / 10.0,
                        "vector_gbs", Math.round(3.0 * Float.BYTES * N / vectorSeconds / 1e8) / 10.0));
                for (Case c : cases) {
                    if (!selected(c.name())) continue;
                    double seconds = Harness.measure(() -> c.op().get(), 0.3, 0.7);
                    double gbs = (double) c.floats() * Float.BYTES / seconds / 1e9;
                    Map<String, Object> extra = new LinkedHashMap<>();
                    extra.put("op", c.name());
                    extra.put("triad_ratio", Math.round(gbs / triad * 100) / 100.0);
                    Harness.emit("membound", threads, c.name() + ":" + c.shape(), gbs, "GB/s", extra);
                }
            }
        }
        if (selected("mlp-shapes")) mlpShapes(g);
    }

    /** a[i] = b[i] + 1.5·c[i] over [from, to), SPECIES_PREFERRED lanes at a time. */
    private static void vectorTriad(float[] a, float[] b, float[] c, int from, int to) {
        VectorSpecies<Float> species = FloatVector.SPECIES_PREFERRED;
        int i = from;
        for (int end = from + species.loopBound(to - from); i < end; i += species.length())
            FloatVector.fromArray(species, c, i).mul(1.5f).add(FloatVector.fromArray(species, b, i)).intoArray(a, i);
        for (; i < to; i++) a[i] = b[i] + 1.5f * c[i];
    }

    /**
     * {@code mlp-shapes}: the memory-bound ops at the Fashion-MNIST MLP's shapes, run every training step
     * (batch 128): cross-entropy and log-softmax over [128, 10], BatchNorm1d in training over [128, 256] and
     * [128, 128]; forward alone (no grad) and forward + backward, in µs per call (per-call overhead counts).
     */
    private static void mlpShapes(Generator g) {
        Tensor logits = Tensor.randn(g, 128, 10), target = Tensor.randint(g, 0, 10, 128);
        Tensor h256 = Tensor.randn(g, 128, 256), h128 = Tensor.randn(g, 128, 128);
        Tensor[] bn256 = {Tensor.zeros(256), Tensor.ones(256), Tensor.ones(256).requiresGrad(true), Tensor.zeros(256).requiresGrad(true)};
        Tensor[] bn128 = {Tensor.zeros(128), Tensor.ones(128), Tensor.ones(128).requiresGrad(true), Tensor.zeros(128).requiresGrad(true)};
        Tensor logitsG = logits.detach().requiresGrad(true), h256G = h256.detach().requiresGrad(true), h128G = h128.detach().requiresGrad(true);
        Map<String, Runnable> cases = new LinkedHashMap<>();
        cases.put("cross-entropy:128x10", () -> {
            try (var s = GradMode.noGrad()) {
                Losses.crossEntropy(logits, target);
            }
        });
        cases.put("cross-entropy-fwd-bwd:128x10", () -> Losses.crossEntropy(logitsG, target).backward());
        cases.put("log-softmax:128x10", () -> {
            try (var s = GradMode.noGrad()) {
                logits.logSoftmax(1);
            }
        });
        cases.put("batchnorm-train:128x256", () -> {
            try (var s = GradMode.noGrad()) {
                Norm.batchNorm(h256, bn256[0], bn256[1], bn256[2], bn256[3], true, 0.1, 1e-5);
            }
        });
        cases.put("batchnorm-train-fwd-bwd:128x256",
                () -> Norm.batchNorm(h256G, bn256[0], bn256[1], bn256[2], bn256[3], true, 0.1, 1e-5).sum().backward());
        cases.put("batchnorm-train:128x128", () -> {
            try (var s = GradMode.noGrad()) {
                Norm.batchNorm(h128, bn128[0], bn128[1], bn128[2], bn128[3], true, 0.1, 1e-5);
            }
        });
        cases.put("batchnorm-train-fwd-bwd:128x128",
                () -> Norm.batchNorm(h128G, bn128[0], bn128[1], bn128[2], bn128[3], true, 0.1, 1e-5).sum().backward());
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            for (Map.Entry<String, Runnable> c : cases.entrySet()) {
                double us = Harness.measure(c.getValue(), 0.5, 0.4) * 1e6;
                Harness.emit("membound", threads, c.getKey(), Math.round(us * 100) / 100.0, "us",
                        Map.of("op", "mlp-shapes:" + c.getKey().substring(0, c.getKey().indexOf(':'))));
            }
        }
    }
}
