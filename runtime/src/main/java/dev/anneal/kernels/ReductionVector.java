package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link Reduction}. */
final class ReductionVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Float lanes accumulate at most this many elements before the partial sum moves to a double. */
    private static final int BLOCK = 1024;

    private ReductionVector() {}

    static float row(ReduceOp op, float[] x, int base, int len) {
        if (op == ReduceOp.SUM) {
            double total = 0;
            int i = 0;
            while (len - i >= S.length()) {
                int end = i + Math.min(BLOCK, S.loopBound(len - i));
                FloatVector acc = FloatVector.zero(S);
                for (; i < end; i += S.length()) acc = acc.add(FloatVector.fromArray(S, x, base + i));
                total += Lanes.sumInOrder(acc); // fixed order: reduceLanes may change it with the JIT tier
            }
            for (; i < len; i++) total += x[base + i];
            return (float) total;
        }
        if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
            int i = 0, bound = S.loopBound(len);
            float m = x[base];
            if (bound > 0) {
                FloatVector acc = FloatVector.fromArray(S, x, base);
                for (i = S.length(); i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, x, base + i);
                    acc = op == ReduceOp.MAX ? acc.max(v) : acc.min(v);
                }
                m = acc.reduceLanes(op == ReduceOp.MAX ? VectorOperators.MAX : VectorOperators.MIN);
            }
            for (; i < len; i++) m = op == ReduceOp.MAX ? Math.max(m, x[base + i]) : Math.min(m, x[base + i]);
            return m;
        }
        return Reduction.row(op, x, base, len);
    }

    /**
     * {@link #row}'s sum of one long row with its blocks summed on the pool: the same block partials,
     * added in the same order, so the same bits for any thread count.
     */
    static float rowSumParallel(float[] x, int base, int len) {
        int full = len / BLOCK, last = S.loopBound(len - full * BLOCK); // BLOCK is a whole number of vectors
        int blocks = full + (last > 0 ? 1 : 0);
        double[] part = new double[blocks];
        Parallel.forRange(blocks, 16, (from, to) -> {
            for (int b = from; b < to; b++) {
                int i = base + b * BLOCK, end = i + (b < full ? BLOCK : last);
                FloatVector acc = FloatVector.zero(S);
                for (; i < end; i += S.length()) acc = acc.add(FloatVector.fromArray(S, x, i));
                part[b] = Lanes.sumInOrder(acc);
            }
        });
        double total = 0;
        for (double p : part) total += p;
        for (int i = full * BLOCK + last; i < len; i++) total += x[base + i];
        return (float) total;
    }

    static void columns(ReduceOp op, float[] x, int base, int len, int inner, float[] out, int outOff) {
        if (op != ReduceOp.SUM && op != ReduceOp.MAX && op != ReduceOp.MIN) {
            Reduction.columns(op, x, base, len, inner, out, outOff);
            return;
        }
        int j = 0, bound = S.loopBound(inner);
        for (; j < bound; j += S.length()) {
            if (op == ReduceOp.SUM) {
                // float lanes per block, then into double, as in row()
                double[] tot = new double[S.length()];
                for (int i0 = 0; i0 < len; i0 += BLOCK) {
                    int i1 = Math.min(len, i0 + BLOCK);
                    FloatVector acc = FloatVector.zero(S);
                    for (int i = i0; i < i1; i++) acc = acc.add(FloatVector.fromArray(S, x, base + i * inner + j));
                    for (int l = 0; l < S.length(); l++) tot[l] += acc.lane(l);
                }
                for (int l = 0; l < S.length(); l++) out[outOff + j + l] = (float) tot[l];
            } else {
                FloatVector acc = FloatVector.fromArray(S, x, base + j);
                for (int i = 1; i < len; i++) {
                    FloatVector v = FloatVector.fromArray(S, x, base + i * inner + j);
                    acc = op == ReduceOp.MAX ? acc.max(v) : acc.min(v);
                }
                acc.intoArray(out, outOff + j);
            }
        }
        for (; j < inner; j++) out[outOff + j] = Reduction.strided(op, x, base + j, len, inner);
    }
}
