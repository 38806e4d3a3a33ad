package dev.anneal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.anneal.testing.RestoreThreadCount;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(RestoreThreadCount.class)
class MatmulTest {
    private static final float SENTINEL = -12345.5f;

    @Test
    void runsOnTheExpectedPath() {
        String expected = System.getProperty("anneal.expectedPath");
        if (expected != null) assertEquals(expected, VectorSupport.path());
    }

    // ------------------------------------------------------------------ hand-computed products

    private static final float[] A23 = {1, 2, 3, 4, 5, 6};          // 2×3
    private static final float[] A23_T = {1, 4, 2, 5, 3, 6};        // its transpose, 3×2
    private static final float[] B32 = {7, 8, 9, 10, 11, 12};       // 3×2
    private static final float[] B32_T = {7, 9, 11, 8, 10, 12};     // its transpose, 2×3
    private static final float[] AB = {58, 64, 139, 154};

    @Test
    void twoByThreeTimesThreeByTwo() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] c = {SENTINEL, SENTINEL, SENTINEL, SENTINEL};
                Matmul.gemm(ta, tb, 2, 2, 3, ta ? A23_T : A23, 0, ta ? 2 : 3, tb ? B32_T : B32, 0, tb ? 3 : 2,
                        c, 0, 2, false);
                assertArrayEquals(AB, c, "transA=" + ta + " transB=" + tb);
                Matmul.gemm(ta, tb, 2, 2, 3, ta ? A23_T : A23, 0, ta ? 2 : 3, tb ? B32_T : B32, 0, tb ? 3 : 2,
                        c, 0, 2, true);
                assertArrayEquals(new float[] {116, 128, 278, 308}, c, "accumulate, transA=" + ta + " transB=" + tb);
            }
        }
    }

    @Test
    void oneByOneAndOuterAndInnerProducts() {
        float[] c = {1};
        Matmul.gemm(false, false, 1, 1, 1, new float[] {3}, 0, 1, new float[] {-4}, 0, 1, c, 0, 1, false);
        assertArrayEquals(new float[] {-12}, c);
        Matmul.gemm(false, false, 1, 1, 1, new float[] {3}, 0, 1, new float[] {-4}, 0, 1, c, 0, 1, true);
        assertArrayEquals(new float[] {-24}, c);
        // inner product 1×3 · 3×1
        float[] d = new float[1];
        Matmul.gemm(false, false, 1, 1, 3, new float[] {1, 2, 3}, 0, 3, new float[] {4, 5, 6}, 0, 1, d, 0, 1, false);
        assertArrayEquals(new float[] {32}, d);
        // outer product 3×1 · 1×2
        float[] e = new float[6];
        Matmul.gemm(false, false, 3, 2, 1, new float[] {1, 2, 3}, 0, 1, new float[] {10, 20}, 0, 2, e, 0, 2, false);
        assertArrayEquals(new float[] {10, 20, 20, 40, 30, 60}, e);
    }

    @Test
    void identityTimesMatrixIsExactOnTheBlockedPath() {
        int n = 203;
        float[] id = new float[n * n];
        for (int i = 0; i < n; i++) id[i * n + i] = 1f;
        float[] b = random(new Random(7), n * n);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            float[] c = new float[n * n];
            Matmul.gemm(false, false, n, n, n, id, 0, n, b, 0, n, c, 0, n, false);
            assertArrayEquals(b, c, "I·B, threads=" + threads);
            Matmul.gemm(false, false, n, n, n, b, 0, n, id, 0, n, c, 0, n, false);
            assertArrayEquals(b, c, "B·I, threads=" + threads);
            // transB: B·Iᵀ = B, transA: Iᵀ·B = B
            Matmul.gemm(true, true, n, n, n, id, 0, n, id, 0, n, c, 0, n, false);
            assertArrayEquals(id, c, "Iᵀ·Iᵀ, threads=" + threads);
        }
    }

    @Test
    void zeroInnerDimensionClearsOrKeepsC() {
        float[] c = {1, 2, 3, 4, 5, 6};
        Matmul.gemm(false, false, 2, 3, 0, new float[0], 0, 0, new float[0], 0, 3, c, 0, 3, true);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c);
        Matmul.gemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 3, false);
        assertArrayEquals(new float[] {0, 0, 3, 0, 0, 6}, c);
        // m = 0 or n = 0: nothing is touched, even with empty arrays
        Matmul.gemm(false, false, 0, 5, 4, new float[0], 0, 4, new float[20], 0, 5, new float[0], 0, 5, false);
        Matmul.gemm(false, false, 5, 0, 4, new float[20], 0, 4, new float[0], 0, 0, new float[0], 0, 0, false);
    }

    // ------------------------------------------------------------------ against the reference

    static List<Arguments> shapes() {
        int[][] sizes = {
            {0, 0, 0}, {0, 3, 4}, {3, 0, 4}, {3, 4, 0}, {1, 1, 1}, {1, 7, 1}, {2, 1, 9},
            {3, 5, 7}, {1, 64, 300}, {17, 33, 65}, {31, 31, 31}, {130, 257, 129},
            {70, 100, 300}, {7, 4100, 3}, {5, 300, 40}, {600, 6, 20},
            // big enough that two threads really split the work: few rows (columns split, no
            // packing), C with few row panels or wider than tall (column panels split), C taller
            // than wide (row panels split)
            {3, 2000, 1500}, {12, 1500, 600}, {150, 300, 200}, {300, 150, 200},
        };
        List<Arguments> out = new ArrayList<>();
        for (int[] s : sizes) out.add(Arguments.of(s[0], s[1], s[2]));
        return out;
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("shapes")
    void matchesReference(int m, int n, int k) {
        Random rnd = new Random(31L * m + 17L * n + k);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (boolean padded : new boolean[] {false, true}) {
                    int aRows = ta ? k : m, aCols = ta ? m : k;
                    int bRows = tb ? n : k, bCols = tb ? k : n;
                    int lda = aCols + (padded ? 3 : 0), ldb = bCols + (padded ? 5 : 0), ldc = n + (padded ? 2 : 0);
                    int aOff = padded ? 7 : 0, bOff = padded ? 1 : 0, cOff = padded ? 4 : 0;
                    float[] a = filled(rnd, aOff, aRows, aCols, lda);
                    float[] b = filled(rnd, bOff, bRows, bCols, ldb);
                    float[] c0 = filled(rnd, cOff, m, n, ldc);
                    double[] mag = magnitudes(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb);
                    for (boolean acc : new boolean[] {false, true}) {
                        float[] expected = c0.clone();
                        Matmul.gemmScalar(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, acc);
                        float[] first = null;
                        for (int threads : new int[] {1, 2}) {
                            Parallel.setThreads(threads);
                            float[] got = c0.clone();
                            Matmul.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, got, cOff, ldc, acc);
                            String what = "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb
                                    + " padded=" + padded + " accumulate=" + acc + " threads=" + threads;
                            compare(what, m, n, k, mag, c0, expected, got, cOff, ldc, acc);
                            if (first == null) first = got;
                            else assertArrayEquals(first, got, "result depends on thread count: " + what);
                        }
                    }
                }
            }
        }
    }

    /** Random values in the stored region, SENTINEL everywhere else (offset and row padding). */
    private static float[] filled(Random rnd, int off, int rows, int cols, int ld) {
        int len = rows == 0 || cols == 0 ? off : off + (rows - 1) * ld + cols;
        float[] x = new float[len + 3];
        java.util.Arrays.fill(x, SENTINEL);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) x[off + r * ld + j] = rnd.nextFloat() * 2 - 1;
        return x;
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }

    /** Σ_p |op(a)(i,p)·op(b)(p,j)| for each element: the scale of the rounding error. */
    private static double[] magnitudes(boolean ta, boolean tb, int m, int n, int k,
                                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb) {
        double[] mag = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double x = Math.abs(ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                for (int j = 0; j < n; j++) {
                    mag[i * n + j] += x * Math.abs(tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
                }
            }
        }
        return mag;
    }

    private static void compare(String what, int m, int n, int k, double[] mag,
                                float[] c0, float[] expected, float[] got, int cOff, int ldc, boolean acc) {
        boolean[] inside = new boolean[got.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                inside[ci] = true;
                double scale = mag[i * n + j] + (acc ? Math.abs(c0[ci]) : 0);
                double tol = 1e-5 * Math.sqrt(Math.max(1, k)) * scale + 1e-30;
                if (!(Math.abs(got[ci] - expected[ci]) <= tol))
                    fail(what + ": c(" + i + "," + j + ") = " + got[ci] + ", expected " + expected[ci] + " ± " + tol);
            }
        }
        for (int x = 0; x < got.length; x++) {
            if (!inside[x] && Float.floatToRawIntBits(got[x]) != Float.floatToRawIntBits(c0[x]))
                fail(what + ": c[" + x + "] outside the m×n window was changed from " + c0[x] + " to " + got[x]);
        }
    }

    // ------------------------------------------------------------------ argument errors

    @Test
    void rejectsNegativeSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Matmul.gemm(false, false, -1, 2, 2, new float[4], 0, 2, new float[4], 0, 2, new float[4], 0, 2, false));
        assertTrue(e.getMessage().contains("m=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                Matmul.gemmScalar(false, false, 2, 2, -3, new float[4], 0, 2, new float[4], 0, 2, new float[4], 0, 2, false));
        assertTrue(e.getMessage().contains("k=-3"), e.getMessage());
    }

    @Test
    void namesTheArrayThatIsTooShort() {
        // a is 3×4 with lda 5 and offset 2: needs 2 + 2*5 + 4 = 16 floats
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Matmul.gemm(false, false, 3, 2, 4, new float[15], 2, 5, new float[8], 0, 2, new float[6], 0, 2, false));
        assertTrue(e.getMessage().contains("a is too short"), e.getMessage());
        assertTrue(e.getMessage().contains(">= 16"), e.getMessage());
        assertTrue(e.getMessage().contains("a.length=15"), e.getMessage());
        // transposed b: stored n×k = 2×4 with ldb 4 needs 8
        e = assertThrows(IllegalArgumentException.class, () ->
                Matmul.gemm(false, true, 3, 2, 4, new float[12], 0, 4, new float[7], 0, 4, new float[6], 0, 2, false));
        assertTrue(e.getMessage().contains("b is too short"), e.getMessage());
        assertTrue(e.getMessage().contains(">= 8") && e.getMessage().contains("b.length=7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                Matmul.gemm(false, false, 3, 2, 4, new float[12], 0, 4, new float[8], 0, 2, new float[6], 1, 2, false));
        assertTrue(e.getMessage().contains("c is too short") && e.getMessage().contains(">= 7"), e.getMessage());
    }

    @Test
    void rejectsStridesShorterThanARowAndNegativeOffsets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Matmul.gemm(false, false, 2, 2, 3, new float[6], 0, 2, new float[6], 0, 2, new float[4], 0, 2, false));
        assertTrue(e.getMessage().contains("lda=2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                Matmul.gemm(false, false, 2, 2, 3, new float[6], 0, 3, new float[6], 0, 2, new float[4], 0, 1, false));
        assertTrue(e.getMessage().contains("ldc=1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                Matmul.gemm(false, false, 2, 2, 3, new float[6], 0, 3, new float[6], -1, 2, new float[4], 0, 2, false));
        assertTrue(e.getMessage().contains("bOff"), e.getMessage());
        assertThrows(NullPointerException.class, () ->
                Matmul.gemm(false, false, 2, 2, 3, null, 0, 3, new float[6], 0, 2, new float[4], 0, 2, false));
    }
}
