package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API bodies of {@link Pooling}. Max pooling works on L output columns at once: for each
 * window offset it gathers the L strided inputs and keeps, per lane, the running maximum and its
 * index, replacing them only on a strictly greater value or a NaN (first maximum wins, as in the
 * reference). Columns whose windows cross the left or right edge, and the last partial vector,
 * go through the reference loop.
 */
final class PoolingVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private PoolingVector() {}

    static void maxPlane(float[] x, int xo, int h, int w, Pooling.Window win, float[] y, int[] idx, int yo) {
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
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) s += a[off + i];
        return s;
    }
}
