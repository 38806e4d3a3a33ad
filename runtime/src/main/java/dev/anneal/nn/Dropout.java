package dev.anneal.nn;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.nn.init.Init;
import dev.anneal.tensor.Generator;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the survivors are
 * scaled by 1/(1−p) so the expected value is unchanged; in eval mode the identity
 * (Srivastava et al., 2014).
 */
public final class Dropout extends Module {
    private final double p;
    private final Generator gen;

    /** Masks come from gen, so the same seed gives the same masks. */
    public Dropout(double p, Generator gen) {
        this.p = checkProbability("Dropout", p);
        if (gen == null) throw new IllegalArgumentException("Dropout: generator is null (omit it to use Init.defaultGenerator())");
        this.gen = registerGenerator("generator", gen);
    }

    /** Masks come from {@link Init#defaultGenerator()}. */
    public Dropout(double p) {
        this(p, Init.defaultGenerator());
    }

    /** p = 0.5. */
    public Dropout() {
        this(0.5);
    }

    static double checkProbability(String layer, double p) {
        if (!(p >= 0 && p <= 1))
            throw new IllegalArgumentException(layer + ": dropout probability has to be between 0 and 1, but got " + p);
        return p;
    }

    /** The multiplier of kept elements, 1/(1−p) rounded to float as PyTorch's mask holds it. */
    static float keepScale(double p) {
        return (float) (1.0 / (1.0 - p));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        if (p == 1) return x.mul(0f);
        float[] mask = keepMask(gen, x.numel(), 1 - p, keepScale(p));
        float[] xd = x.isContiguous() ? x.storageData() : x.toArray();
        int xo = x.isContiguous() ? x.layoutView().offset() : 0;
        float[] y = new float[mask.length];
        // a product rather than a select, so NaN and ±∞ inputs behave as in PyTorch's x·mask
        for (int i = 0; i < y.length; i++) y[i] = xd[xo + i] * mask[i];
        int[] shape = x.shape();
        return Functions.custom("dropout", y, shape, new Tensor[] {x}, g -> {
            float[] gd = g.isContiguous() ? g.storageData() : g.toArray();
            int go = g.isContiguous() ? g.layoutView().offset() : 0;
            float[] gx = new float[mask.length];
            for (int i = 0; i < gx.length; i++) gx[i] = gd[go + i] * mask[i];
            return new Tensor[] {Functions.wrap(gx, shape)};
        });
    }

    /**
     * n multipliers: scale with probability keep, else 0. Each 64-bit draw of gen gives two
     * 32-bit uniforms (one per element), compared with keep·2³² (resolution 2⁻³²).
     */
    static float[] keepMask(Generator gen, int n, double keep, float scale) {
        long threshold = Math.round(keep * 0x1p32);
        int bits = Float.floatToRawIntBits(scale);
        float[] mask = new float[n];
        int i = 0;
        // branch-free select: (u − threshold) >>> 63 is 1 exactly when u < threshold (both < 2³³)
        for (; i + 1 < n; i += 2) {
            long r = gen.nextLong();
            mask[i] = Float.intBitsToFloat(bits & -(int) (((r >>> 32) - threshold) >>> 63));
            mask[i + 1] = Float.intBitsToFloat(bits & -(int) (((r & 0xFFFFFFFFL) - threshold) >>> 63));
        }
        if (i < n) mask[i] = Float.intBitsToFloat(bits & -(int) (((gen.nextLong() >>> 32) - threshold) >>> 63));
        return mask;
    }

    public double p() {
        return p;
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
