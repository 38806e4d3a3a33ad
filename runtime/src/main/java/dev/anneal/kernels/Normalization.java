package dev.anneal.kernels;

/**
 * Batch normalization over contiguous [n, c, s] input (s = spatial size, 1 for [n, c]) and layer
 * normalization over the last d elements of each row, forward and backward.
 *
 * <p>Statistics take one pass: sums of x − k and (x − k)² with a shift k (the channel's or row's
 * first element) so that E[(x−k)²] − E[x−k]² does not cancel catastrophically when the mean is far
 * from zero; runs are summed in float lanes and accumulated in double. The output is a second pass
 * y = x·a + b. Backward is the closed form (Ioffe and Szegedy 2015, eq. after Algorithm 1):
 * gx = invstd·w·(gy − mean(gy) − x̂·mean(gy·x̂)), one pass for the two sums and one for gx.
 */
public final class Normalization {
    private Normalization() {}

    // ---------------------------------------------------------------- run primitives (scalar reference)

    /** out[0] += Σ(x−k), out[1] += Σ(x−k)² over a run. */
    static void shiftedSums(float[] x, int off, int len, float k, double[] out) {
        double s = 0, q = 0;
        for (int i = 0; i < len; i++) {
            double d = x[off + i] - k;
            s += d;
            q += d * d;
        }
        out[0] += s;
        out[1] += q;
    }

    /** y = (x − k)·a + b over a run (subtracting first keeps x far from 0 from cancelling). */
    static void affine(float[] x, int xo, float[] y, int yo, int len, float k, float a, float b) {
        for (int i = 0; i < len; i++) y[yo + i] = (x[xo + i] - k) * a + b;
    }

    private static void shiftedSumsAny(boolean v, float[] x, int off, int len, float k, double[] out) {
        if (v) NormalizationVector.shiftedSums(x, off, len, k, out);
        else shiftedSums(x, off, len, k, out);
    }

    private static void affineAny(boolean v, float[] x, int xo, float[] y, int yo, int len, float k, float a, float b) {
        if (v) NormalizationVector.affine(x, xo, y, yo, len, k, a, b);
        else affine(x, xo, y, yo, len, k, a, b);
    }

    // ---------------------------------------------------------------- batch norm primitives (scalar reference)
    // Sums run in float over short blocks (BLOCK rows of [n, c] input; about FLOAT_RUN values of a
    // channel of [n, c, s] input; PyTorch sums in double throughout), then add into double: the float part has a few hundred terms at
    // most, so it loses far less than the 1e-5 relative the conformance tests allow, and the vector
    // bodies need no per-element widening. Products round once (fma), as in the vector bodies.

    /** Rows of [n, c] input summed in float before their sums are added into double. */
    static final int BLOCK = 16;
    /** Values of one channel of [n, c, s] input (whole runs of s) summed in float before adding into double. */
    static final int FLOAT_RUN = 2048;

    /**
     * ps[pOff + ch] += Σ(x − k[ch]), pq[pOff + ch] += Σ(x − k[ch])² over one block of rows [r0, r1) of
     * [·, c] x at xo, channels [from, to): each channel's block sums in float (rows in order), then added.
     */
    static void blockShiftedSums(float[] x, int xo, int r0, int r1, int c, int from, int to, float[] k, double[] ps, double[] pq,
                                 int pOff) {
        for (int ch = from; ch < to; ch++) {
            float fs = 0f, fq = 0f;
            for (int i = r0; i < r1; i++) {
                float d = x[xo + i * c + ch] - k[ch];
                fs += d;
                fq = Math.fma(d, d, fq);
            }
            ps[pOff + ch] += fs;
            pq[pOff + ch] += fq;
        }
    }

    /** ps[pOff + ch] += Σgy, pd[pOff + ch] += Σgy·(x − mean[ch]) over one block of rows, as {@link #blockShiftedSums}. */
    static void blockGradSums(float[] gy, float[] x, int xo, int r0, int r1, int c, int from, int to, float[] mean, double[] ps,
                              double[] pd, int pOff) {
        for (int ch = from; ch < to; ch++) {
            float fs = 0f, fd = 0f;
            for (int i = r0; i < r1; i++) {
                float g = gy[i * c + ch];
                fs += g;
                fd = Math.fma(g, x[xo + i * c + ch] - mean[ch], fd);
            }
            ps[pOff + ch] += fs;
            pd[pOff + ch] += fd;
        }
    }

    /** y = (x − k[ch])·a[ch] + b[ch] over rows [r0, r1). */
    static void rowAffine(float[] x, int xo, float[] y, int r0, int r1, int c, float[] k, float[] a, float[] b) {
        for (int i = r0; i < r1; i++) {
            int row = i * c;
            for (int ch = 0; ch < c; ch++) y[row + ch] = Math.fma(x[xo + row + ch] - k[ch], a[ch], b[ch]);
        }
    }

    /** gx = gy·a[ch] + ((x − k[ch])·b[ch] + cc[ch]) over rows [r0, r1). */
    static void rowCombine(float[] gy, float[] x, int xo, float[] gx, int r0, int r1, int c, float[] k, float[] a, float[] b, float[] cc) {
        for (int i = r0; i < r1; i++) {
            int row = i * c;
            for (int ch = 0; ch < c; ch++)
                gx[row + ch] = Math.fma(gy[row + ch], a[ch], Math.fma(x[xo + row + ch] - k[ch], b[ch], cc[ch]));
        }
    }

    /**
     * out[0] = Σ(x − k), out[1] = Σ(x − k)² over one channel of [n, c, s] input: the n runs of s
     * values at xb + i·stride; in double (the vector body sums blocks of runs in float lanes first).
     */
    static void channelShiftedSums(float[] x, int xb, int n, int stride, int s, float k, double[] out) {
        double ss = 0, qq = 0;
        for (int i = 0; i < n; i++) {
            int at = xb + i * stride;
            for (int j = 0; j < s; j++) {
                double d = x[at + j] - k;
                ss += d;
                qq += d * d;
            }
        }
        out[0] = ss;
        out[1] = qq;
    }

    /** out[0] = Σgy, out[1] = Σgy·(x − mean) over one channel (runs at gb + i·stride and xb + i·stride). */
    static void channelGradSums(float[] gy, int gb, float[] x, int xb, int n, int stride, int s, float mean, double[] out) {
        double ss = 0, dd = 0;
        for (int i = 0; i < n; i++) {
            int go = gb + i * stride, xo = xb + i * stride;
            for (int j = 0; j < s; j++) {
                ss += gy[go + j];
                dd += (double) gy[go + j] * (x[xo + j] - mean);
            }
        }
        out[0] = ss;
        out[1] = dd;
    }

    /** y = (x − k)·a + b over one channel (runs at xb + i·stride, written at yb + i·stride). */
    static void channelAffine(float[] x, int xb, float[] y, int yb, int n, int stride, int s, float k, float a, float b) {
        for (int i = 0; i < n; i++) {
            int xo = xb + i * stride, yo = yb + i * stride;
            for (int j = 0; j < s; j++) y[yo + j] = Math.fma(x[xo + j] - k, a, b);
        }
    }

    /** gx = gy·a + ((x − k)·b + c) over one channel (gy and gx runs at gb + i·stride, x at xb + i·stride). */
    static void channelCombine(float[] gy, int gb, float[] x, int xb, float[] gx, int n, int stride, int s, float k, float a, float b,
                               float c) {
        for (int i = 0; i < n; i++) {
            int go = gb + i * stride, xo = xb + i * stride;
            for (int j = 0; j < s; j++) gx[go + j] = Math.fma(gy[go + j], a, Math.fma(x[xo + j] - k, b, c));
        }
    }

    /** Rows of [n, c] input per statistics chunk (about 1 MB, a multiple of BLOCK); fixed by c alone. */
    static int statRows(int c) {
        return Math.max(BLOCK, (1 << 18) / Math.max(1, c) / BLOCK * BLOCK);
    }

    private static int rowGrain(int c) {
        return Math.max(1, StridedLoop.GRAIN / Math.max(1, c));
    }

    private static int channelGrain(int n, int s) {
        return Math.max(1, StridedLoop.GRAIN / Math.max(1, n * s));
    }

    // ---------------------------------------------------------------- batch norm

    /**
     * Per-channel sums over the rows of [n, c] x, into a and b: with gy null, Σ(x − k) and Σ(x − k)²
     * (statistics, k = the first row); with gy, Σgy and Σgy·(x − k) (backward, k = the mean). Rows go
     * in fixed chunks of statRows(c), each summed on one thread in blocks of BLOCK rows (float, then
     * double); the chunk totals are added in chunk order, so the result does not depend on the threads.
     * Input of more than one chunk takes the vector bodies that stream rows in memory order.
     */
    private static void rowSums(boolean v, float[] gy, float[] x, int xOff, int n, int c, float[] k, double[] a, double[] b) {
        int rows = statRows(c), chunks = (n + rows - 1) / rows;
        double[] pa = new double[chunks * c], pb = new double[chunks * c];
        boolean stream = chunks > 1;
        Parallel.forRange(chunks, 1, (from, to) -> {
            float[] fa = stream && v ? new float[c] : null, fb = stream && v ? new float[c] : null;
            for (int q = from; q < to; q++) {
                for (int r0 = q * rows, end = Math.min(n, r0 + rows); r0 < end; r0 += BLOCK) {
                    int r1 = Math.min(end, r0 + BLOCK);
                    if (!v) {
                        if (gy == null) blockShiftedSums(x, xOff, r0, r1, c, 0, c, k, pa, pb, q * c);
                        else blockGradSums(gy, x, xOff, r0, r1, c, 0, c, k, pa, pb, q * c);
                    } else if (stream) {
                        if (gy == null) NormalizationVector.rowShiftedSums(x, xOff, r0, r1, c, k, fa, fb);
                        else NormalizationVector.rowGradSums(gy, x, xOff, r0, r1, c, k, fa, fb);
                        NormalizationVector.flush(fa, pa, q * c, c);
                        NormalizationVector.flush(fb, pb, q * c, c);
                    } else {
                        if (gy == null) NormalizationVector.blockShiftedSums(x, xOff, r0, r1, c, k, pa, pb, q * c);
                        else NormalizationVector.blockGradSums(gy, x, xOff, r0, r1, c, k, pa, pb, q * c);
                    }
                }
            }
        });
        for (int q = 0; q < chunks; q++)
            for (int ch = 0; ch < c; ch++) {
                a[ch] += pa[q * c + ch];
                b[ch] += pb[q * c + ch];
            }
    }

    private static void channelShiftedSumsAny(boolean v, float[] x, int xb, int n, int stride, int s, float k, double[] out) {
        if (v) NormalizationVector.channelShiftedSums(x, xb, n, stride, s, k, out);
        else channelShiftedSums(x, xb, n, stride, s, k, out);
    }

    private static void channelAffineAny(boolean v, float[] x, int xb, float[] y, int yb, int n, int stride, int s, float k, float a,
                                         float b) {
        if (v) NormalizationVector.channelAffine(x, xb, y, yb, n, stride, s, k, a, b);
        else channelAffine(x, xb, y, yb, n, stride, s, k, a, b);
    }

    /** mean and biased variance from shifted sums over count values (shift k). */
    private static float meanOf(float k, double sum, double count) {
        return (float) (k + sum / count);
    }

    private static float varOf(double sum, double sq, double count) {
        double m = sum / count;
        return (float) Math.max(0, sq / count - m * m);
    }

    /**
     * Training-mode statistics over n·s values per channel: mean[c] and the biased variance var[c].
     */
    public static void batchStats(float[] x, int xOff, int n, int c, int s, float[] mean, float[] var) {
        boolean v = VectorSupport.enabled();
        double count = (double) n * s;
        if (s == 1) {
            float[] k = new float[c];
            System.arraycopy(x, xOff, k, 0, c);
            double[] sum = new double[c], sq = new double[c];
            rowSums(v, null, x, xOff, n, c, k, sum, sq);
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = meanOf(k[ch], sum[ch], count);
                var[ch] = varOf(sum[ch], sq[ch], count);
            }
            return;
        }
        Parallel.forRange(c, channelGrain(n, s), (from, to) -> {
            double[] acc = new double[2];
            for (int ch = from; ch < to; ch++) {
                float k = x[xOff + ch * s];
                channelShiftedSumsAny(v, x, xOff + ch * s, n, c * s, s, k, acc);
                mean[ch] = meanOf(k, acc[0], count);
                var[ch] = varOf(acc[0], acc[1], count);
            }
        });
    }

    /**
     * Training-mode batch norm in one call: fills mean, var (biased) and invstd = 1/√(var + eps) per
     * channel and returns y = (x − mean)·invstd·weight + bias. For [n, c, s] input with s &gt; 1 each
     * channel is normalized right after its statistics, while its values are still in cache.
     */
    public static float[] batchNormTrain(float[] x, int xOff, int n, int c, int s, float[] weight, float[] bias, float eps,
                                         float[] mean, float[] var, float[] invstd) {
        if (s == 1) {
            batchStats(x, xOff, n, c, s, mean, var);
            float[] is = invstd(var, eps);
            System.arraycopy(is, 0, invstd, 0, c);
            return batchNormApply(x, xOff, n, c, s, mean, invstd, weight, bias);
        }
        boolean v = VectorSupport.enabled();
        double count = (double) n * s;
        float[] y = new float[n * c * s];
        Parallel.forRange(c, channelGrain(n, s), (from, to) -> {
            double[] acc = new double[2];
            for (int ch = from; ch < to; ch++) {
                float k = x[xOff + ch * s];
                channelShiftedSumsAny(v, x, xOff + ch * s, n, c * s, s, k, acc);
                float m = meanOf(k, acc[0], count), va = varOf(acc[0], acc[1], count);
                float is = invstdOf(va, eps);
                mean[ch] = m;
                var[ch] = va;
                invstd[ch] = is;
                float a = is * (weight == null ? 1f : weight[ch]), b = bias == null ? 0f : bias[ch];
                channelAffineAny(v, x, xOff + ch * s, y, ch * s, n, c * s, s, m, a, b);
            }
        });
        return y;
    }

    /**
     * Running statistics after a training batch of count values per channel, in place:
     * running = (1 − momentum)·running + momentum·batch, with the unbiased variance (torch.nn.BatchNorm).
     * A kernel of its own rather than a loop in the caller: inlined there with the tensor copies
     * around it, C2 compiled it twice (on the stack and whole) into 80 KB for 256 multiply-adds: 0.4 s of
     * compile time in the first second of an MLP's training, on a machine with 2 cores.
     */
    public static void updateRunning(float[] runningMean, float[] runningVar, float[] mean, float[] var, long count, double momentum) {
        double unbias = (double) count / (count - 1);
        for (int i = 0; i < runningMean.length; i++) {
            runningMean[i] = (float) ((1 - momentum) * runningMean[i] + momentum * mean[i]);
            runningVar[i] = (float) ((1 - momentum) * runningVar[i] + momentum * var[i] * unbias);
        }
    }

    /** y = (x − mean)·invstd·weight + bias per channel; weight and bias may be null (1 and 0). */
    public static float[] batchNormApply(float[] x, int xOff, int n, int c, int s, float[] mean, float[] invstd,
                                         float[] weight, float[] bias) {
        float[] y = new float[n * c * s];
        boolean v = VectorSupport.enabled();
        if (s == 1) {
            float[] a = new float[c], b = new float[c];
            for (int ch = 0; ch < c; ch++) {
                a[ch] = invstd[ch] * (weight == null ? 1f : weight[ch]);
                b[ch] = bias == null ? 0f : bias[ch];
            }
            Parallel.forRange(n, rowGrain(c), (from, to) -> {
                if (v) NormalizationVector.rowAffine(x, xOff, y, from, to, c, mean, a, b);
                else rowAffine(x, xOff, y, from, to, c, mean, a, b);
            });
            return y;
        }
        Parallel.forRange(c, channelGrain(n, s), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                float a = invstd[ch] * (weight == null ? 1f : weight[ch]);
                float b = bias == null ? 0f : bias[ch];
                channelAffineAny(v, x, xOff + ch * s, y, ch * s, n, c * s, s, mean[ch], a, b);
            }
        });
        return y;
    }

    private static float invstdOf(float var, float eps) {
        return (float) (1.0 / Math.sqrt((double) var + eps));
    }

    /** 1/√(var + eps), per element. */
    public static float[] invstd(float[] var, float eps) {
        float[] r = new float[var.length];
        for (int i = 0; i < var.length; i++) r[i] = invstdOf(var[i], eps);
        return r;
    }

    /**
     * Batch-norm gradients given the statistics the forward used. With batchStats (training), gx
     * includes the paths through the batch mean and variance; otherwise the statistics are constants.
     * gx, gw, gb may each be null.
     */
    public static void batchNormBackward(float[] x, int xOff, float[] gy, int n, int c, int s, float[] mean, float[] invstd,
                                         float[] weight, boolean batchStats, float[] gx, float[] gw, float[] gb) {
        boolean v = VectorSupport.enabled();
        double count = (double) n * s;
        if (s == 1) {
            double[] sum = new double[c], dot = new double[c];
            rowSums(v, gy, x, xOff, n, c, mean, sum, dot);
            float[] a = new float[c], b = new float[c], cc = new float[c];
            for (int ch = 0; ch < c; ch++) {
                if (gw != null) gw[ch] = (float) (dot[ch] * invstd[ch]);
                if (gb != null) gb[ch] = (float) sum[ch];
                double w = weight == null ? 1 : weight[ch], is = invstd[ch];
                a[ch] = (float) (w * is);
                b[ch] = batchStats ? (float) (-w * is * (is * is * dot[ch] / count)) : 0f;
                cc[ch] = batchStats ? (float) (-w * is * sum[ch] / count) : 0f;
            }
            if (gx == null) return;
            Parallel.forRange(n, rowGrain(c), (from, to) -> {
                if (v) NormalizationVector.rowCombine(gy, x, xOff, gx, from, to, c, mean, a, b, cc);
                else rowCombine(gy, x, xOff, gx, from, to, c, mean, a, b, cc);
            });
            return;
        }
        Parallel.forRange(c, channelGrain(n, s), (from, to) -> {
            double[] acc = new double[2];
            for (int ch = from; ch < to; ch++) {
                int at = ch * s;
                if (v) NormalizationVector.channelGradSums(gy, at, x, xOff + at, n, c * s, s, mean[ch], acc);
                else channelGradSums(gy, at, x, xOff + at, n, c * s, s, mean[ch], acc);
                double sumGy = acc[0], is = invstd[ch];
                if (gw != null) gw[ch] = (float) (acc[1] * is);
                if (gb != null) gb[ch] = (float) sumGy;
                if (gx == null) continue;
                double w = weight == null ? 1 : weight[ch];
                // gx = w·is·(gy − Σgy/N − (x−mean)·is²·Σgy(x−mean)/N)
                float a = (float) (w * is);
                float b = batchStats ? (float) (-w * is * (is * is * acc[1] / count)) : 0f;
                float cc = batchStats ? (float) (-w * is * sumGy / count) : 0f;
                if (v) NormalizationVector.channelCombine(gy, at, x, xOff + at, gx, n, c * s, s, mean[ch], a, b, cc);
                else channelCombine(gy, at, x, xOff + at, gx, n, c * s, s, mean[ch], a, b, cc);
            }
        });
    }

    // ---------------------------------------------------------------- layer norm

    /**
     * Normalizes each of rows rows of d elements: y = (x − mean)·invstd·weight + bias, with weight
     * and bias (length d) optional. Fills mean[rows] and invstd[rows] for backward.
     */
    public static float[] layerNorm(float[] x, int xOff, int rows, int d, float[] weight, float[] bias, float eps,
                                    float[] mean, float[] invstd) {
        float[] y = new float[rows * d];
        boolean v = VectorSupport.enabled();
        Parallel.forRange(rows, Math.max(1, StridedLoop.GRAIN / Math.max(1, d)), (from, to) -> {
            double[] acc = new double[2];
            for (int r = from; r < to; r++) {
                int xo = xOff + r * d, yo = r * d;
                acc[0] = 0;
                acc[1] = 0;
                float k = d > 0 ? x[xo] : 0f;
                shiftedSumsAny(v, x, xo, d, k, acc);
                double m = acc[0] / d, var = Math.max(0, acc[1] / d - m * m);
                float mu = (float) (k + m), is = (float) (1.0 / Math.sqrt(var + eps));
                mean[r] = mu;
                invstd[r] = is;
                if (weight == null) {
                    affineAny(v, x, xo, y, yo, d, mu, is, 0f);
                } else {
                    for (int j = 0; j < d; j++) {
                        float xh = (x[xo + j] - mu) * is;
                        y[yo + j] = bias == null ? xh * weight[j] : xh * weight[j] + bias[j];
                    }
                }
            }
        });
        return y;
    }

    /**
     * Layer-norm gradients: with g = gy·weight, gx = invstd·(g − mean(g) − x̂·mean(g·x̂)) per row;
     * gw = Σ_rows gy·x̂, gb = Σ_rows gy. Any output may be null.
     */
    public static void layerNormBackward(float[] x, int xOff, float[] gy, int rows, int d, float[] weight, float[] mean,
                                         float[] invstd, float[] gx, float[] gw, float[] gb) {
        if (gx != null) {
            Parallel.forRange(rows, Math.max(1, StridedLoop.GRAIN / Math.max(1, d)), (from, to) -> {
                for (int r = from; r < to; r++) {
                    int xo = xOff + r * d, go = r * d;
                    float mu = mean[r], is = invstd[r];
                    double sg = 0, sgx = 0;
                    for (int j = 0; j < d; j++) {
                        double g = weight == null ? gy[go + j] : (double) gy[go + j] * weight[j];
                        sg += g;
                        sgx += g * (x[xo + j] - mu) * is;
                    }
                    float mg = (float) (sg / d), mgx = (float) (sgx / d);
                    for (int j = 0; j < d; j++) {
                        float g = weight == null ? gy[go + j] : gy[go + j] * weight[j];
                        float xh = (x[xo + j] - mu) * is;
                        gx[go + j] = is * (g - mg - xh * mgx);
                    }
                }
            });
        }
        if (gw == null && gb == null) return;
        // column sums: split over columns so every sum runs over rows in order, independent of threads
        Parallel.forRange(d, Math.max(1, StridedLoop.GRAIN / Math.max(1, rows)), (from, to) -> {
            double[] sw = new double[to - from], sb = new double[to - from];
            for (int r = 0; r < rows; r++) {
                int xo = xOff + r * d, go = r * d;
                float mu = mean[r], is = invstd[r];
                for (int j = from; j < to; j++) {
                    float g = gy[go + j];
                    sb[j - from] += g;
                    sw[j - from] += (double) g * ((x[xo + j] - mu) * is);
                }
            }
            for (int j = from; j < to; j++) {
                if (gw != null) gw[j] = (float) sw[j - from];
                if (gb != null) gb[j] = (float) sb[j - from];
            }
        });
    }
}
