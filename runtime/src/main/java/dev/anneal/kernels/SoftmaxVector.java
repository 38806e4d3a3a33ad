package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API body of {@link Softmax}. */
final class SoftmaxVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private SoftmaxVector() {}

    static int lanes() {
        return S.length();
    }

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
        FloatVector sv = FloatVector.zero(S);
        for (i = 0; i < bound; i += step) {
            FloatVector e = ExpVector.exp(FloatVector.fromArray(S, x, xo + i).sub(m));
            e.intoArray(y, yo + i);
            sv = sv.add(e);
        }
        double sum = Lanes.sumInOrder(sv); // fixed order: reduceLanes may change it with the JIT tier
        for (; i < len; i++) {
            float e = (float) Math.exp(x[xo + i] - m);
            y[yo + i] = e;
            sum += e;
        }
        if (log) {
            float lse = (float) Math.log(sum);
            for (i = 0; i < bound; i += step) FloatVector.fromArray(S, x, xo + i).sub(m).sub(lse).intoArray(y, yo + i);
            for (; i < len; i++) y[yo + i] = x[xo + i] - m - lse;
        } else {
            float inv = (float) (1.0 / sum);
            for (i = 0; i < bound; i += step) FloatVector.fromArray(S, y, yo + i).mul(inv).intoArray(y, yo + i);
            for (; i < len; i++) y[yo + i] *= inv;
        }
    }

    /**
     * Rows shorter than a vector, one row per lane: a group of rows is transposed into a column-major
     * buffer, so max, exp, sum and the output run across rows with plain vector loads, and is transposed
     * back. (Gathers are slower here, and C2 on JDK 17 keeps vectors boxed when they merge in a Phi.)
     * Unused lanes of a short last group hold zeros and are never written back, so a row's bits do not
     * depend on which group it falls in.
     */
    static void shortRows(float[] x, int xo, float[] y, int yo, int rows, int len, boolean log) {
        int lanes = S.length();
        float[] cols = new float[len * lanes], scale = new float[lanes];
        for (int g = 0; g < rows; g += lanes) {
            int nr = Math.min(lanes, rows - g), xg = xo + g * len, yg = yo + g * len;
            if (nr < lanes) java.util.Arrays.fill(cols, 0f);
            for (int l = 0; l < nr; l++)
                for (int k = 0; k < len; k++) cols[k * lanes + l] = x[xg + l * len + k];
            FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int k = 0; k < len; k++) m = m.max(FloatVector.fromArray(S, cols, k * lanes));
            m = m.blend(0f, m.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
            FloatVector sum = FloatVector.zero(S);
            for (int k = 0; k < len; k++) sum = sum.add(ExpVector.exp(FloatVector.fromArray(S, cols, k * lanes).sub(m)));
            if (log) {
                sum.intoArray(scale, 0);
                for (int l = 0; l < nr; l++) scale[l] = (float) Math.log(scale[l]);
                FloatVector lse = FloatVector.fromArray(S, scale, 0);
                for (int k = 0; k < len; k++)
                    FloatVector.fromArray(S, cols, k * lanes).sub(m).sub(lse).intoArray(cols, k * lanes);
            } else {
                FloatVector inv = FloatVector.broadcast(S, 1f).div(sum);
                for (int k = 0; k < len; k++)
                    ExpVector.exp(FloatVector.fromArray(S, cols, k * lanes).sub(m)).mul(inv).intoArray(cols, k * lanes);
            }
            for (int l = 0; l < nr; l++)
                for (int k = 0; k < len; k++) y[yg + l * len + k] = cols[k * lanes + l];
        }
    }
}
