package dev.anneal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneal.testing.RestoreThreadCount;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batch-norm kernels against loops written from their documented summation order: bit for bit for
 * [n, c] input (both kernel paths, one chunk and several), within float rounding of double sums for
 * [n, c, s] input, and the same bits on 1 and 2 threads.
 */
@ExtendWith(RestoreThreadCount.class)
class BatchNormKernelTest {
    private static float[] gaussian(int size, long seed, float mean, float scale) {
        Random r = new Random(seed);
        float[] x = new float[size];
        for (int i = 0; i < x.length; i++) x[i] = mean + (float) r.nextGaussian() * scale;
        return x;
    }

    /** Σ(x−k), Σ(x−k)² per channel of [n, c]: float over blocks of 16 rows, double per chunk, chunks in order. */
    private static double[][] blockedSums(float[] x, float[] y, int n, int c, float[] k, boolean grad) {
        int rows = Normalization.statRows(c);
        double[] s = new double[c], q = new double[c];
        for (int ch = 0; ch < c; ch++) {
            for (int q0 = 0; q0 < n; q0 += rows) {
                double cs = 0, cq = 0;
                for (int b0 = q0; b0 < Math.min(n, q0 + rows); b0 += Normalization.BLOCK) {
                    float fs = 0f, fq = 0f;
                    for (int i = b0; i < Math.min(Math.min(n, q0 + rows), b0 + Normalization.BLOCK); i++) {
                        if (grad) { // y = gy, k = mean
                            float g = y[i * c + ch];
                            fs += g;
                            fq = Math.fma(g, x[i * c + ch] - k[ch], fq);
                        } else {
                            float d = x[i * c + ch] - k[ch];
                            fs += d;
                            fq = Math.fma(d, d, fq);
                        }
                    }
                    cs += fs;
                    cq += fq;
                }
                s[ch] += cs;
                q[ch] += cq;
            }
        }
        return new double[][] {s, q};
    }

    @Test
    void rowStatisticsAndGradientsFollowTheBlockedOrderBitForBit() {
        // 37 x 20: one chunk, a channel tail; 4100 x 72: two statistics chunks (the streaming bodies)
        for (int[] shape : new int[][] {{37, 20}, {128, 256}, {4100, 72}}) {
            int n = shape[0], c = shape[1];
            float[] x = gaussian(n * c, 11 + c, 3f, 2f), gy = gaussian(n * c, 12 + c, 0f, 1f);
            float[] w = gaussian(c, 13, 1f, 0.5f), b = gaussian(c, 14, 0f, 0.5f);
            float[] mean = new float[c], var = new float[c], invstd = new float[c];
            float[] y = Normalization.batchNormTrain(x, 0, n, c, 1, w, b, 1e-5f, mean, var, invstd);
            float[] k = new float[c];
            System.arraycopy(x, 0, k, 0, c);
            double[][] sq = blockedSums(x, null, n, c, k, false);
            float[] gx = new float[n * c], gw = new float[c], gb = new float[c];
            Normalization.batchNormBackward(x, 0, gy, n, c, 1, mean, invstd, w, true, gx, gw, gb);
            double[][] sd = blockedSums(x, gy, n, c, mean, true);
            for (int ch = 0; ch < c; ch++) {
                double m = sq[0][ch] / n;
                assertEquals((float) (k[ch] + m), mean[ch], 0f, "mean " + n + "x" + c + " ch " + ch);
                assertEquals((float) Math.max(0, sq[1][ch] / n - m * m), var[ch], 0f, "var " + n + "x" + c + " ch " + ch);
                assertEquals((float) (1.0 / Math.sqrt((double) var[ch] + 1e-5f)), invstd[ch], 0f);
                float a = invstd[ch] * w[ch];
                for (int i = 0; i < n; i++)
                    assertEquals(Math.fma(x[i * c + ch] - mean[ch], a, b[ch]), y[i * c + ch], 0f, "y " + n + "x" + c);
                double is = invstd[ch], wc = w[ch];
                assertEquals((float) (sd[1][ch] * is), gw[ch], 0f, "weight grad");
                assertEquals((float) sd[0][ch], gb[ch], 0f, "bias grad");
                float ga = (float) (wc * is), gbb = (float) (-wc * is * (is * is * sd[1][ch] / n)), gc = (float) (-wc * is * sd[0][ch] / n);
                for (int i = 0; i < n; i++)
                    assertEquals(Math.fma(gy[i * c + ch], ga, Math.fma(x[i * c + ch] - mean[ch], gbb, gc)), gx[i * c + ch], 0f, "gx");
            }
        }
    }

    @Test
    void spatialStatisticsAndGradientsMatchDoubleSums() {
        // runs of 196 (12 vectors and a tail), 20 (shorter than two vectors) and 3; a mean far from 0
        for (int[] shape : new int[][] {{8, 3, 196}, {5, 4, 20}, {30, 2, 3}}) {
            int n = shape[0], c = shape[1], s = shape[2];
            float[] x = gaussian(n * c * s, 21 + s, 50f, 3f), gy = gaussian(n * c * s, 22 + s, 0.5f, 1f);
            float[] w = gaussian(c, 23, 1f, 0.5f), b = gaussian(c, 24, 0f, 0.5f);
            float[] mean = new float[c], var = new float[c], invstd = new float[c];
            float[] y = Normalization.batchNormTrain(x, 0, n, c, s, w, b, 1e-5f, mean, var, invstd);
            float[] gx = new float[x.length], gw = new float[c], gb = new float[c];
            Normalization.batchNormBackward(x, 0, gy, n, c, s, mean, invstd, w, true, gx, gw, gb);
            double count = (double) n * s;
            for (int ch = 0; ch < c; ch++) {
                double m = 0, v = 0, sg = 0, sgx = 0;
                for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) m += x[(i * c + ch) * s + j];
                m /= count;
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < s; j++) {
                        int at = (i * c + ch) * s + j;
                        v += (x[at] - m) * (x[at] - m);
                        sg += gy[at];
                        sgx += gy[at] * (x[at] - m);
                    }
                v /= count;
                assertEquals(m, mean[ch], 1e-6 * Math.abs(m), "mean");
                assertEquals(v, var[ch], 2e-5 * v, "var");
                double is = 1 / Math.sqrt(v + 1e-5);
                assertEquals(sg, gb[ch], 1e-4 * Math.sqrt(count), "bias grad");
                assertEquals(sgx * is, gw[ch], 1e-4 * Math.sqrt(count), "weight grad");
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < s; j++) {
                        int at = (i * c + ch) * s + j;
                        double xh = (x[at] - m) * is;
                        assertEquals(xh * w[ch] + b[ch], y[at], 1e-4, "y");
                        double g = w[ch] * is * (gy[at] - sg / count - xh * sgx * is / count);
                        assertEquals(g, gx[at], 1e-4, "gx");
                    }
            }
        }
    }

    @Test
    void evalApplyAndBackwardUseTheGivenStatistics() {
        int n = 6, c = 3, s = 17;
        float[] x = gaussian(n * c * s, 31, 0f, 1f), gy = gaussian(n * c * s, 32, 0f, 1f);
        float[] mean = {0.5f, -1f, 2f}, invstd = {2f, 0.5f, 1.25f}, w = {1.5f, -0.5f, 1f}, b = {0.25f, 0f, -1f};
        float[] y = Normalization.batchNormApply(x, 0, n, c, s, mean, invstd, w, b);
        float[] gx = new float[x.length];
        Normalization.batchNormBackward(x, 0, gy, n, c, s, mean, invstd, w, false, gx, null, null);
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int j = 0; j < s; j++) {
                    int at = (i * c + ch) * s + j;
                    assertEquals(Math.fma(x[at] - mean[ch], invstd[ch] * w[ch], b[ch]), y[at], 0f);
                    assertEquals(gy[at] * (float) ((double) w[ch] * invstd[ch]), gx[at], 1e-6f * Math.abs(gx[at]));
                }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        for (int[] shape : new int[][] {{4100, 72, 1}, {16, 6, 50}}) {
            int n = shape[0], c = shape[1], s = shape[2];
            float[] x = gaussian(n * c * s, 41, 1f, 2f), gy = gaussian(n * c * s, 42, 0f, 1f), w = gaussian(c, 43, 1f, 0.3f);
            float[][] results = new float[2][];
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                float[] mean = new float[c], var = new float[c], invstd = new float[c], gx = new float[x.length], gw = new float[c], gb = new float[c];
                float[] y = Normalization.batchNormTrain(x, 0, n, c, s, w, null, 1e-5f, mean, var, invstd);
                Normalization.batchNormBackward(x, 0, gy, n, c, s, mean, invstd, w, true, gx, gw, gb);
                float[] all = new float[2 * x.length + 4 * c];
                System.arraycopy(y, 0, all, 0, x.length);
                System.arraycopy(gx, 0, all, x.length, x.length);
                System.arraycopy(mean, 0, all, 2 * x.length, c);
                System.arraycopy(var, 0, all, 2 * x.length + c, c);
                System.arraycopy(gw, 0, all, 2 * x.length + 2 * c, c);
                System.arraycopy(gb, 0, all, 2 * x.length + 3 * c, c);
                results[threads - 1] = all;
            }
            assertArrayEquals(results[0], results[1], 0f, "1 vs 2 threads at " + n + "x" + c + "x" + s);
        }
    }
}
