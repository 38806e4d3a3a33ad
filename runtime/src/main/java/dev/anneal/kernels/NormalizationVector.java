package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link Normalization}'s run primitives: lane sums in float, totals in double. */
final class NormalizationVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private NormalizationVector() {}

    static void shiftedSums(float[] x, int off, int len, float k, double[] out) {
        FloatVector s = FloatVector.zero(S), q = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(k);
            s = s.add(d);
            q = d.fma(d, q);
        }
        double ss = Lanes.sum(s), qq = Lanes.sum(q);
        for (; i < len; i++) {
            double d = x[off + i] - k;
            ss += d;
            qq += d * d;
        }
        out[0] += ss;
        out[1] += qq;
    }

    static void affine(float[] x, int xo, float[] y, int yo, int len, float k, float a, float b) {
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).sub(k).fma(a, b).intoArray(y, yo + i);
        for (; i < len; i++) y[yo + i] = (x[xo + i] - k) * a + b;
    }

    static void gradSums(float[] gy, int go, float[] x, int xo, int len, float mean, double[] out) {
        FloatVector s = FloatVector.zero(S), d = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, gy, go + i);
            s = s.add(g);
            d = g.fma(FloatVector.fromArray(S, x, xo + i).sub(mean), d);
        }
        double ss = Lanes.sum(s), dd = Lanes.sum(d);
        for (; i < len; i++) {
            ss += gy[go + i];
            dd += (double) gy[go + i] * (x[xo + i] - mean);
        }
        out[0] += ss;
        out[1] += dd;
    }

    static void combine(float[] gy, int go, float[] x, int xo, float[] gx, int gxo, int len, float k, float a, float b, float c) {
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L)
            FloatVector.fromArray(S, gy, go + i).mul(a).add(FloatVector.fromArray(S, x, xo + i).sub(k).fma(b, c)).intoArray(gx, gxo + i);
        for (; i < len; i++) gx[gxo + i] = gy[go + i] * a + ((x[xo + i] - k) * b + c);
    }
}
