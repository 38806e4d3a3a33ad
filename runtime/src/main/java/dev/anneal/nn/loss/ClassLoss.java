package dev.anneal.nn.loss;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Parallel;
import dev.anneal.kernels.Softmax;
import dev.anneal.tensor.Shape;
import java.util.Arrays;

/**
 * Cross entropy and negative log-likelihood over a class dimension, each one fused primitive:
 * input [N, C, d1, ...] (or [C]) seen as rows of C values with stride D = d1·d2·..., one row per
 * (n, d1, ...). Cross entropy computes log-softmax and the loss in one pass and its backward is
 * softmax − (smoothed, weighted) target; no chain of tensor ops is recorded.
 */
final class ClassLoss {
    private ClassLoss() {}

    /** Element count per backward chunk handed to the thread pool. */
    private static final int GRAIN = 1 << 14;

    /** The geometry of an input: N rows of C classes at stride D, plus the shape of a per-row result. */
    private record Geometry(int n, int c, int d, int[] rowShape) {
        int rows() {
            return n * d;
        }

        int base(int row) {
            return (row / d) * c * d + row % d;
        }
    }

    private static Geometry geometry(String op, Tensor input) {
        int[] s = input.shape();
        if (s.length == 0)
            throw new IllegalArgumentException(op + ": input must have a class dimension ([C] or [N, C, d1, ...]), got a scalar");
        if (s.length == 1) return new Geometry(1, s[0], 1, new int[0]);
        int d = 1;
        for (int i = 2; i < s.length; i++) d *= s[i];
        int[] rowShape = new int[s.length - 1];
        rowShape[0] = s[0];
        System.arraycopy(s, 2, rowShape, 1, s.length - 2);
        return new Geometry(s[0], s[1], d, rowShape);
    }

    /** The elements of t in row-major order; the storage itself when that already is so (read only). */
    static float[] read(Tensor t) {
        float[] data = t.storageData();
        if (t.isContiguous() && t.layoutView().offset() == 0 && data.length == t.numel()) return data;
        return t.toArray();
    }

    private static float[] classWeights(String op, Tensor weight, int classes) {
        if (weight == null) return null;
        if (weight.rank() != 1 || weight.numel() != classes)
            throw new IllegalArgumentException(op + ": weight has shape " + Shape.str(weight.shape()) + ", expected one weight per class: ["
                    + classes + "]");
        return read(weight);
    }

    /** True when target is a class-index target for input, false for a probability target; otherwise a clear error. */
    static boolean isIndexTarget(String op, Tensor input, Tensor target, boolean probabilitiesAllowed) {
        int[] is = input.shape(), ts = target.shape();
        if (probabilitiesAllowed && Arrays.equals(is, ts) && is.length > 0) return false;
        if (is.length == 0)
            throw new IllegalArgumentException(op + ": input must have a class dimension ([C] or [N, C, d1, ...]), got a scalar");
        int[] expected = geometry(op, input).rowShape;
        if (Arrays.equals(ts, expected)) return true;
        String what = op + ": input " + Shape.str(is) + " and target " + Shape.str(ts) + ": ";
        if (is.length >= 2 && ts.length == is.length - 1 && ts[0] != is[0]) throw new IllegalArgumentException(what + "batch sizes differ");
        throw new IllegalArgumentException(what + "expected a class-index target of shape " + Shape.str(expected)
                + (probabilitiesAllowed ? " or a probability target of the input's shape" : ""));
    }

    /** Row-wise log-softmax over the class dimension, in the input's layout. */
    private static float[] logSoftmax(float[] x, Geometry g) {
        if (g.d == 1) return Softmax.rows(x, 0, g.n, g.c, true);
        float[] y = new float[x.length];
        int rows = g.rows();
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, g.c)), (from, to) -> {
            for (int r = from; r < to; r++) {
                int b = g.base(r), st = g.d;
                float m = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < g.c; k++) m = Math.max(m, x[b + k * st]);
                if (m == Float.NEGATIVE_INFINITY) m = 0f;
                double sum = 0;
                for (int k = 0; k < g.c; k++) sum += Math.exp(x[b + k * st] - m);
                float lse = (float) Math.log(sum);
                for (int k = 0; k < g.c; k++) y[b + k * st] = x[b + k * st] - m - lse;
            }
        });
        return y;
    }

    /** Class indices as ints, -1 where ignored; errors name the first bad target. */
    private static int[] classIndices(String op, Tensor target, int classes, int ignoreIndex) {
        float[] t = read(target);
        int[] idx = new int[t.length];
        // in parallel when all are valid (the common case); else again in order, to name the first bad one
        boolean[] bad = new boolean[1];
        Parallel.forRange(t.length, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = t[i];
                if (v == Math.rint(v) && Math.abs(v) <= 1e9f && (v == ignoreIndex || (v >= 0 && v < classes)))
                    idx[i] = v == ignoreIndex ? -1 : (int) v;
                else bad[0] = true;
            }
        });
        if (!bad[0]) return idx;
        for (int i = 0; i < t.length; i++) {
            float v = t[i];
            if (!(v == Math.rint(v)) || Math.abs(v) > 1e9f)
                throw new IllegalArgumentException(op + ": target " + v + " at position " + i + " is not a whole-number class index");
            if (v == ignoreIndex) {
                idx[i] = -1;
                continue;
            }
            if (v < 0 || v >= classes)
                throw new IllegalArgumentException(op + ": target " + (long) v + " at position " + i + " is out of range for " + classes
                        + " classes" + (ignoreIndex == -100 ? "" : " (ignore index " + ignoreIndex + ")"));
            idx[i] = (int) v;
        }
        return idx;
    }

    static float checkSmoothing(String op, float smoothing) {
        if (!(smoothing >= 0f && smoothing <= 1f))
            throw new IllegalArgumentException(op + ": label smoothing must be between 0.0 and 1.0, got " + smoothing);
        return smoothing;
    }

    private static float[] reduced(float[] perRow, double total, double denominator, Reduction red) {
        switch (red) {
            case NONE: return perRow;
            case SUM: return new float[] {(float) total};
            default: return new float[] {(float) (total / denominator)};
        }
    }

    /** The upstream gradient of each row: g[r] (none), g (sum) or g / denominator (mean). */
    private static float[] rowScales(Tensor grad, int rows, double denominator, Reduction red) {
        if (red == Reduction.NONE) return read(grad);
        float[] s = new float[rows];
        double g = grad.item();
        Arrays.fill(s, (float) (red == Reduction.SUM ? g : g / denominator));
        return s;
    }

    /**
     * Class-index targets. logits: cross entropy (input are logits), else NLL (input are log-probabilities).
     * loss_r = −(1−ε)·w_t·logp_t − (ε/C)·Σ_c w_c·logp_c; mean divides by Σ w_t over counted rows
     * (PyTorch 1.13 cross_entropy_loss_label_smoothing and nll_loss).
     */
    static Tensor indexTarget(String op, Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction red, float smoothing,
                              boolean logits) {
        Reduction.check(op, red, false);
        checkSmoothing(op, smoothing);
        isIndexTarget(op, input, target, false);
        Geometry g = geometry(op, input);
        float[] w = classWeights(op, weight, g.c);
        int[] t = classIndices(op, target, g.c, ignoreIndex);
        float[] x = read(input);
        if (logits && g.d == 1 && smoothing == 0f) return fusedCrossEntropy(op, input, x, g, w, t, red);
        float[] logp = logits ? logSoftmax(x, g) : x;
        final double eps = smoothing, c = g.c;
        int rows = g.rows();
        float[] perRow = new float[rows];
        double total = 0, weightSum = 0;
        for (int r = 0; r < rows; r++) {
            int k = t[r];
            if (k < 0) continue;
            int b = g.base(r);
            double wt = w == null ? 1 : w[k];
            double loss = -wt * logp[b + k * g.d];
            if (eps > 0) {
                double smooth = 0;
                for (int j = 0; j < g.c; j++) smooth -= (w == null ? 1 : w[j]) * (double) logp[b + j * g.d];
                loss = (1 - eps) * loss + eps / c * smooth;
            }
            perRow[r] = (float) loss;
            total += loss;
            weightSum += wt;
        }
        final double denominator = weightSum;
        double wAll = 0;
        if (w != null) for (float v : w) wAll += v;
        else wAll = c;
        final double weightTotal = wAll;
        int[] inShape = input.shape();
        return Functions.custom(op, reduced(perRow, total, denominator, red), red == Reduction.NONE ? g.rowShape : new int[0],
                new Tensor[] {input},
                grad -> {
                    float[] s = rowScales(grad, rows, denominator, red);
                    float[] gx = new float[x.length];
                    Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, g.c)), (from, to) -> {
                        for (int r = from; r < to; r++) {
                            int k = t[r];
                            if (k < 0) continue; // ignored rows get no gradient, even when the mean is 0/0
                            int b = g.base(r);
                            double sr = s[r], wt = w == null ? 1 : w[k];
                            if (!logits) {
                                gx[b + k * g.d] = (float) (-wt * sr);
                                continue;
                            }
                            // d/dx_j = p_j·((1−ε)w_t + ε·W/C) − (1−ε)·w_t·[j=t] − ε·w_j/C
                            double a = (1 - eps) * wt + eps * weightTotal / c;
                            for (int j = 0; j < g.c; j++) {
                                int at = b + j * g.d;
                                double v = Math.exp(logp[at]) * a - eps * (w == null ? 1 : w[j]) / c;
                                if (j == k) v -= (1 - eps) * wt;
                                gx[at] = (float) (sr * v);
                            }
                        }
                    });
                    return new Tensor[] {Functions.wrap(gx, inShape)};
                });
    }

    /** The class weight of target k (1 without weights), 0 for an ignored row (k < 0). */
    private static double weight(float[] w, int k) {
        return k < 0 ? 0 : w == null ? 1 : w[k];
    }

    /** −w_t·log p_t, 0 for an ignored row (k < 0; −0·p would be −0). */
    private static double loss(double wt, int k, float logp) {
        return k < 0 ? 0 : -wt * logp;
    }

    /** Rows per block of a loss total: blocks are summed in parallel, each in row order, then in block order. */
    private static final int TOTAL_BLOCK = 4096;

    /**
     * Cross entropy from logits with class-index targets over [N, C] (no label smoothing) in one read of
     * the input: per-row max and log-sum-exp, and the target's log-probability, without writing the
     * log-softmax out. Backward is scale·(softmax − onehot) from the same statistics. Totals are sums of
     * fixed blocks of rows, so they do not depend on the thread count.
     */
    private static Tensor fusedCrossEntropy(String op, Tensor input, float[] x, Geometry g, float[] w, int[] t, Reduction red) {
        int rows = g.n, c = g.c;
        // max and log-sum are kept for backward only; each block's statistics and its loss total in
        // one pass, the target log-probabilities still in L1 for the total
        boolean backward = GradMode.isEnabled() && input.requiresGrad();
        float[] max = backward ? new float[rows] : null, logSum = backward ? new float[rows] : null;
        float[] perRow = new float[red == Reduction.NONE ? rows : 0];
        int blocks = (rows + TOTAL_BLOCK - 1) / TOTAL_BLOCK;
        double[] blockLoss = new double[blocks], blockWeight = new double[blocks];
        Parallel.forRange(blocks, 1, (from, to) -> {
            float[] picked = new float[Math.min(rows, TOTAL_BLOCK)];
            for (int b = from; b < to; b++) {
                int r0 = b * TOTAL_BLOCK, n = Math.min(rows - r0, TOTAL_BLOCK);
                Softmax.rowStatsSerial(x, 0, r0, n, c, max, logSum, t, picked, 0);
                // four partial sums (rows i mod 4), added in a fixed order: one chain of dependent
                // double adds cost about a nanosecond a row; an ignored row adds zeros
                double t0 = 0, t1 = 0, t2 = 0, t3 = 0, w0 = 0, w1 = 0, w2 = 0, w3 = 0;
                int i = 0;
                for (; i + 4 <= n; i += 4) {
                    double a0 = weight(w, t[r0 + i]), a1 = weight(w, t[r0 + i + 1]), a2 = weight(w, t[r0 + i + 2]), a3 = weight(w, t[r0 + i + 3]);
                    double l0 = loss(a0, t[r0 + i], picked[i]), l1 = loss(a1, t[r0 + i + 1], picked[i + 1]);
                    double l2 = loss(a2, t[r0 + i + 2], picked[i + 2]), l3 = loss(a3, t[r0 + i + 3], picked[i + 3]);
                    t0 += l0;
                    t1 += l1;
                    t2 += l2;
                    t3 += l3;
                    w0 += a0;
                    w1 += a1;
                    w2 += a2;
                    w3 += a3;
                    if (perRow.length > 0) {
                        perRow[r0 + i] = (float) l0;
                        perRow[r0 + i + 1] = (float) l1;
                        perRow[r0 + i + 2] = (float) l2;
                        perRow[r0 + i + 3] = (float) l3;
                    }
                }
                for (; i < n; i++) {
                    double a = weight(w, t[r0 + i]), l = loss(a, t[r0 + i], picked[i]);
                    t0 += l;
                    w0 += a;
                    if (perRow.length > 0) perRow[r0 + i] = (float) l;
                }
                blockLoss[b] = (t0 + t1) + (t2 + t3);
                blockWeight[b] = (w0 + w1) + (w2 + w3);
            }
        });
        double total = 0, weightSum = 0;
        for (int b = 0; b < blocks; b++) {
            total += blockLoss[b];
            weightSum += blockWeight[b];
        }
        final double denominator = weightSum;
        int[] inShape = input.shape();
        return Functions.custom(op, reduced(perRow, total, denominator, red), red == Reduction.NONE ? g.rowShape : new int[0],
                new Tensor[] {input},
                grad -> {
                    float[] gr = red == Reduction.NONE ? read(grad) : null;
                    double all = red == Reduction.NONE ? 0 : red == Reduction.SUM ? grad.item() : grad.item() / denominator;
                    float[] scale = new float[rows];
                    if (gr == null && w == null) { // the common case: one value (the same bits as below)
                        float sr = (float) all;
                        for (int r = 0; r < rows; r++) scale[r] = t[r] < 0 ? 0f : sr;
                    } else {
                        for (int r = 0; r < rows; r++) {
                            int k = t[r];
                            if (k < 0) continue; // ignored rows get no gradient, even when the mean is 0/0
                            double sr = gr != null ? gr[r] : (float) all;
                            scale[r] = (float) (sr * (w == null ? 1 : w[k]));
                        }
                    }
                    return new Tensor[] {Functions.freshGradient(Softmax.softmaxMinusOneHot(x, 0, rows, c, max, logSum, t, scale), inShape)};
                }, input); // backward reads the input's values: an in-place change before it is reported
    }

    /**
     * Probability targets of the input's shape (cross entropy only): t' = (1−ε)·t + ε/C,
     * loss_r = −Σ_c w_c·t'_c·logp_c; mean divides by the number of rows (PyTorch 1.13 cross_entropy_loss_prob_target).
     */
    static Tensor probabilityTarget(String op, Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction red,
                                    float smoothing) {
        Reduction.check(op, red, false);
        checkSmoothing(op, smoothing);
        if (ignoreIndex >= 0)
            throw new IllegalArgumentException(op + ": ignore index " + ignoreIndex + " is not supported with probability targets "
                    + "(target has the input's shape " + Shape.str(input.shape()) + ")");
        Geometry g = geometry(op, input);
        float[] w = classWeights(op, weight, g.c);
        float[] x = read(input), tRaw = read(target);
        float[] logp = logSoftmax(x, g);
        final double eps = smoothing, c = g.c;
        int rows = g.rows();
        float[] perRow = new float[rows];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int b = g.base(r);
            double loss = 0;
            for (int j = 0; j < g.c; j++) {
                int at = b + j * g.d;
                double tj = (1 - eps) * tRaw[at] + eps / c;
                loss -= (w == null ? 1 : w[j]) * tj * logp[at];
            }
            perRow[r] = (float) loss;
            total += loss;
        }
        int[] inShape = input.shape();
        boolean targetGrad = target.requiresGrad();
        return Functions.custom(op, reduced(perRow, total, rows, red), red == Reduction.NONE ? g.rowShape : new int[0],
                new Tensor[] {input, target}, grad -> {
            float[] s = rowScales(grad, rows, rows, red);
            float[] gx = new float[x.length];
            float[] gt = targetGrad ? new float[x.length] : null;
            Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, g.c)), (from, to) -> {
                for (int r = from; r < to; r++) {
                    int b = g.base(r);
                    double sr = s[r], wt = 0;
                    for (int j = 0; j < g.c; j++) {
                        int at = b + j * g.d;
                        wt += (w == null ? 1 : w[j]) * ((1 - eps) * tRaw[at] + eps / c);
                    }
                    // d/dx_j = p_j·Σ_c w_c·t'_c − w_j·t'_j ; d/dt_j = −(1−ε)·w_j·logp_j
                    for (int j = 0; j < g.c; j++) {
                        int at = b + j * g.d;
                        double wj = w == null ? 1 : w[j];
                        gx[at] = (float) (sr * (Math.exp(logp[at]) * wt - wj * ((1 - eps) * tRaw[at] + eps / c)));
                        if (gt != null) gt[at] = (float) (-sr * (1 - eps) * wj * logp[at]);
                    }
                }
            });
            return new Tensor[] {Functions.wrap(gx, inShape), gt == null ? null : Functions.wrap(gt, inShape)};
        }, target); // backward reads the target's values: an in-place change before it is reported
    }
}
