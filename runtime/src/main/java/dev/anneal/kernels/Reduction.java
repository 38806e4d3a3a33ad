package dev.anneal.kernels;

/**
 * Reductions of a contiguous block viewed as [outer, len, inner] over its middle dim, giving
 * [outer, inner]. inner = 1 reduces rows; inner > 1 accumulates whole rows of inner values,
 * which keeps both cases a streaming pass.
 */
public final class Reduction {
    private Reduction() {}

    public static float[] reduce(ReduceOp op, float[] x, int off, int outer, int len, int inner) {
        float[] out = new float[outer * inner];
        if (out.length == 0) return out;
        if (len == 0) {
            if (op != ReduceOp.SUM)
                throw new IllegalArgumentException(op.name().toLowerCase() + ": cannot reduce over an empty dim (no identity)");
            return out;
        }
        boolean vector = VectorSupport.enabled();
        if (vector && op == ReduceOp.SUM && outer == 1 && inner == 1 && len >= 4 * StridedLoop.GRAIN) {
            out[0] = ReductionVector.rowSumParallel(x, off, len); // one long row: split it, not the rows
            return out;
        }
        Parallel.forRange(outer, Math.max(1, StridedLoop.GRAIN / Math.max(1, len * inner)), (from, to) -> {
            for (int o = from; o < to; o++) {
                int base = off + o * len * inner;
                if (inner == 1) {
                    out[o] = vector ? ReductionVector.row(op, x, base, len) : row(op, x, base, len);
                } else if (vector) {
                    ReductionVector.columns(op, x, base, len, inner, out, o * inner);
                } else {
                    columns(op, x, base, len, inner, out, o * inner);
                }
            }
        });
        return out;
    }

    /** Reference: one row. Sums accumulate in double; NaN wins max/min as IEEE propagation asks. */
    public static float row(ReduceOp op, float[] x, int base, int len) {
        return strided(op, x, base, len, 1);
    }

    /** Reference: reduce len rows of inner values each. */
    public static void columns(ReduceOp op, float[] x, int base, int len, int inner, float[] out, int outOff) {
        for (int j = 0; j < inner; j++) out[outOff + j] = strided(op, x, base + j, len, inner);
    }

    /** Reference: len elements stride apart. */
    public static float strided(ReduceOp op, float[] x, int base, int len, int stride) {
        switch (op) {
            case SUM: {
                double s = 0;
                for (int i = 0; i < len; i++) s += x[base + i * stride];
                return (float) s;
            }
            case MAX: case MIN: {
                float m = x[base];
                for (int i = 1; i < len; i++) {
                    float v = x[base + i * stride];
                    m = op == ReduceOp.MAX ? Math.max(m, v) : Math.min(m, v);
                }
                return m;
            }
            default: {
                int best = 0;
                float m = x[base];
                for (int i = 1; i < len && m == m; i++) {
                    float v = x[base + i * stride];
                    if (v != v || (op == ReduceOp.ARGMAX ? v > m : v < m)) {
                        m = v;
                        best = i;
                    }
                }
                return best;
            }
        }
    }
}
