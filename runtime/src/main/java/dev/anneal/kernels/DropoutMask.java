package dev.anneal.kernels;

/**
 * Inverted-dropout masks drawn from a SplitMix64 stream, and the masked product forward and
 * backward, optionally fused with a ReLU in front (relu → dropout in one pass each way).
 * The stream is {@link dev.anneal.tensor.Generator}'s: the j-th draw is mix(state + (j+1)·γ), and
 * each draw gives two elements, its high 32 bits first.
 *
 * <p>On the Vector API path the draws are made a vector at a time ({@link DropoutMaskVector}), with
 * the same bits as the loops here. Those bodies are run once by {@link JitWarmup}: before the
 * warm-up existed, adding them made C2 on JDK 17 compile the GEMM micro-kernel with FMAs left as
 * boxed fallbacks in 6 of 7 runs of the MLP epoch (5-15 s per epoch instead of under 1 s).
 */
public final class DropoutMask {
    /** SplitMix64's increment (the golden gamma). */
    static final long GAMMA = 0x9E3779B97F4A7C15L;

    private DropoutMask() {}

    /** SplitMix64's output function (Steele, Lea and Flood, OOPSLA 2014). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The 32-bit threshold of keeping with probability keep: u < threshold keeps u (u uniform in [0, 2³²)). */
    public static long threshold(double keep) {
        return Math.round(keep * 0x1p32);
    }

    /** Number of 64-bit draws a mask of n elements takes. */
    public static long draws(int n) {
        return (n + 1L) / 2;
    }

    /**
     * Fills mask[0, n) with scale where the element is kept (u &lt; threshold) and 0 elsewhere, from the
     * draws after generator state {@code state}; returns the state after them (state + draws(n)·γ).
     */
    public static long fill(long state, float[] mask, int n, long threshold, float scale) {
        int i = 0;
        // (keeping all or none: the loop's select handles the ends of the threshold range)
        if (threshold > 0 && threshold < 0x1_0000_0000L && VectorSupport.enabled())
            i = DropoutMaskVector.fillBlocks(state, mask, n, threshold, scale);
        int bits = Float.floatToRawIntBits(scale);
        long s = state + (i / 2) * GAMMA;
        // branch-free select: (u − threshold) >>> 63 is 1 exactly when u < threshold (both < 2³³)
        for (; i + 1 < n; i += 2) {
            long r = mix(s += GAMMA);
            mask[i] = Float.intBitsToFloat(bits & -(int) (((r >>> 32) - threshold) >>> 63));
            mask[i + 1] = Float.intBitsToFloat(bits & -(int) (((r & 0xFFFFFFFFL) - threshold) >>> 63));
        }
        if (i < n) mask[i] = Float.intBitsToFloat(bits & -(int) (((mix(s + GAMMA) >>> 32) - threshold) >>> 63));
        return state + draws(n) * GAMMA;
    }

    /**
     * y[i] = f(x[xo + i])·mask[i] with f the identity or, when relu, max(x, 0) (NaN kept): a product
     * rather than a select, so NaN and ±∞ behave as PyTorch's x·mask.
     */
    public static void apply(float[] x, int xo, float[] mask, float[] y, int n, boolean relu) {
        if (VectorSupport.enabled()) {
            DropoutMaskVector.apply(x, xo, mask, y, n, relu);
            return;
        }
        for (int i = 0; i < n; i++) {
            float v = x[xo + i];
            y[i] = (relu ? Math.max(v, 0f) : v) * mask[i];
        }
    }

    /**
     * dL/dx from dL/dy g: g·mask, and with relu 0 where x ≤ 0 (or NaN), the select of ReLU's
     * backward after dropout's product (as the unfused chain computes it).
     */
    public static void backward(float[] g, int go, float[] x, int xo, float[] mask, float[] gx, int n, boolean relu) {
        if (VectorSupport.enabled()) DropoutMaskVector.backward(g, go, x, xo, mask, gx, n, relu);
        else backwardLoop(g, go, x, xo, mask, gx, 0, n, relu);
    }

    /** {@link #backward} over elements [from, n). */
    static void backwardLoop(float[] g, int go, float[] x, int xo, float[] mask, float[] gx, int from, int n, boolean relu) {
        if (!relu) {
            for (int i = from; i < n; i++) gx[i] = g[go + i] * mask[i];
            return;
        }
        // x > 0 (and not NaN) exactly when its bits b lie in [1, 0x7f800000]; outside it one of
        // 0x7f800000 − b and b − 1 is negative. Branch-free because the sign of x is a coin flip
        // after BatchNorm: the branchy select mispredicted about half the time (3-4 ns an element).
        for (int i = from; i < n; i++) {
            float d = g[go + i] * mask[i];
            int b = Float.floatToRawIntBits(x[xo + i]);
            int drop = ((0x7f800000 - b) | (b - 1)) >> 31;
            gx[i] = Float.intBitsToFloat(Float.floatToRawIntBits(d) & ~drop);
        }
    }
}
