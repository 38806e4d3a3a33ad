package dev.anneal.nn.functional;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Pooling;
import dev.anneal.tensor.Shape;
import java.util.Arrays;

/** Differentiable 2-D pooling (max, average, adaptive average) backed by {@link Pooling}. */
public final class Pool {
    private Pool() {}

    /** Max pooling with a square kernel, stride = kernel, no padding. */
    public static Tensor maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, new int[] {kernel}, null, null, null, false);
    }

    /**
     * Max over kernel windows of x [N, C, H, W] or [C, H, W]. Each size holds one value for both
     * directions or (height, width); stride null means the kernel size, padding null 0 (padding
     * counts as −∞), dilation null 1. ceilMode rounds the output size up, as PyTorch does.
     * The gradient goes to the first maximum of each window.
     */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        String op = "maxPool2d";
        Args.image(op, x);
        int[] k = Args.pair(op, "kernel size", kernel, 0);
        int[] s = stride == null || stride.length == 0 ? k.clone() : Args.pair(op, "stride", stride, 1);
        int[] p = Args.pair(op, "padding", padding, 0), d = Args.pair(op, "dilation", dilation, 1);
        Args.positive(op, "kernel size", k);
        Args.positive(op, "stride", s);
        Args.nonNegative(op, "padding", p);
        Args.positive(op, "dilation", d);
        checkPadding(op, k, p);
        int[] xs = x.shape();
        int h = xs[xs.length - 2], w = xs[xs.length - 1];
        Pooling.Window win = window(op, xs, k, s, p, d, ceilMode);
        Tensor xc = x.contiguous();
        int planes = xc.numel() / (h * w);
        int[] idx = new int[planes * win.oh * win.ow];
        float[] y = Pooling.maxForward(xc.storageData(), xc.layoutView().offset(), planes, h, w, win, idx);
        return Functions.custom("maxPool2d", y, outShape(xs, win.oh, win.ow), new Tensor[] {xc},
                gOut -> new Tensor[] {Functions.wrap(Pooling.maxBackward(Args.data(gOut), idx, planes, h, w, win), xs)});
    }

    /** Average pooling with a square kernel, stride = kernel, no padding. */
    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, new int[] {kernel}, null, null, false, true, 0);
    }

    /**
     * Mean over kernel windows of x [N, C, H, W] or [C, H, W] (stride null means the kernel size).
     * countIncludePad counts padded zeros in the divisor; divisorOverride > 0 replaces the divisor.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                                   int divisorOverride) {
        String op = "avgPool2d";
        Args.image(op, x);
        int[] k = Args.pair(op, "kernel size", kernel, 0);
        int[] s = stride == null || stride.length == 0 ? k.clone() : Args.pair(op, "stride", stride, 1);
        int[] p = Args.pair(op, "padding", padding, 0);
        Args.positive(op, "kernel size", k);
        Args.positive(op, "stride", s);
        Args.nonNegative(op, "padding", p);
        if (divisorOverride < 0) throw new IllegalArgumentException(op + ": divisorOverride must be positive (or 0 for none), got " + divisorOverride);
        checkPadding(op, k, p);
        int[] xs = x.shape();
        int h = xs[xs.length - 2], w = xs[xs.length - 1];
        Pooling.Window win = window(op, xs, k, s, p, new int[] {1, 1}, ceilMode);
        Tensor xc = x.contiguous();
        int planes = xc.numel() / (h * w);
        float[] y = Pooling.avgForward(xc.storageData(), xc.layoutView().offset(), planes, h, w, win, countIncludePad, divisorOverride);
        return Functions.custom("avgPool2d", y, outShape(xs, win.oh, win.ow), new Tensor[] {xc},
                gOut -> new Tensor[] {Functions.wrap(
                        Pooling.avgBackward(Args.data(gOut), planes, h, w, win, countIncludePad, divisorOverride), xs)});
    }

    /**
     * Average pooling of x [N, C, H, W] or [C, H, W] to exactly outH×outW: output cell i covers
     * input rows [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉), likewise for columns.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        String op = "adaptiveAvgPool2d";
        Args.image(op, x);
        if (outH <= 0 || outW <= 0)
            throw new IllegalArgumentException(op + ": output size must be positive, got " + outH + "×" + outW);
        int[] xs = x.shape();
        int h = xs[xs.length - 2], w = xs[xs.length - 1];
        Tensor xc = x.contiguous();
        int planes = xc.numel() / (h * w);
        float[] y = Pooling.adaptiveAvgForward(xc.storageData(), xc.layoutView().offset(), planes, h, w, outH, outW);
        return Functions.custom("adaptiveAvgPool2d", y, outShape(xs, outH, outW), new Tensor[] {xc},
                gOut -> new Tensor[] {Functions.wrap(Pooling.adaptiveAvgBackward(Args.data(gOut), planes, h, w, outH, outW), xs)});
    }

    private static void checkPadding(String op, int[] k, int[] p) {
        // PyTorch's rule: a window must always overlap the input
        if (p[0] > k[0] / 2 || p[1] > k[1] / 2)
            throw new IllegalArgumentException(op + ": padding " + Arrays.toString(p) + " must be at most half the kernel size "
                    + Arrays.toString(k));
    }

    private static Pooling.Window window(String op, int[] xs, int[] k, int[] s, int[] p, int[] d, boolean ceilMode) {
        int h = xs[xs.length - 2], w = xs[xs.length - 1];
        int oh = Pooling.outSize(h, k[0], s[0], p[0], d[0], ceilMode), ow = Pooling.outSize(w, k[1], s[1], p[1], d[1], ceilMode);
        if (oh <= 0 || ow <= 0)
            throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " gives output size " + oh + "×" + ow
                    + " (kernel " + Arrays.toString(k) + ", stride " + Arrays.toString(s) + ", padding " + Arrays.toString(p)
                    + ", dilation " + Arrays.toString(d) + "): it must be at least 1×1");
        return new Pooling.Window(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], oh, ow);
    }

    private static int[] outShape(int[] xs, int oh, int ow) {
        int[] out = xs.clone();
        out[out.length - 2] = oh;
        out[out.length - 1] = ow;
        return out;
    }
}
