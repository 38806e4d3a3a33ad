package dev.anneal.bench;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Convolution;
import dev.anneal.kernels.Parallel;
import dev.anneal.nn.functional.Conv;
import dev.anneal.nn.functional.Norm;
import dev.anneal.nn.functional.Pool;
import dev.anneal.tensor.Generator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Forward + backward of the Fashion-MNIST CNN's convolution, max-pool and batch-norm layers at
 * batch 128, through the differentiable functional ops, in images/s; compare with
 * bench/pytorch_conv.py. The first convolution's input needs no gradient (it is the image), as
 * in the real network; every other input does. The 32→64 convolution is also timed pass by pass
 * (bench "conv_passes": forward, weight + bias gradient, input gradient, each allocating its
 * result as the layer does). CONV_BENCH_ONLY=text keeps only the cases whose name contains text.
 */
public final class ConvBench {
    private static final int BATCH = 128;

    private ConvBench() {}

    public static void run() {
        Generator g = new Generator(1);
        Map<String, Supplier<Runnable>> cases = new LinkedHashMap<>();
        cases.put("conv2d 128x1x28x28->32 k3p1", () -> conv(g, 1, 32, 28, false));
        cases.put("conv2d 128x32x14x14->64 k3p1", () -> conv(g, 32, 64, 14, true));
        cases.put("maxpool2d 128x32x28x28 k2", () -> maxPool(g, 32, 28));
        cases.put("maxpool2d 128x64x14x14 k2", () -> maxPool(g, 64, 14));
        cases.put("batchnorm2d 128x32x28x28", () -> batchNorm(g, 32, 28));
        cases.put("batchnorm2d 128x64x14x14", () -> batchNorm(g, 64, 14));
        // CONV_BENCH_ONLY=text: only the cases (and passes) whose name contains text, e.g. "32x14" or "->64"
        String only = System.getenv().getOrDefault("CONV_BENCH_ONLY", "");
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (Map.Entry<String, Supplier<Runnable>> e : cases.entrySet()) {
                if (!e.getKey().contains(only)) continue;
                String[] parts = e.getKey().split(" ");
                Runnable op = e.getValue().get();
                double seconds = Harness.measure(op, 1.0, 1.5);
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("op", parts[0]);
                extra.put("pass", "forward+backward");
                Harness.emit("conv_layers", threads, parts[1] + (parts.length > 2 ? " " + parts[2] : ""), BATCH / seconds,
                        "images/s", extra);
            }
            if (!"conv2d 128x32x14x14->64 k3p1".contains(only)) continue;
            for (Map.Entry<String, Runnable> e : passes(g, 32, 64, 14).entrySet()) {
                double seconds = Harness.measure(e.getValue(), 1.0, 1.5);
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("op", "conv2d");
                extra.put("pass", e.getKey());
                Harness.emit("conv_passes", threads, "128x32x14x14->64 k3p1", BATCH / seconds, "images/s", extra);
            }
        }
    }

    /** The three passes of one 3×3, padding 1 convolution, separately. */
    private static Map<String, Runnable> passes(Generator g, int in, int out, int size) {
        Tensor x = Tensor.randn(g, BATCH, in, size, size), w = Tensor.randn(g, out, in, 3, 3), b = Tensor.randn(g, out);
        float[] xd = x.toArray(), wd = w.toArray(), gy = Tensor.randn(g, BATCH, out, size, size).toArray();
        Convolution.Geometry geo = new Convolution.Geometry(BATCH, in, size, size, out, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        Map<String, Runnable> passes = new LinkedHashMap<>();
        passes.put("forward", () -> {
            try (GradMode.NoGrad s = GradMode.noGrad()) {
                Conv.conv2d(x, w, b, 1, 1);
            }
        });
        passes.put("weight+bias grad", () -> Convolution.backward(geo, xd, 0, wd, 0, gy, null, new float[wd.length], new float[out]));
        passes.put("input grad", () -> Convolution.backward(geo, xd, 0, wd, 0, gy, new float[xd.length], null, null));
        return passes;
    }

    private static Runnable conv(Generator g, int in, int out, int size, boolean inputGrad) {
        Tensor x = Tensor.randn(g, BATCH, in, size, size).requiresGrad(inputGrad);
        Tensor w = Tensor.randn(g, out, in, 3, 3).requiresGrad(true), b = Tensor.randn(g, out).requiresGrad(true);
        Tensor gy = Tensor.randn(g, BATCH, out, size, size);
        return () -> {
            x.setGrad(null);
            w.setGrad(null);
            b.setGrad(null);
            Conv.conv2d(x, w, b, 1, 1).backward(gy);
        };
    }

    private static Runnable maxPool(Generator g, int channels, int size) {
        Tensor x = Tensor.randn(g, BATCH, channels, size, size).requiresGrad(true);
        Tensor gy = Tensor.randn(g, BATCH, channels, size / 2, size / 2);
        return () -> {
            x.setGrad(null);
            Pool.maxPool2d(x, 2).backward(gy);
        };
    }

    /** BatchNorm2d in training, forward + backward, at batch 128 (also {@code batchnorm}'s case). */
    static Runnable batchNorm(Generator g, int channels, int size) {
        Tensor x = Tensor.randn(g, BATCH, channels, size, size).requiresGrad(true);
        Tensor w = Tensor.ones(channels).requiresGrad(true), b = Tensor.zeros(channels).requiresGrad(true);
        Tensor rm = Tensor.zeros(channels), rv = Tensor.ones(channels);
        Tensor gy = Tensor.randn(g, BATCH, channels, size, size);
        return () -> {
            x.setGrad(null);
            w.setGrad(null);
            b.setGrad(null);
            Norm.batchNorm(x, rm, rv, w, b, true, 0.1, 1e-5).backward(gy);
        };
    }

    public static void main(String[] args) {
        run();
    }
}
