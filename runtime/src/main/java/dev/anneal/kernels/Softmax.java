package dev.anneal.kernels;

/** Softmax and log-softmax over the rows of a contiguous [rows, len] block. */
public final class Softmax {
    private Softmax() {}

    public static float[] rows(float[] x, int off, int rows, int len, boolean log) {
        float[] y = new float[rows * len];
        if (y.length == 0) return y;
        boolean vector = VectorSupport.enabled();
        Parallel.forRange(rows, Math.max(1, StridedLoop.GRAIN / Math.max(1, len)), (from, to) -> {
            if (vector && len < SoftmaxVector.lanes()) {
                SoftmaxVector.shortRows(x, off + from * len, y, from * len, to - from, len, log);
                return;
            }
            for (int r = from; r < to; r++) {
                if (vector) SoftmaxVector.row(x, off + r * len, y, r * len, len, log);
                else row(x, off + r * len, y, r * len, len, log);
            }
        });
        return y;
    }

    /** Reference: shift by the max so exp never overflows (softmax is shift-invariant). */
    public static void row(float[] x, int xo, float[] y, int yo, int len, boolean log) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) m = Math.max(m, x[xo + i]);
        if (m == Float.NEGATIVE_INFINITY) m = 0f; // an all -inf row gives NaN like PyTorch, not a shifted inf-inf
        double sum = 0;
        for (int i = 0; i < len; i++) sum += Math.exp(x[xo + i] - m);
        if (log) {
            float lse = (float) Math.log(sum);
            for (int i = 0; i < len; i++) y[yo + i] = x[xo + i] - m - lse;
        } else {
            for (int i = 0; i < len; i++) y[yo + i] = (float) (Math.exp(x[xo + i] - m) / sum);
        }
    }
}
