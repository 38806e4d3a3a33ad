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
            float[] lanes = vector ? new float[SoftmaxVector.lanes()] : null; // the scalar path must not load SoftmaxVector
            for (int r = from; r < to; r++) {
                if (vector) SoftmaxVector.row(x, off + r * len, y, r * len, len, log, lanes);
                else row(x, off + r * len, y, r * len, len, log);
            }
        });
        return y;
    }

    /**
     * Per-row statistics of log-softmax over a contiguous [rows, len] block, log-softmax = (x − max) − logSum:
     * max[r] (0 when the row is all −inf) and logSum[r] = log Σ exp(x − max[r]). With pick (a column per
     * row, negative to skip the row) also picked[r] = the log-softmax at that column (0 for a skipped row):
     * a class-index loss in one read of the input.
     */
    public static void rowStats(float[] x, int off, int rows, int len, float[] max, float[] logSum, int[] pick, float[] picked) {
        if (rows == 0) return;
        Parallel.forRange(rows, Math.max(1, StridedLoop.GRAIN / Math.max(1, len)),
                (from, to) -> rowStatsSerial(x, off, from, to - from, len, max, logSum, pick, picked, from));
    }

    /**
     * {@link #rowStats} for rows [r0, r0 + rows) on the calling thread (for a caller that splits the
     * rows itself): row r at x[off + r·len], its max, logSum and pick at index r, its picked value at
     * picked[p0 + r − r0]. max and logSum may be null (a forward without backward needs only picked).
     */
    public static void rowStatsSerial(float[] x, int off, int r0, int rows, int len, float[] max, float[] logSum, int[] pick,
                                      float[] picked, int p0) {
        boolean vector = VectorSupport.enabled();
        if (vector && len < SoftmaxVector.lanes()) {
            SoftmaxVector.shortRowStats(x, off + r0 * len, r0, rows, len, max, logSum, pick, picked, p0);
            return;
        }
        for (int r = r0; r < r0 + rows; r++) {
            if (vector) SoftmaxVector.rowStats(x, off + r * len, len, r, max, logSum, pick, picked, p0 + r - r0);
            else rowStatsOf(x, off + r * len, len, r, max, logSum, pick, picked, p0 + r - r0);
        }
    }

    /** Reference of {@link #rowStats} for row r at x[xo] (max, logSum may be null). */
    public static void rowStatsOf(float[] x, int xo, int len, int r, float[] max, float[] logSum, int[] pick, float[] picked) {
        rowStatsOf(x, xo, len, r, max, logSum, pick, picked, r);
    }

    /** As {@link #rowStatsOf}, with the picked value at picked[p]. */
    static void rowStatsOf(float[] x, int xo, int len, int r, float[] max, float[] logSum, int[] pick, float[] picked, int p) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) m = Math.max(m, x[xo + i]);
        if (m == Float.NEGATIVE_INFINITY) m = 0f;
        double sum = 0;
        for (int i = 0; i < len; i++) sum += Math.exp(x[xo + i] - m);
        float lse = (float) Math.log(sum);
        if (max != null) max[r] = m;
        if (logSum != null) logSum[r] = lse;
        if (pick != null) picked[p] = pick[r] < 0 ? 0f : x[xo + pick[r]] - m - lse;
    }

    /**
     * The gradient of a class-index loss through log-softmax, given {@link #rowStats}:
     * gx[r, j] = scale[r]·(softmax(x)[r, j] − [j = pick[r]]), all zero for a row with a negative pick.
     */
    public static float[] softmaxMinusOneHot(float[] x, int off, int rows, int len, float[] max, float[] logSum, int[] pick,
                                             float[] scale) {
        float[] gx = new float[rows * len];
        if (gx.length == 0) return gx;
        boolean vector = VectorSupport.enabled();
        Parallel.forRange(rows, Math.max(1, StridedLoop.GRAIN / Math.max(1, len)), (from, to) -> {
            if (vector && len < SoftmaxVector.lanes()) {
                SoftmaxVector.shortRowsGrad(x, off + from * len, gx, from, to - from, len, max, logSum, pick, scale);
                return;
            }
            for (int r = from; r < to; r++) {
                if (vector) SoftmaxVector.rowGrad(x, off + r * len, gx, r * len, len, max[r], logSum[r], pick[r], scale[r]);
                else rowGrad(x, off + r * len, gx, r * len, len, max[r], logSum[r], pick[r], scale[r]);
            }
        });
        return gx;
    }

    /** Reference of {@link #softmaxMinusOneHot} for one row; softmax = exp of the log-softmax as rowStats gives it. */
    public static void rowGrad(float[] x, int xo, float[] gx, int go, int len, float m, float lse, int t, float s) {
        if (t < 0) return;
        for (int i = 0; i < len; i++) gx[go + i] = s * ((float) Math.exp(x[xo + i] - m - lse) - (i == t ? 1f : 0f));
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
