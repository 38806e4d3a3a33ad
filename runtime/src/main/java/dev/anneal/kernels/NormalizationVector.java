package dev.anneal.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link Normalization}'s run primitives: lane sums in float, totals in double. */
final class NormalizationVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Doubles of the same vector size: a float vector widens into two of these (parts 0 and 1). */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, VectorShape.forBitSize(S.vectorBitSize()));
    private static final int H = D.length();

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

    // Column bodies: L channels at a time, accumulating down the rows in double registers in the
    // same order as the scalar reference (no fma where it rounds once), so both paths agree bit for bit.

    static void columnShiftedSums(float[] x, int xo, int r0, int r1, int c, int from, int to, float[] k, double[] s, double[] q) {
        int ch = from;
        for (; ch + L <= to; ch += L) {
            FloatVector kv = FloatVector.fromArray(S, k, ch);
            DoubleVector s0 = DoubleVector.fromArray(D, s, ch), s1 = DoubleVector.fromArray(D, s, ch + H);
            DoubleVector q0 = DoubleVector.fromArray(D, q, ch), q1 = DoubleVector.fromArray(D, q, ch + H);
            for (int i = r0; i < r1; i++) {
                FloatVector d = FloatVector.fromArray(S, x, xo + i * c + ch).sub(kv);
                DoubleVector d0 = (DoubleVector) d.convertShape(VectorOperators.F2D, D, 0);
                DoubleVector d1 = (DoubleVector) d.convertShape(VectorOperators.F2D, D, 1);
                s0 = s0.add(d0);
                s1 = s1.add(d1);
                q0 = q0.add(d0.mul(d0));
                q1 = q1.add(d1.mul(d1));
            }
            s0.intoArray(s, ch);
            s1.intoArray(s, ch + H);
            q0.intoArray(q, ch);
            q1.intoArray(q, ch + H);
        }
        if (ch < to) Normalization.columnShiftedSums(x, xo, r0, r1, c, ch, to, k, s, q);
    }

    static void columnAffine(float[] x, int xo, float[] y, int r0, int r1, int c, int from, int to, float[] k, float[] a, float[] b) {
        int ch = from;
        for (; ch + L <= to; ch += L) {
            FloatVector kv = FloatVector.fromArray(S, k, ch), av = FloatVector.fromArray(S, a, ch), bv = FloatVector.fromArray(S, b, ch);
            for (int i = r0; i < r1; i++)
                FloatVector.fromArray(S, x, xo + i * c + ch).sub(kv).mul(av).add(bv).intoArray(y, i * c + ch);
        }
        if (ch < to) Normalization.columnAffine(x, xo, y, r0, r1, c, ch, to, k, a, b);
    }

    static void columnGradSums(float[] gy, float[] x, int xo, int r0, int r1, int c, int from, int to, float[] mean, double[] s, double[] d) {
        int ch = from;
        for (; ch + L <= to; ch += L) {
            FloatVector mv = FloatVector.fromArray(S, mean, ch);
            DoubleVector s0 = DoubleVector.fromArray(D, s, ch), s1 = DoubleVector.fromArray(D, s, ch + H);
            DoubleVector d0 = DoubleVector.fromArray(D, d, ch), d1 = DoubleVector.fromArray(D, d, ch + H);
            for (int i = r0; i < r1; i++) {
                FloatVector g = FloatVector.fromArray(S, gy, i * c + ch);
                FloatVector xm = FloatVector.fromArray(S, x, xo + i * c + ch).sub(mv);
                DoubleVector g0 = (DoubleVector) g.convertShape(VectorOperators.F2D, D, 0);
                DoubleVector g1 = (DoubleVector) g.convertShape(VectorOperators.F2D, D, 1);
                s0 = s0.add(g0);
                s1 = s1.add(g1);
                d0 = d0.add(g0.mul((DoubleVector) xm.convertShape(VectorOperators.F2D, D, 0)));
                d1 = d1.add(g1.mul((DoubleVector) xm.convertShape(VectorOperators.F2D, D, 1)));
            }
            s0.intoArray(s, ch);
            s1.intoArray(s, ch + H);
            d0.intoArray(d, ch);
            d1.intoArray(d, ch + H);
        }
        if (ch < to) Normalization.columnGradSums(gy, x, xo, r0, r1, c, ch, to, mean, s, d);
    }

    static void columnCombine(float[] gy, float[] x, int xo, float[] gx, int r0, int r1, int c, int from, int to, float[] k, float[] a,
                              float[] b, float[] cc) {
        int ch = from;
        for (; ch + L <= to; ch += L) {
            FloatVector kv = FloatVector.fromArray(S, k, ch), av = FloatVector.fromArray(S, a, ch);
            FloatVector bv = FloatVector.fromArray(S, b, ch), cv = FloatVector.fromArray(S, cc, ch);
            for (int i = r0; i < r1; i++) {
                int at = i * c + ch;
                FloatVector t = FloatVector.fromArray(S, x, xo + at).sub(kv).mul(bv).add(cv);
                FloatVector.fromArray(S, gy, at).mul(av).add(t).intoArray(gx, at);
            }
        }
        if (ch < to) Normalization.columnCombine(gy, x, xo, gx, r0, r1, c, ch, to, k, a, b, cc);
    }
}
