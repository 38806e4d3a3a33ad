package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link Unary}; ops without a lane-wise form use the scalar loop. */
final class UnaryVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private UnaryVector() {}

    static void map(UnaryOp op, float a, float b, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        switch (op) {
            case NEG:
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, xo + i).neg().intoArray(y, yo + i);
                break;
            case ABS:
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, xo + i).abs().intoArray(y, yo + i);
                break;
            case SQRT:
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, xo + i).sqrt().intoArray(y, yo + i);
                break;
            case RELU:
                for (; i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    // max(v, 0) would turn -0.0 into 0.0 too, and keeps NaN, as the scalar rule does
                    v.max(0f).intoArray(y, yo + i);
                }
                break;
            case LEAKY_RELU:
                for (; i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    VectorMask<Float> pos = v.compare(VectorOperators.GT, 0f);
                    v.mul(a).blend(v, pos).intoArray(y, yo + i);
                }
                break;
            case CLAMP:
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, xo + i).max(a).min(b).intoArray(y, yo + i);
                break;
            case ADD_SCALAR:
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, xo + i).add(a).intoArray(y, yo + i);
                break;
            case MUL_SCALAR:
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, xo + i).mul(a).intoArray(y, yo + i);
                break;
            case RECIPROCAL:
                for (; i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    FloatVector.broadcast(S, 1f).div(v).intoArray(y, yo + i);
                }
                break;
            case SCALAR_DIV:
                for (; i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    FloatVector.broadcast(S, a).div(v).intoArray(y, yo + i);
                }
                break;
            // EXP, LOG, TANH and SIGMOID deliberately take the scalar loop: the Vector API's lanewise
            // EXP/LOG/TANH give different bits before and after C2 intrinsifies them (SVML), so results
            // would change as the JIT warms up, breaking run-to-run reproducibility.
            default:
                break; // no lane-wise form: the whole run goes through the scalar loop below
        }
        if (i < n) Unary.scalar(op, a, b, x, xo + i, 1, y, yo + i, n - i);
    }
}
