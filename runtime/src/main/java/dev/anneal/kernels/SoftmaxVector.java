package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API body of {@link Softmax}. */
final class SoftmaxVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private SoftmaxVector() {}

    static void row(float[] x, int xo, float[] y, int yo, int len, boolean log) {
        int bound = S.loopBound(len), step = S.length();
        if (bound == 0) {
            Softmax.row(x, xo, y, yo, len, log);
            return;
        }
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += step) mv = mv.max(FloatVector.fromArray(S, x, xo + i));
        float m = mv.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) m = Math.max(m, x[xo + i]);
        if (m == Float.NEGATIVE_INFINITY) m = 0f;
        // exp(x - m) goes to y on the first pass and is reused by softmax
        // (exp by Math.exp, not lanewise(EXP): the latter changes bits once C2 intrinsifies it)
        for (i = 0; i < bound; i++) y[yo + i] = (float) Math.exp(x[xo + i] - m);
        FloatVector sv = FloatVector.zero(S);
        for (i = 0; i < bound; i += step) sv = sv.add(FloatVector.fromArray(S, y, yo + i));
        double sum = Lanes.sumInOrder(sv); // fixed order: reduceLanes may change it with the JIT tier
        for (; i < len; i++) {
            float e = (float) Math.exp(x[xo + i] - m);
            y[yo + i] = e;
            sum += e;
        }
        if (log) {
            float shift = m + (float) Math.log(sum);
            for (i = 0; i < bound; i += step) FloatVector.fromArray(S, x, xo + i).sub(shift).intoArray(y, yo + i);
            for (; i < len; i++) y[yo + i] = x[xo + i] - shift;
        } else {
            float inv = (float) (1.0 / sum);
            for (i = 0; i < bound; i += step) FloatVector.fromArray(S, y, yo + i).mul(inv).intoArray(y, yo + i);
            for (; i < len; i++) y[yo + i] *= inv;
        }
    }
}
