package dev.anneal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.anneal.testing.RestoreThreadCount;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The GEMM paths added for small and narrow products: vectorized transposing packs (k a multiple
 * of 16 or not, one or two KC slices, row counts around the 16-row transpose blocks), one-vector
 * panels for C at most one vector wide, and the MLP's layer shapes; each against the reference
 * and bit-identical across 1, 2 and 3 threads.
 */
@ExtendWith(RestoreThreadCount.class)
class MatmulPathsTest {
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({
        // transposing packs: k % 16 == 0 (whole 16×16 blocks), k % 16 != 0 (scalar tail), k > KC (two slices)
        "40, 48, 64", "33, 70, 16", "67, 45, 544", "48, 96, 129", "17, 33, 80", "16, 17, 48",
        // C at most one vector wide (10 classes, exactly 16, 1..3 columns) and just wider
        "128, 10, 128", "130, 16, 96", "300, 3, 64", "250, 1, 200", "64, 17, 64", "9, 10, 700",
    })
    void agreesWithReferenceAndAcrossThreadCounts(int m, int n, int k) {
        check(m, n, k, new boolean[] {false, true}, new boolean[] {false, true});
    }

    @ParameterizedTest(name = "MLP layer m={0} n={1} k={2} transA={3} transB={4}")
    @CsvSource({
        "128, 256, 784, false, true", "128, 784, 256, false, false", "256, 784, 128, true, false",
        "128, 128, 256, false, true", "128, 256, 128, false, false", "128, 256, 128, true, false",
        "128, 10, 128, false, true", "128, 128, 10, false, false", "10, 128, 128, true, false",
    })
    void mlpShapes(int m, int n, int k, boolean transA, boolean transB) {
        check(m, n, k, new boolean[] {transA}, new boolean[] {transB});
    }

    /**
     * Seeded random shapes beyond the lists above: tiny, odd, and multiples of 8 and 16 give or take
     * one (the register tiles, the 16×16 transposes and the one-vector panels switch there). An
     * offline sweep of 8800 such products (strides, offsets, accumulate, 1-2 threads, both paths,
     * JDK 17 and 25) found no mismatch; this keeps 32 of them, each in all four transpose variants.
     */
    @Test
    void agreesWithReferenceOverRandomShapes() {
        Random r = new Random(2026);
        for (int t = 0; t < 32; t++) check(dim(r), dim(r), dim(r), new boolean[] {false, true}, new boolean[] {false, true});
    }

    private static int dim(Random r) {
        switch (r.nextInt(4)) {
            case 0: return 1 + r.nextInt(20);
            case 1: return 1 + r.nextInt(160);
            case 2: return 8 * (1 + r.nextInt(20)) + r.nextInt(3) - 1;
            default: return 16 * (1 + r.nextInt(10)) + r.nextInt(3) - 1;
        }
    }

    private static void check(int m, int n, int k, boolean[] transAs, boolean[] transBs) {
        Random rnd = new Random(1000L * m + 10L * n + k);
        for (boolean ta : transAs) {
            for (boolean tb : transBs) {
                // stored with padded rows and an offset, so strides and offsets are exercised too
                int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
                int aOff = 5, bOff = 2, cOff = 1;
                float[] a = random(rnd, aOff + (ta ? k : m) * lda);
                float[] b = random(rnd, bOff + (tb ? n : k) * ldb);
                float[] c0 = random(rnd, cOff + m * ldc);
                for (boolean acc : new boolean[] {false, true}) {
                    float[] expected = c0.clone();
                    Matmul.gemmScalar(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, acc);
                    float[] first = null;
                    for (int threads : new int[] {1, 2, 3}) {
                        Parallel.setThreads(threads);
                        float[] got = c0.clone();
                        Matmul.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, got, cOff, ldc, acc);
                        String what = "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb
                                + " accumulate=" + acc + " threads=" + threads;
                        compare(what, m, n, k, c0, expected, got, cOff, ldc, acc);
                        if (first == null) first = got;
                        else assertArrayEquals(first, got, "result depends on the thread count: " + what);
                    }
                }
            }
        }
    }

    private static void compare(String what, int m, int n, int k, float[] c0, float[] expected, float[] got,
                                int cOff, int ldc, boolean acc) {
        for (int x = 0; x < got.length; x++) {
            int i = (x - cOff) / ldc, j = (x - cOff) % ldc;
            boolean inside = x >= cOff && i < m && j < n;
            if (!inside) {
                if (Float.floatToRawIntBits(got[x]) != Float.floatToRawIntBits(c0[x]))
                    fail(what + ": c[" + x + "] outside the m×n window changed from " + c0[x] + " to " + got[x]);
                continue;
            }
            // inputs in [-1, 1): |error| <= ~k·eps·Σ|a·b| <= k·eps·k
            double tol = 1e-6 * k * Math.sqrt(k) + (acc ? 1e-6 * Math.abs(c0[x]) : 0) + 1e-6;
            if (!(Math.abs(got[x] - expected[x]) <= tol))
                fail(what + ": c(" + i + "," + j + ") = " + got[x] + ", expected " + expected[x] + " ± " + tol);
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n + 2];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }
}
