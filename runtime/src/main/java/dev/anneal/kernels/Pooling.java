package dev.anneal.kernels;

/**
 * 2-D pooling over contiguous [planes, h, w] input (planes = batch·channels): max pooling that
 * records the argmax of each window, average pooling and adaptive average pooling, each with a
 * one-pass forward and a one-pass backward. Window placement, tie-breaking (the first maximum
 * wins, NaN propagates) and divisors follow PyTorch's CPU kernels. Planes are split over
 * {@link Parallel#forRange}.
 */
public final class Pooling {
    private Pooling() {}

    /** Planes per task for a plane of the given size (keeps small planes from spawning tiny tasks). */
    private static int grain(int planeSize) {
        return Math.max(1, StridedLoop.GRAIN / Math.max(1, planeSize));
    }

    /** Window sizes, strides, padding, dilation and the output size of a pooling. */
    public static final class Window {
        public final int kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;

        public Window(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
            if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || ph < 0 || pw < 0 || dh <= 0 || dw <= 0 || oh <= 0 || ow <= 0)
                throw new IllegalArgumentException("Pooling.Window: invalid kernel " + kh + "×" + kw + ", stride " + sh + "×" + sw
                        + ", padding " + ph + "×" + pw + ", dilation " + dh + "×" + dw + ", output " + oh + "×" + ow);
            this.kh = kh; this.kw = kw; this.sh = sh; this.sw = sw; this.ph = ph; this.pw = pw; this.dh = dh; this.dw = dw;
            this.oh = oh; this.ow = ow;
        }
    }

    /**
     * PyTorch's pooling output size: ⌊ or ⌈(in + 2p − d(k−1) − 1)/s⌉ + 1, and with ceil mode the
     * last window must start inside the input or its left padding.
     */
    public static int outSize(int in, int k, int s, int p, int d, boolean ceilMode) {
        long num = (long) in + 2L * p - (long) d * (k - 1) - 1 + (ceilMode ? s - 1 : 0);
        long out = Math.floorDiv(num, (long) s) + 1;
        if (ceilMode && (out - 1) * s >= (long) in + p) out--;
        return (int) out;
    }

    // ---------------------------------------------------------------- max

    /** y = window maxima; idx (length planes·oh·ow) receives each maximum's flat index within its h·w plane. */
    public static float[] maxForward(float[] x, int xOff, int planes, int h, int w, Window win, int[] idx) {
        int outPlane = win.oh * win.ow;
        float[] y = new float[planes * outPlane];
        boolean vector = VectorSupport.enabled();
        Parallel.forRange(planes, grain(h * w), (from, to) -> {
            if (vector) {
                PoolingVector.maxPlanes(x, xOff, from, to, h, w, win, y, idx);
            } else {
                for (int p = from; p < to; p++) maxPlane(x, xOff + p * h * w, h, w, win, y, idx, p * outPlane, 0, win.ow);
            }
        });
        return y;
    }

    /** Reference max over the windows of output columns [ox0, ox1) of every row of one plane. */
    static void maxPlane(float[] x, int xo, int h, int w, Window win, float[] y, int[] idx, int yo, int ox0, int ox1) {
        for (int oy = 0; oy < win.oh; oy++) {
            int hs = oy * win.sh - win.ph, he = Math.min(hs + (win.kh - 1) * win.dh + 1, h);
            while (hs < 0) hs += win.dh;
            for (int ox = ox0; ox < ox1; ox++) {
                int ws = ox * win.sw - win.pw, we = Math.min(ws + (win.kw - 1) * win.dw + 1, w);
                while (ws < 0) ws += win.dw;
                int best = hs * w + ws;
                float m = Float.NEGATIVE_INFINITY;
                for (int iy = hs; iy < he; iy += win.dh) {
                    for (int ix = ws; ix < we; ix += win.dw) {
                        float v = x[xo + iy * w + ix];
                        if (v > m || Float.isNaN(v)) {
                            m = v;
                            best = iy * w + ix;
                        }
                    }
                }
                y[yo + oy * win.ow + ox] = m;
                idx[yo + oy * win.ow + ox] = best;
            }
        }
    }

    /** gx [planes, h, w]: each output gradient added at its window's argmax. */
    public static float[] maxBackward(float[] gy, int[] idx, int planes, int h, int w, Window win) {
        int outPlane = win.oh * win.ow, plane = h * w;
        float[] gx = new float[planes * plane];
        Parallel.forRange(planes, grain(plane), (from, to) -> {
            for (int p = from; p < to; p++) {
                int yo = p * outPlane, xo = p * plane;
                for (int i = 0; i < outPlane; i++) gx[xo + idx[yo + i]] += gy[yo + i];
            }
        });
        return gx;
    }

    // ---------------------------------------------------------------- average

    /**
     * Divisor of the window at (oy, ox) as PyTorch computes it: the window clipped to the padded
     * input when counting padding, to the input otherwise; divisorOverride > 0 replaces it.
     */
    private static int divisor(int hs, int ws, int h, int w, Window win, boolean countIncludePad, int divisorOverride) {
        if (divisorOverride > 0) return divisorOverride;
        int he = Math.min(hs + win.kh, h + win.ph), we = Math.min(ws + win.kw, w + win.pw);
        if (countIncludePad) return (he - hs) * (we - ws);
        return (Math.min(he, h) - Math.max(hs, 0)) * (Math.min(we, w) - Math.max(ws, 0));
    }

    /** y = window sums / divisor (no dilation, as in PyTorch's avg_pool2d). */
    public static float[] avgForward(float[] x, int xOff, int planes, int h, int w, Window win, boolean countIncludePad,
                                     int divisorOverride) {
        int outPlane = win.oh * win.ow;
        float[] y = new float[planes * outPlane];
        boolean vector = VectorSupport.enabled();
        Parallel.forRange(planes, grain(h * w), (from, to) -> {
            for (int p = from; p < to; p++) {
                int xo = xOff + p * h * w, yo = p * outPlane;
                for (int oy = 0; oy < win.oh; oy++) {
                    int hs = oy * win.sh - win.ph;
                    int ih0 = Math.max(hs, 0), ih1 = Math.min(hs + win.kh, h);
                    for (int ox = 0; ox < win.ow; ox++) {
                        int ws = ox * win.sw - win.pw;
                        int iw0 = Math.max(ws, 0), iw1 = Math.min(ws + win.kw, w);
                        if (ih0 >= ih1 || iw0 >= iw1) continue; // window entirely in padding: 0, as PyTorch
                        double s = 0;
                        for (int iy = ih0; iy < ih1; iy++) {
                            int r = xo + iy * w;
                            s += vector ? PoolingVector.sum(x, r + iw0, iw1 - iw0) : sum(x, r + iw0, iw1 - iw0);
                        }
                        y[yo + oy * win.ow + ox] = (float) (s / divisor(hs, ws, h, w, win, countIncludePad, divisorOverride));
                    }
                }
            }
        });
        return y;
    }

    static double sum(float[] a, int off, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) s += a[off + i];
        return s;
    }

    /** gx: each output gradient / divisor spread over its window. */
    public static float[] avgBackward(float[] gy, int planes, int h, int w, Window win, boolean countIncludePad, int divisorOverride) {
        int outPlane = win.oh * win.ow, plane = h * w;
        float[] gx = new float[planes * plane];
        Parallel.forRange(planes, grain(plane), (from, to) -> {
            for (int p = from; p < to; p++) {
                int xo = p * plane, yo = p * outPlane;
                for (int oy = 0; oy < win.oh; oy++) {
                    int hs = oy * win.sh - win.ph;
                    int ih0 = Math.max(hs, 0), ih1 = Math.min(hs + win.kh, h);
                    for (int ox = 0; ox < win.ow; ox++) {
                        int ws = ox * win.sw - win.pw;
                        int iw0 = Math.max(ws, 0), iw1 = Math.min(ws + win.kw, w);
                        if (ih0 >= ih1 || iw0 >= iw1) continue;
                        float g = gy[yo + oy * win.ow + ox] / divisor(hs, ws, h, w, win, countIncludePad, divisorOverride);
                        for (int iy = ih0; iy < ih1; iy++)
                            for (int ix = iw0; ix < iw1; ix++) gx[xo + iy * w + ix] += g;
                    }
                }
            }
        });
        return gx;
    }

    // ---------------------------------------------------------------- adaptive average

    /** First input index of adaptive window i of n over size in: ⌊i·in/n⌋. */
    public static int adaptiveStart(int i, int n, int in) {
        return (int) ((long) i * in / n);
    }

    /** One past the last input index of adaptive window i: ⌈(i+1)·in/n⌉. */
    public static int adaptiveEnd(int i, int n, int in) {
        return (int) (((long) (i + 1) * in + n - 1) / n);
    }

    /** Adaptive average pooling to oh×ow: window i covers [⌊i·in/out⌋, ⌈(i+1)·in/out⌉). */
    public static float[] adaptiveAvgForward(float[] x, int xOff, int planes, int h, int w, int oh, int ow) {
        float[] y = new float[planes * oh * ow];
        boolean vector = VectorSupport.enabled();
        Parallel.forRange(planes, grain(h * w), (from, to) -> {
            for (int p = from; p < to; p++) {
                int xo = xOff + p * h * w, yo = p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int h0 = adaptiveStart(oy, oh, h), h1 = adaptiveEnd(oy, oh, h);
                    for (int ox = 0; ox < ow; ox++) {
                        int w0 = adaptiveStart(ox, ow, w), w1 = adaptiveEnd(ox, ow, w);
                        double s = 0;
                        for (int iy = h0; iy < h1; iy++)
                            s += vector ? PoolingVector.sum(x, xo + iy * w + w0, w1 - w0) : sum(x, xo + iy * w + w0, w1 - w0);
                        y[yo + oy * ow + ox] = (float) (s / ((h1 - h0) * (w1 - w0)));
                    }
                }
            }
        });
        return y;
    }

    public static float[] adaptiveAvgBackward(float[] gy, int planes, int h, int w, int oh, int ow) {
        float[] gx = new float[planes * h * w];
        Parallel.forRange(planes, grain(h * w), (from, to) -> {
            for (int p = from; p < to; p++) {
                int xo = p * h * w, yo = p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int h0 = adaptiveStart(oy, oh, h), h1 = adaptiveEnd(oy, oh, h);
                    for (int ox = 0; ox < ow; ox++) {
                        int w0 = adaptiveStart(ox, ow, w), w1 = adaptiveEnd(ox, ow, w);
                        float g = gy[yo + oy * ow + ox] / ((h1 - h0) * (w1 - w0));
                        for (int iy = h0; iy < h1; iy++)
                            for (int ix = w0; ix < w1; ix++) gx[xo + iy * w + ix] += g;
                    }
                }
            }
        });
        return gx;
    }
}
