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

    /** out[0] += Σgy, out[1] += Σgy·(x − mean) over a run. */
    static void gradSums(float[] gy, int go, float[] x, int xo, int len, float mean, double[] out) {
        double s = 0, d = 0;
        for (int i = 0; i < len; i++) {
            s += gy[go + i];
            d += (double) gy[go + i] * (x[xo + i] - mean);
        }
        out[0] += s;
        out[1] += d;
    }

    /** gx = gy·a + (x − k)·b + c over a run. */
    static void combine(float[] gy, int go, float[] x, int xo, float[] gx, int gxo, int len, float k, float a, float b, float c) {
        for (int i = 0; i < len; i++) gx[gxo + i] = gy[go + i] * a + ((x[xo + i] - k) * b + c);
    }

    // ---------------------------------------------------------------- column primitives ([n, c] input, s = 1)
    // With one value per (row, channel), a per-channel run has length 1 and the run primitives
    // would pay their setup per element; these walk channels [from, to) across rows instead, with
    // the same per-channel summation order (rows in order, in double) as the run primitives.

    /** s[ch] += Σ_i (x − k[ch]), q[ch] += Σ_i (x − k[ch])² over rows i, channels [from, to). */
    static void columnShiftedSums(float[] x, int xo, int r0, int r1, int c, int from, int to, float[] k, double[] s, double[] q) {
        for (int i = r0; i < r1; i++) {
            int row = xo + i * c;
            for (int ch = from; ch < to; ch++) {
                double d = x[row + ch] - k[ch];
                s[ch] += d;
                q[ch] += d * d;
            }
        }
    }

    /** y = (x − k[ch])·a[ch] + b[ch] over rows, channels [from, to). */
    static void columnAffine(float[] x, int xo, float[] y, int r0, int r1, int c, int from, int to, float[] k, float[] a, float[] b) {
        for (int i = r0; i < r1; i++) {
            int row = i * c;
            for (int ch = from; ch < to; ch++) y[row + ch] = (x[xo + row + ch] - k[ch]) * a[ch] + b[ch];
        }
    }

    /** s[ch] += Σ_i gy, d[ch] += Σ_i gy·(x − mean[ch]) over rows, channels [from, to). */
    static void columnGradSums(float[] gy, float[] x, int xo, int r0, int r1, int c, int from, int to, float[] mean, double[] s, double[] d) {
        for (int i = r0; i < r1; i++) {
            int row = i * c;
            for (int ch = from; ch < to; ch++) {
                s[ch] += gy[row + ch];
                d[ch] += (double) gy[row + ch] * (x[xo + row + ch] - mean[ch]);
            }
        }
    }

    /** gx = gy·a[ch] + ((x − k[ch])·b[ch] + cc[ch]) over rows, channels [from, to). */
    static void columnCombine(float[] gy, float[] x, int xo, float[] gx, int r0, int r1, int c, int from, int to, float[] k, float[] a,
                              float[] b, float[] cc) {
        for (int i = r0; i < r1; i++) {
            int row = i * c;
            for (int ch = from; ch < to; ch++) gx[row + ch] = gy[row + ch] * a[ch] + ((x[xo + row + ch] - k[ch]) * b[ch] + cc[ch]);
        }
    }

    private static void shiftedSumsAny(boolean v, float[] x, int off, int len, float k, double[] out) {
        if (v) NormalizationVector.shiftedSums(x, off, len, k, out);
        else shiftedSums(x, off, len, k, out);
    }

    private static void affineAny(boolean v, float[] x, int xo, float[] y, int yo, int len, float k, float a, float b) {
        if (v) NormalizationVector.affine(x, xo, y, yo, len, k, a, b);
        else affine(x, xo, y, yo, len, k, a, b);
    }

    private static void gradSumsAny(boolean v, float[] gy, int go, float[] x, int xo, int len, float mean, double[] out) {
        if (v) NormalizationVector.gradSums(gy, go, x, xo, len, mean, out);
        else gradSums(gy, go, x, xo, len, mean, out);
    }

    private static void combineAny(boolean v, float[] gy, int go, float[] x, int xo, float[] gx, int gxo, int len, float k, float a,
                                   float b, float c) {
        if (v) NormalizationVector.combine(gy, go, x, xo, gx, gxo, len, k, a, b, c);
        else combine(gy, go, x, xo, gx, gxo, len, k, a, b, c);
    }

    /**
     * Rows per block of the column loops (about 64 KB of one tensor): each channel strip walks a block
     * that is still in L2 from the previous strip, instead of streaming the whole tensor from memory
     * once per strip. Blocking keeps each channel's summation order (rows in order), so results are
     * unchanged.
     */
    private static int rowBlock(int c) {
        return Math.max(1, 16384 / Math.max(1, c));
    }

    private static int channelGrain(int n, int s) {
        return Math.max(1, StridedLoop.GRAIN / Math.max(1, n * s));
    }

    // ---------------------------------------------------------------- batch norm

    /**
     * Training-mode statistics over n·s values per channel: mean[c] and the biased variance var[c].
     */
    public static void batchStats(float[] x, int xOff, int n, int c, int s, float[] mean, float[] var) {
        boolean v = VectorSupport.enabled();
        if (s == 1) {
            Parallel.forRange(c, channelGrain(n, s), (from, to) -> {
                float[] k = new float[c];
                double[] sum = new double[c], sq = new double[c];
                for (int ch = from; ch < to; ch++) k[ch] = x[xOff + ch];
                for (int r0 = 0, rb = rowBlock(c); r0 < n; r0 += rb) {
                    int r1 = Math.min(n, r0 + rb);
                    if (v) NormalizationVector.columnShiftedSums(x, xOff, r0, r1, c, from, to, k, sum, sq);
                    else columnShiftedSums(x, xOff, r0, r1, c, from, to, k, sum, sq);
                }
                for (int ch = from; ch < to; ch++) {
                    double m = sum[ch] / n;
                    mean[ch] = (float) (k[ch] + m);
                    var[ch] = (float) Math.max(0, sq[ch] / n - m * m);
                }
            });
            return;
        }
        Parallel.forRange(c, channelGrain(n, s), (from, to) -> {
            double[] acc = new double[2];
            for (int ch = from; ch < to; ch++) {
                acc[0] = 0;
                acc[1] = 0;
                float k = x[xOff + ch * s];
                for (int i = 0; i < n; i++) shiftedSumsAny(v, x, xOff + (i * c + ch) * s, s, k, acc);
                double count = (double) n * s, m = acc[0] / count;
                mean[ch] = (float) (k + m);
                var[ch] = (float) Math.max(0, acc[1] / count - m * m);
            }
        });
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
            Parallel.forRange(c, channelGrain(n, s), (from, to) -> {
                for (int r0 = 0, rb = rowBlock(c); r0 < n; r0 += rb) {
                    int r1 = Math.min(n, r0 + rb);
                    if (v) NormalizationVector.columnAffine(x, xOff, y, r0, r1, c, from, to, mean, a, b);
                    else columnAffine(x, xOff, y, r0, r1, c, from, to, mean, a, b);
                }
            });
            return y;
        }
        Parallel.forRange(c, channelGrain(n, s), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                float a = invstd[ch] * (weight == null ? 1f : weight[ch]);
                float b = bias == null ? 0f : bias[ch];
                for (int i = 0; i < n; i++) {
                    int at = (i * c + ch) * s;
                    affineAny(v, x, xOff + at, y, at, s, mean[ch], a, b);
                }
            }
        });
        return y;
    }

    /** 1/√(var + eps), per element. */
    public static float[] invstd(float[] var, float eps) {
        float[] r = new float[var.length];
        for (int i = 0; i < var.length; i++) r[i] = (float) (1.0 / Math.sqrt((double) var[i] + eps));
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
            Parallel.forRange(c, channelGrain(n, s), (from, to) -> {
                double[] sum = new double[c], dot = new double[c];
                for (int r0 = 0, rb = rowBlock(c); r0 < n; r0 += rb) {
                    int r1 = Math.min(n, r0 + rb);
                    if (v) NormalizationVector.columnGradSums(gy, x, xOff, r0, r1, c, from, to, mean, sum, dot);
                    else columnGradSums(gy, x, xOff, r0, r1, c, from, to, mean, sum, dot);
                }
                float[] a = new float[c], b = new float[c], cc = new float[c];
                for (int ch = from; ch < to; ch++) {
                    if (gw != null) gw[ch] = (float) (dot[ch] * invstd[ch]);
                    if (gb != null) gb[ch] = (float) sum[ch];
                    double w = weight == null ? 1 : weight[ch], is = invstd[ch];
                    a[ch] = (float) (w * is);
                    b[ch] = batchStats ? (float) (-w * is * (is * is * dot[ch] / count)) : 0f;
                    cc[ch] = batchStats ? (float) (-w * is * sum[ch] / count) : 0f;
                }
                if (gx == null) return;
                for (int r0 = 0, rb = rowBlock(c); r0 < n; r0 += rb) {
                    int r1 = Math.min(n, r0 + rb);
                    if (v) NormalizationVector.columnCombine(gy, x, xOff, gx, r0, r1, c, from, to, mean, a, b, cc);
                    else columnCombine(gy, x, xOff, gx, r0, r1, c, from, to, mean, a, b, cc);
                }
            });
            return;
        }
        Parallel.forRange(c, channelGrain(n, s), (from, to) -> {
            double[] acc = new double[2];
            for (int ch = from; ch < to; ch++) {
                acc[0] = 0;
                acc[1] = 0;
                for (int i = 0; i < n; i++) {
                    int at = (i * c + ch) * s;
                    gradSumsAny(v, gy, at, x, xOff + at, s, mean[ch], acc);
                }
                double sumGy = acc[0], sumGyXhat = acc[1] * invstd[ch];
                if (gw != null) gw[ch] = (float) sumGyXhat;
                if (gb != null) gb[ch] = (float) sumGy;
                if (gx == null) continue;
                double w = weight == null ? 1 : weight[ch], is = invstd[ch];
                float a, b, cc;
                if (batchStats) {
                    // gx = w·is·(gy − Σgy/N − (x−mean)·is²·Σgy(x−mean)/N)
                    double proj = is * is * acc[1] / count;
                    a = (float) (w * is);
                    b = (float) (-w * is * proj);
                    cc = (float) (-w * is * sumGy / count);
                } else {
                    a = (float) (w * is);
                    b = 0f;
                    cc = 0f;
                }
                for (int i = 0; i < n; i++) {
                    int at = (i * c + ch) * s;
                    combineAny(v, gy, at, x, xOff + at, gx, at, s, mean[ch], a, b, cc);
                }
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
