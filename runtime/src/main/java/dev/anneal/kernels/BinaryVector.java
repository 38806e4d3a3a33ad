package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link Binary}: each operand is a contiguous run (stride 1) or one repeated value (stride 0). */
final class BinaryVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector ZERO = FloatVector.zero(S);

    private BinaryVector() {}

    static void apply(BinaryOp op, float[] x, int xo, int xs, float[] y, int yo, int ys, float[] z, int zo, int n) {
        if (op == BinaryOp.POW) {
            Binary.scalar(op, x, xo, xs, y, yo, ys, z, zo, n);
            return;
        }
        int i = 0, bound = S.loopBound(n), step = S.length();
        FloatVector xb = xs == 0 ? FloatVector.broadcast(S, x[xo]) : null;
        FloatVector yb = ys == 0 ? FloatVector.broadcast(S, y[yo]) : null;
        for (; i < bound; i += step) {
            FloatVector a = xb != null ? xb : FloatVector.fromArray(S, x, xo + i);
            FloatVector b = yb != null ? yb : FloatVector.fromArray(S, y, yo + i);
            FloatVector r;
            switch (op) {
                case ADD: r = a.add(b); break;
                case SUB: r = a.sub(b); break;
                case MUL: r = a.mul(b); break;
                case DIV: r = a.div(b); break;
                case MAXIMUM: r = a.max(b); break;
                case MINIMUM: r = a.min(b); break;
                case EQ: r = ZERO.blend(ONE, a.compare(VectorOperators.EQ, b)); break;
                case NE: r = ZERO.blend(ONE, a.compare(VectorOperators.NE, b)); break;
                case LT: r = ZERO.blend(ONE, a.compare(VectorOperators.LT, b)); break;
                case LE: r = ZERO.blend(ONE, a.compare(VectorOperators.LE, b)); break;
                case GT: r = ZERO.blend(ONE, a.compare(VectorOperators.GT, b)); break;
                case GE: r = ZERO.blend(ONE, a.compare(VectorOperators.GE, b)); break;
                case MASK_POSITIVE: r = ZERO.blend(a, b.compare(VectorOperators.GT, 0f)); break;
                default: throw new AssertionError(op);
            }
            r.intoArray(z, zo + i);
        }
        if (i < n) Binary.scalar(op, x, xo + i * xs, xs, y, yo + i * ys, ys, z, zo + i, n - i);
    }
}
