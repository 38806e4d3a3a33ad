package dev.anneal.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link Normalization}'s primitives: sums in float lanes over short blocks, totals in double. */
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

    // Batch-norm bodies. [n, c] bodies: L channels at a time, the block sums in float registers down a
    // block of rows, then widened and added into double; the same operations per channel as the scalar
    // reference, so both paths agree bit for bit. Channel bodies: float lanes over about FLOAT_RUN values, widened into double lanes,
    // the lanes added in order at the end (no reduceLanes, whose order may change between JIT tiers).

    static void blockShiftedSums(float[] x, int xo, int r0, int r1, int c, float[] k, double[] ps, double[] pq, int pOff) {
        int ch = 0, bound = S.loopBound(c);
        for (; ch < bound; ch += L) {
            FloatVector kv = FloatVector.fromArray(S, k, ch), fs = FloatVector.zero(S), fq = FloatVector.zero(S);
            for (int i = r0; i < r1; i++) {
                FloatVector d = FloatVector.fromArray(S, x, xo + i * c + ch).sub(kv);
                fs = fs.add(d);
                fq = d.fma(d, fq);
            }
            int at = pOff + ch;
            DoubleVector.fromArray(D, ps, at).add((DoubleVector) fs.convertShape(VectorOperators.F2D, D, 0)).intoArray(ps, at);
            DoubleVector.fromArray(D, ps, at + H).add((DoubleVector) fs.convertShape(VectorOperators.F2D, D, 1)).intoArray(ps, at + H);
            DoubleVector.fromArray(D, pq, at).add((DoubleVector) fq.convertShape(VectorOperators.F2D, D, 0)).intoArray(pq, at);
            DoubleVector.fromArray(D, pq, at + H).add((DoubleVector) fq.convertShape(VectorOperators.F2D, D, 1)).intoArray(pq, at + H);
        }
        if (ch < c) Normalization.blockShiftedSums(x, xo, r0, r1, c, ch, c, k, ps, pq, pOff);
    }

    static void blockGradSums(float[] gy, float[] x, int xo, int r0, int r1, int c, float[] mean, double[] ps, double[] pd, int pOff) {
        int ch = 0, bound = S.loopBound(c);
        for (; ch < bound; ch += L) {
            FloatVector mv = FloatVector.fromArray(S, mean, ch), fs = FloatVector.zero(S), fd = FloatVector.zero(S);
            for (int i = r0; i < r1; i++) {
                FloatVector g = FloatVector.fromArray(S, gy, i * c + ch);
                fs = fs.add(g);
                fd = g.fma(FloatVector.fromArray(S, x, xo + i * c + ch).sub(mv), fd);
            }
            int at = pOff + ch;
            DoubleVector.fromArray(D, ps, at).add((DoubleVector) fs.convertShape(VectorOperators.F2D, D, 0)).intoArray(ps, at);
            DoubleVector.fromArray(D, ps, at + H).add((DoubleVector) fs.convertShape(VectorOperators.F2D, D, 1)).intoArray(ps, at + H);
            DoubleVector.fromArray(D, pd, at).add((DoubleVector) fd.convertShape(VectorOperators.F2D, D, 0)).intoArray(pd, at);
            DoubleVector.fromArray(D, pd, at + H).add((DoubleVector) fd.convertShape(VectorOperators.F2D, D, 1)).intoArray(pd, at + H);
        }
        if (ch < c) Normalization.blockGradSums(gy, x, xo, r0, r1, c, ch, c, mean, ps, pd, pOff);
    }

    // Streaming variants for [n, c] input larger than a statistics chunk: rows in memory order with the
    // float block sums in arrays (L1), which the hardware prefetcher follows better than L-channel
    // strips walking down a block of rows; per channel the same operations, so the same bits.

    static void rowShiftedSums(float[] x, int xo, int r0, int r1, int c, float[] k, float[] fs, float[] fq) {
        int bound = S.loopBound(c);
        for (int i = r0; i < r1; i++) {
            int row = xo + i * c, ch = 0;
            for (; ch < bound; ch += L) {
                FloatVector d = FloatVector.fromArray(S, x, row + ch).sub(FloatVector.fromArray(S, k, ch));
                FloatVector.fromArray(S, fs, ch).add(d).intoArray(fs, ch);
                d.fma(d, FloatVector.fromArray(S, fq, ch)).intoArray(fq, ch);
            }
            for (; ch < c; ch++) {
                float d = x[row + ch] - k[ch];
                fs[ch] += d;
                fq[ch] = Math.fma(d, d, fq[ch]);
            }
        }
    }

    static void rowGradSums(float[] gy, float[] x, int xo, int r0, int r1, int c, float[] mean, float[] fs, float[] fd) {
        int bound = S.loopBound(c);
        for (int i = r0; i < r1; i++) {
            int row = i * c, ch = 0;
            for (; ch < bound; ch += L) {
                FloatVector g = FloatVector.fromArray(S, gy, row + ch);
                FloatVector xm = FloatVector.fromArray(S, x, xo + row + ch).sub(FloatVector.fromArray(S, mean, ch));
                FloatVector.fromArray(S, fs, ch).add(g).intoArray(fs, ch);
                g.fma(xm, FloatVector.fromArray(S, fd, ch)).intoArray(fd, ch);
            }
            for (; ch < c; ch++) {
                float g = gy[row + ch];
                fs[ch] += g;
                fd[ch] = Math.fma(g, x[xo + row + ch] - mean[ch], fd[ch]);
            }
        }
    }

    static void flush(float[] f, double[] d, int dOff, int c) {
        int ch = 0, bound = S.loopBound(c);
        FloatVector zero = FloatVector.zero(S);
        for (; ch < bound; ch += L) {
            FloatVector v = FloatVector.fromArray(S, f, ch);
            DoubleVector.fromArray(D, d, dOff + ch).add((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).intoArray(d, dOff + ch);
            DoubleVector.fromArray(D, d, dOff + ch + H).add((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1))
                    .intoArray(d, dOff + ch + H);
            zero.intoArray(f, ch);
        }
        for (; ch < c; ch++) {
            d[dOff + ch] += f[ch];
            f[ch] = 0f;
        }
    }

    static void rowAffine(float[] x, int xo, float[] y, int r0, int r1, int c, float[] k, float[] a, float[] b) {
        int bound = S.loopBound(c);
        for (int i = r0; i < r1; i++) {
            int row = i * c, ch = 0;
            for (; ch < bound; ch += L)
                FloatVector.fromArray(S, x, xo + row + ch).sub(FloatVector.fromArray(S, k, ch))
                        .fma(FloatVector.fromArray(S, a, ch), FloatVector.fromArray(S, b, ch)).intoArray(y, row + ch);
            for (; ch < c; ch++) y[row + ch] = Math.fma(x[xo + row + ch] - k[ch], a[ch], b[ch]);
        }
    }

    static void rowCombine(float[] gy, float[] x, int xo, float[] gx, int r0, int r1, int c, float[] k, float[] a, float[] b, float[] cc) {
        int bound = S.loopBound(c);
        for (int i = r0; i < r1; i++) {
            int row = i * c, ch = 0;
            for (; ch < bound; ch += L) {
                FloatVector t = FloatVector.fromArray(S, x, xo + row + ch).sub(FloatVector.fromArray(S, k, ch))
                        .fma(FloatVector.fromArray(S, b, ch), FloatVector.fromArray(S, cc, ch));
                FloatVector.fromArray(S, gy, row + ch).fma(FloatVector.fromArray(S, a, ch), t).intoArray(gx, row + ch);
            }
            for (; ch < c; ch++)
                gx[row + ch] = Math.fma(gy[row + ch], a[ch], Math.fma(x[xo + row + ch] - k[ch], b[ch], cc[ch]));
        }
    }

    // Channel sums: one small method per run (C2 compiled a whole-channel loop nest holding the
    // accumulators with the vector adds left as allocating calls), the float lanes kept in acc between
    // runs: acc[0, L) Σ(x − k) lanes, acc[L, 2L) Σ(x − k)² lanes, acc[2L], acc[2L + 1] the tails.

    /** Adds one run of s values at at into the float lanes of acc. */
    static void runShiftedSums(float[] x, int at, int s, float k, float[] acc) {
        FloatVector fs = FloatVector.fromArray(S, acc, 0), fq = FloatVector.fromArray(S, acc, L);
        int j = 0, bound = S.loopBound(s);
        for (; j < bound; j += L) {
            FloatVector d = FloatVector.fromArray(S, x, at + j).sub(k);
            fs = fs.add(d);
            fq = d.fma(d, fq);
        }
        fs.intoArray(acc, 0);
        fq.intoArray(acc, L);
        float es = acc[2 * L], eq = acc[2 * L + 1];
        for (; j < s; j++) {
            float d = x[at + j] - k;
            es += d;
            eq = Math.fma(d, d, eq);
        }
        acc[2 * L] = es;
        acc[2 * L + 1] = eq;
    }

    /** Adds one run into acc: lanes of Σgy, lanes of Σgy·(x − mean), then the two tails. */
    static void runGradSums(float[] gy, int go, float[] x, int xo, int s, float mean, float[] acc) {
        FloatVector fs = FloatVector.fromArray(S, acc, 0), fd = FloatVector.fromArray(S, acc, L);
        int j = 0, bound = S.loopBound(s);
        for (; j < bound; j += L) {
            FloatVector g = FloatVector.fromArray(S, gy, go + j);
            fs = fs.add(g);
            fd = g.fma(FloatVector.fromArray(S, x, xo + j).sub(mean), fd);
        }
        fs.intoArray(acc, 0);
        fd.intoArray(acc, L);
        float es = acc[2 * L], ed = acc[2 * L + 1];
        for (; j < s; j++) {
            float g = gy[go + j];
            es += g;
            ed = Math.fma(g, x[xo + j] - mean, ed);
        }
        acc[2 * L] = es;
        acc[2 * L + 1] = ed;
    }

    /** dacc[i] += acc[i], acc[i] = 0 (float lanes into double ones). */
    private static void flushLanes(float[] acc, double[] dacc) {
        for (int i = 0; i < acc.length; i++) {
            dacc[i] += acc[i];
            acc[i] = 0f;
        }
    }

    /** out[0] = the Σ lanes then tail of the first sum, out[1] of the second. */
    private static void totals(double[] dacc, double[] out) {
        double a = 0, b = 0;
        for (int i = 0; i < L; i++) {
            a += dacc[i];
            b += dacc[L + i];
        }
        out[0] = a + dacc[2 * L];
        out[1] = b + dacc[2 * L + 1];
    }

    static void channelShiftedSums(float[] x, int xb, int n, int stride, int s, float k, double[] out) {
        int per = Math.max(1, Normalization.FLOAT_RUN / Math.max(1, s));
        float[] acc = new float[2 * L + 2];
        double[] dacc = new double[2 * L + 2];
        for (int i0 = 0; i0 < n; i0 += per) {
            for (int i = i0, i1 = Math.min(n, i0 + per); i < i1; i++) runShiftedSums(x, xb + i * stride, s, k, acc);
            flushLanes(acc, dacc);
        }
        totals(dacc, out);
    }

    static void channelGradSums(float[] gy, int gb, float[] x, int xb, int n, int stride, int s, float mean, double[] out) {
        int per = Math.max(1, Normalization.FLOAT_RUN / Math.max(1, s));
        float[] acc = new float[2 * L + 2];
        double[] dacc = new double[2 * L + 2];
        for (int i0 = 0; i0 < n; i0 += per) {
            for (int i = i0, i1 = Math.min(n, i0 + per); i < i1; i++) runGradSums(gy, gb + i * stride, x, xb + i * stride, s, mean, acc);
            flushLanes(acc, dacc);
        }
        totals(dacc, out);
    }

    static void channelAffine(float[] x, int xb, float[] y, int yb, int n, int stride, int s, float k, float a, float b) {
        int bound = S.loopBound(s);
        for (int i = 0; i < n; i++) {
            int xo = xb + i * stride, yo = yb + i * stride, j = 0;
            for (; j < bound; j += L) FloatVector.fromArray(S, x, xo + j).sub(k).fma(a, b).intoArray(y, yo + j);
            for (; j < s; j++) y[yo + j] = Math.fma(x[xo + j] - k, a, b);
        }
    }

    static void channelCombine(float[] gy, int gb, float[] x, int xb, float[] gx, int n, int stride, int s, float k, float a, float b,
                               float c) {
        int bound = S.loopBound(s);
        FloatVector av = FloatVector.broadcast(S, a);
        for (int i = 0; i < n; i++) {
            int go = gb + i * stride, xo = xb + i * stride, j = 0;
            for (; j < bound; j += L)
                FloatVector.fromArray(S, gy, go + j).fma(av, FloatVector.fromArray(S, x, xo + j).sub(k).fma(b, c)).intoArray(gx, go + j);
            for (; j < s; j++) gx[go + j] = Math.fma(gy[go + j], a, Math.fma(x[xo + j] - k, b, c));
        }
    }
}
