package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API bodies of {@link Pooling}. Max pooling works on L outputs at once: for each window
 * offset it gathers the L inputs and keeps, per lane, the running maximum and its index, replacing
 * them only on a strictly greater value or a NaN (first maximum wins, as in the reference). When
 * no window crosses the border the lanes run over the flattened output plane; otherwise along the
 * interior columns of each output row, with edge columns going through the reference loop.
 */
final class PoolingVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private PoolingVector() {}

    /** Max pooling of planes [from, to). */
    static void maxPlanes(float[] x, int xOff, int from, int to, int h, int w, Pooling.Window win, float[] y, int[] idx) {
        int outPlane = win.oh * win.ow;
        boolean interior = win.ph == 0 && win.pw == 0 && (win.oh - 1) * win.sh + (win.kh - 1) * win.dh < h
                && (win.ow - 1) * win.sw + (win.kw - 1) * win.dw < w;
        if (interior && outPlane >= L) {
            // every window lies inside the plane: lanes run over the flattened output, gathering
            // through a table of window corners shared by all planes
            int[] corner = new int[outPlane];
            for (int oy = 0, j = 0; oy < win.oh; oy++)
                for (int ox = 0; ox < win.ow; ox++, j++) corner[j] = oy * win.sh * w + ox * win.sw;
            for (int p = from; p < to; p++) flatPlane(x, xOff + p * h * w, w, win, corner, y, idx, p * outPlane);
        } else {
            for (int p = from; p < to; p++) rowPlane(x, xOff + p * h * w, h, w, win, y, idx, p * outPlane);
        }
    }

    private static void flatPlane(float[] x, int xo, int w, Pooling.Window win, int[] corner, float[] y, int[] idx, int yo) {
        int n = corner.length, full = n / L * L;
        FloatVector negInf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < full; j += L) {
            IntVector base = IntVector.fromArray(IS, corner, j);
            FloatVector m = negInf;
            IntVector best = base;
            for (int ki = 0; ki < win.kh; ki++) {
                for (int kj = 0; kj < win.kw; kj++) {
                    int at = ki * win.dh * w + kj * win.dw;
                    FloatVector v = FloatVector.fromArray(S, x, xo + at, corner, j);
                    VectorMask<Float> take = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
                    m = m.blend(v, take);
                    best = best.blend(base.add(at), take.cast(IS));
                }
            }
            m.intoArray(y, yo + j);
            best.intoArray(idx, yo + j);
        }
        for (int j = full; j < n; j++) {
            float m = Float.NEGATIVE_INFINITY;
            int b = corner[j];
            for (int ki = 0; ki < win.kh; ki++) {
                for (int kj = 0; kj < win.kw; kj++) {
                    int at = corner[j] + ki * win.dh * w + kj * win.dw;
                    float v = x[xo + at];
                    if (v > m || Float.isNaN(v)) {
                        m = v;
                        b = at;
                    }
                }
            }
            y[yo + j] = m;
            idx[yo + j] = b;
        }
    }

    /** Windows that may cross the border: lanes run along each output row's interior columns. */
    private static void rowPlane(float[] x, int xo, int h, int w, Pooling.Window win, float[] y, int[] idx, int yo) {
        // interior columns: ox·sw − pw ≥ 0 and ox·sw − pw + (kw−1)·dw < w
        int lo = Math.min(win.ow, (win.pw + win.sw - 1) / win.sw);
        int span = (win.kw - 1) * win.dw;
        int hi = w - 1 - span + win.pw < 0 ? lo : Math.max(lo, Math.min(win.ow, (w - 1 - span + win.pw) / win.sw + 1));
        if (hi - lo < L) {
            Pooling.maxPlane(x, xo, h, w, win, y, idx, yo, 0, win.ow);
            return;
        }
        // whole vectors only: masked-off gather lanes are range-checked on some JDKs
        int full = lo + (hi - lo) / L * L;
        if (lo > 0) Pooling.maxPlane(x, xo, h, w, win, y, idx, yo, 0, lo);
        if (full < win.ow) Pooling.maxPlane(x, xo, h, w, win, y, idx, yo, full, win.ow);
        int[] lane = new int[L];
        for (int i = 0; i < L; i++) lane[i] = i * win.sw;
        IntVector laneOffsets = IntVector.fromArray(IS, lane, 0);
        FloatVector negInf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int oy = 0; oy < win.oh; oy++) {
            int hs = oy * win.sh - win.ph, he = Math.min(hs + (win.kh - 1) * win.dh + 1, h);
            while (hs < 0) hs += win.dh;
            int yr = yo + oy * win.ow;
            for (int ox = lo; ox < full; ox += L) {
                int ws = ox * win.sw - win.pw;
                FloatVector m = negInf;
                IntVector best = laneOffsets.add(hs * w + ws);
                for (int iy = hs; iy < he; iy += win.dh) {
                    for (int kj = 0; kj < win.kw; kj++) {
                        int at = iy * w + ws + kj * win.dw;
                        FloatVector v = FloatVector.fromArray(S, x, xo + at, lane, 0);
                        VectorMask<Float> take = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
                        m = m.blend(v, take);
                        best = best.blend(laneOffsets.add(at), take.cast(IS));
                    }
                }
                m.intoArray(y, yr + ox);
                best.intoArray(idx, yr + ox);
            }
        }
    }

    static double sum(float[] a, int off, int len) {
        if (len < L) return Pooling.sum(a, off, len);
        FloatVector acc = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, a, off + i));
        double s = Lanes.sum(acc);
        for (; i < len; i++) s += a[off + i];
        return s;
    }
}
