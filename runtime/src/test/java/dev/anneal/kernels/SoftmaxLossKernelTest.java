package dev.anneal.kernels;

import static dev.anneal.kernels.KernelPathTest.assertClose;
import static dev.anneal.kernels.KernelPathTest.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.tensor.Generator;
import org.junit.jupiter.api.Test;

/**
 * Softmax's fused class-loss kernels (rowStats, softmaxMinusOneHot) and the grouped short-row path on
 * the kernel path in use, against the scalar references: rows shorter and longer than a vector,
 * partial groups, groups at the end of the array, ignored rows, NaN and infinities.
 */
class SoftmaxLossKernelTest {
    static final int[] LENS = {1, 2, 3, 7, 10, 15, 16, 17, 33, 100};
    static final int[] ROWS = {1, 5, 16, 17, 37, 40};

    private static int[] picks(Generator g, int rows, int len) {
        int[] t = new int[rows];
        for (int r = 0; r < rows; r++) t[r] = r % 7 == 3 ? -1 : g.nextInt(len);
        return t;
    }

    private static void checkStats(float[] x, int off, int rows, int len, int[] pick, String what) {
        float[] m = new float[rows], s = new float[rows], p = new float[rows];
        float[] rm = new float[rows], rs = new float[rows], rp = new float[rows];
        Softmax.rowStats(x, off, rows, len, m, s, pick, p);
        for (int r = 0; r < rows; r++) Softmax.rowStatsOf(x, off + r * len, len, r, rm, rs, pick, rp);
        for (int r = 0; r < rows; r++) {
            int fr = r;
            KernelPathTest.Msg at = () -> what + " row " + fr + " of " + rows + " (len " + len + ")";
            assertEquals(Float.floatToIntBits(rm[fr]), Float.floatToIntBits(m[fr]), () -> at.get() + ": max " + rm[fr] + " vs " + m[fr]);
            // log-sum ≥ 0 and is summed in float on the vector path: its error is absolute (1 + tiny rounds to 1)
            if (Float.isFinite(rs[r])) assertEquals(rs[r], s[r], 1e-6 * (rs[r] + 1), () -> at.get() + " log-sum");
            else assertClose(rs[r], s[r], 1e-6, () -> at.get() + " log-sum");
            if (pick[r] < 0) {
                assertEquals(0f, p[r], at::get);
            } else if (Float.isFinite(rp[r]) && Float.isFinite(p[r])) {
                double scale = Math.abs(rm[r]) + Math.abs(rs[r]) + 1; // (x − max) − logSum: absolute error follows the shift
                assertEquals(rp[r], p[r], 1e-6 * scale, at::get);
            } else {
                assertClose(rp[r], p[r], 1e-6, () -> at.get() + " picked");
            }
        }
    }

    private static void checkGrad(float[] x, int off, int rows, int len, int[] pick, float[] scale, String what) {
        float[] m = new float[rows], s = new float[rows];
        for (int r = 0; r < rows; r++) Softmax.rowStatsOf(x, off + r * len, len, r, m, s, null, null);
        float[] gx = Softmax.softmaxMinusOneHot(x, off, rows, len, m, s, pick, scale);
        float[] ref = new float[rows * len];
        for (int r = 0; r < rows; r++) Softmax.rowGrad(x, off + r * len, ref, r * len, len, m[r], s[r], pick[r], scale[r]);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < len; j++) {
                int k = r * len + j, fr = r, fj = j;
                KernelPathTest.Msg at = () -> what + " grad row " + fr + " col " + fj + " (len " + len + ", rows " + rows + ")";
                if (pick[r] < 0) {
                    assertEquals(0f, gx[k], at::get);
                } else if (Float.isFinite(ref[k]) && Float.isFinite(gx[k])) {
                    // p − 1 near p = 1 cancels: the slack is absolute, in units of the row's scale
                    assertEquals(ref[k], gx[k], 1e-5 * Math.abs(ref[k]) + 3e-7 * Math.abs(scale[r]), at::get);
                } else {
                    assertClose(ref[k], gx[k], 1e-5, at);
                }
            }
    }

    @Test
    void rowStatsAndGradientMatchTheScalarReference() {
        Generator g = new Generator(900);
        for (int len : LENS)
            for (int rows : ROWS) {
                int[] pick = picks(g, rows, len);
                float[] scale = data(g, rows, 1f, false);
                // an offset, then an array that ends with the last row (the last group is read from a padded copy)
                checkStats(data(g, 3 + rows * len, 2f, false), 3, rows, len, pick, "offset");
                checkStats(data(g, rows * len, 30f, false), 0, rows, len, pick, "wide, ends the array");
                float[] big = data(g, rows * len, 1f, false);
                for (int i = 0; i < big.length; i++) big[i] += 500f;
                checkStats(big, 0, rows, len, pick, "shifted by 500");
                checkGrad(data(g, 5 + rows * len, 2f, false), 5, rows, len, pick, scale, "offset");
                checkGrad(data(g, rows * len, 8f, false), 0, rows, len, pick, scale, "wide, ends the array");
            }
    }

    @Test
    void nanAndInfinitiesPropagateLikeTheReference() {
        Generator g = new Generator(901);
        for (int len : LENS) {
            int rows = 37;
            int[] pick = picks(g, rows, len);
            float[] scale = data(g, rows, 1f, false);
            checkStats(data(g, rows * len, 1f, true), 0, rows, len, pick, "specials");
            checkGrad(data(g, rows * len, 1f, true), 0, rows, len, pick, scale, "specials");
            float[] allNegInf = new float[rows * len];
            java.util.Arrays.fill(allNegInf, Float.NEGATIVE_INFINITY);
            checkStats(allNegInf, 0, rows, len, pick, "all -inf");
            float[] m = new float[rows], s = new float[rows], p = new float[rows];
            Softmax.rowStats(allNegInf, 0, rows, len, m, s, pick, p);
            for (int r = 0; r < rows; r++) {
                assertEquals(0f, m[r], "an all -inf row has max 0");
                assertTrue(pick[r] < 0 || Float.isNaN(p[r]), "an all -inf row gives NaN like PyTorch, row " + r);
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Generator g = new Generator(902);
        int before = Parallel.threads();
        try {
            for (int len : new int[] {10, 100}) {
                int rows = 20_011;
                float[] x = data(g, rows * len, 3f, false);
                int[] pick = picks(g, rows, len);
                float[] scale = data(g, rows, 1f, false);
                float[][] stats1 = new float[3][rows], stats2 = new float[3][rows];
                Parallel.setThreads(1);
                Softmax.rowStats(x, 0, rows, len, stats1[0], stats1[1], pick, stats1[2]);
                float[] g1 = Softmax.softmaxMinusOneHot(x, 0, rows, len, stats1[0], stats1[1], pick, scale);
                float[] y1 = Softmax.rows(x, 0, rows, len, true);
                Parallel.setThreads(2);
                Softmax.rowStats(x, 0, rows, len, stats2[0], stats2[1], pick, stats2[2]);
                float[] g2 = Softmax.softmaxMinusOneHot(x, 0, rows, len, stats2[0], stats2[1], pick, scale);
                float[] y2 = Softmax.rows(x, 0, rows, len, true);
                for (int i = 0; i < 3; i++) assertArrayEquals(stats1[i], stats2[i], "row statistics " + i + ", len " + len);
                assertArrayEquals(g1, g2, "gradient, len " + len);
                assertArrayEquals(y1, y2, "log-softmax, len " + len);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * A value far below its row's max (or −inf) is flushed to a probability of 0: the other rows' bits
     * must not change (a group of short rows is computed together), nor its own row's other values.
     */
    @Test
    void aFarOutRowDoesNotChangeTheOtherRowsBits() {
        Generator g = new Generator(903);
        for (int len : new int[] {10, 512})
            for (float far : new float[] {-200f, Float.NEGATIVE_INFINITY}) {
                int rows = 32;
                float[] x = data(g, rows * len, 3f, false), wide = x.clone();
                wide[5 * len + 3] = far;
                float[] y = Softmax.rows(x, 0, rows, len, false), yw = Softmax.rows(wide, 0, rows, len, false);
                float[] ly = Softmax.rows(x, 0, rows, len, true), lw = Softmax.rows(wide, 0, rows, len, true);
                float[] m = new float[rows], s = new float[rows], mw = new float[rows], sw = new float[rows];
                Softmax.rowStats(x, 0, rows, len, m, s, null, null);
                Softmax.rowStats(wide, 0, rows, len, mw, sw, null, null);
                for (int r = 0; r < rows; r++) {
                    if (r == 5) continue;
                    for (int j = 0; j < len; j++) {
                        int k = r * len + j;
                        assertEquals(Float.floatToIntBits(y[k]), Float.floatToIntBits(yw[k]), "softmax row " + r + " len " + len + " beside " + far);
                        assertEquals(Float.floatToIntBits(ly[k]), Float.floatToIntBits(lw[k]), "log-softmax row " + r + " len " + len);
                    }
                    assertEquals(Float.floatToIntBits(s[r]), Float.floatToIntBits(sw[r]), "log-sum row " + r + " len " + len);
                }
                // and the far-out row itself still matches its reference: exp of it is 0
                float[] ref = new float[len];
                Softmax.row(wide, 5 * len, ref, 0, len, false);
                for (int j = 0; j < len; j++) assertEquals(ref[j], yw[5 * len + j], 1e-6f * Math.abs(ref[j]) + Float.MIN_NORMAL, "row 5 at " + j);
                assertEquals(0f, yw[5 * len + 3], "the far-out value's probability");
            }
    }

    @Test
    void oneColumnRowsAreZeroLogProbability() {
        float[] x = {3f, -2f, 1e30f, -7f, 0f};
        float[] y = Softmax.rows(x, 0, x.length, 1, true), p = Softmax.rows(x, 0, x.length, 1, false);
        float[] m = new float[5], s = new float[5], picked = new float[5];
        Softmax.rowStats(x, 0, 5, 1, m, s, new int[] {0, 0, 0, -1, 0}, picked);
        for (int r = 0; r < x.length; r++) {
            assertEquals(0f, y[r], "log-softmax of a single column, row " + r);
            assertEquals(1f, p[r], "softmax of a single column, row " + r);
            assertEquals(0f, picked[r], "picked log-probability, row " + r);
        }
    }
    /**
     * The serial form a caller splits itself (the fused cross-entropy, in blocks of rows): any split,
     * the picked values at an offset, without max and log-sum, gives rowStats' bits.
     */
    @Test
    void serialStatisticsOverAnySplitMatchRowStats() {
        Generator g = new Generator(903);
        for (int len : new int[] {3, 10, 33}) {
            int rows = 700;
            float[] x = data(g, 7 + rows * len, 3f, false);
            int[] pick = picks(g, rows, len);
            float[] m = new float[rows], s = new float[rows], p = new float[rows];
            Softmax.rowStats(x, 7, rows, len, m, s, pick, p);
            float[] m2 = new float[rows], s2 = new float[rows], p2 = new float[rows];
            int[] cuts = {0, 5, 16, 300, 301, 557, rows};
            for (int i = 0; i + 1 < cuts.length; i++) {
                int r0 = cuts[i], n = cuts[i + 1] - r0;
                float[] local = new float[n + 3];
                Softmax.rowStatsSerial(x, 7, r0, n, len, null, null, pick, local, 3);
                System.arraycopy(local, 3, p2, r0, n);
                Softmax.rowStatsSerial(x, 7, r0, n, len, m2, s2, null, null, 0);
            }
            assertArrayEquals(m, m2, "max, len " + len);
            assertArrayEquals(s, s2, "log-sum, len " + len);
            assertArrayEquals(p, p2, "picked, len " + len);
        }
    }
}
