package dev.anneal.kernels;

/**
 * Single-precision matrix multiply (GEMM) over row-major {@code float[]} storage.
 *
 * <p>{@link #gemm} dispatches to the Vector API kernel when {@link VectorSupport#enabled()} is true,
 * and to a blocked plain-Java kernel otherwise. This class itself never mentions a vector type, so
 * it loads and runs without the {@code jdk.incubator.vector} module.
 *
 * <p>Results are deterministic: for given sizes and transpose flags, every output element is
 * computed by one thread with a summation order that depends neither on timing nor on the thread
 * count. The output {@code c} must not overlap {@code a} or {@code b}.
 */
public final class Matmul {
    private Matmul() {}

    /**
     * c[m×n] = (accumulate ? c : 0) + op(a)·op(b). Row-major. op(a) is m×k: a stored as m×k with
     * row stride lda, or, if transA, stored as k×m with row stride lda (so element (i,p) is
     * a[aOff + p*lda + i]). Same for b (k×n, or n×k if transB). c has row stride ldc.
     *
     * @throws IllegalArgumentException on negative sizes or offsets, a row stride shorter than the
     *     stored row, or an array too short for the given offset, stride and sizes
     * @throws NullPointerException if an array that would be read or written is null
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) zero(m, n, c, cOff, ldc);
            return;
        }
        if (VectorSupport.enabled()) {
            MatmulVector.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        } else {
            MatmulScalar.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }

    /**
     * The plain triple-loop reference with the same semantics as {@link #gemm} (ground truth for
     * tests). Each dot product is accumulated in double and rounded to float once.
     */
    public static void gemmScalar(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) x * y;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? (float) (c[ci] + s) : (float) s;
            }
        }
    }

    static void zero(int m, int n, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            java.util.Arrays.fill(c, row, row + n, 0f);
        }
    }

    private static void check(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0)
            throw new IllegalArgumentException(
                    "gemm: sizes must be non-negative, got m=" + m + ", n=" + n + ", k=" + k);
        // stored shapes: rows × cols with the given row stride
        checkOperand("a", a, aOff, lda, transA ? k : m, transA ? m : k, transA ? "k×m (transA)" : "m×k");
        checkOperand("b", b, bOff, ldb, transB ? n : k, transB ? k : n, transB ? "n×k (transB)" : "k×n");
        checkOperand("c", c, cOff, ldc, m, n, "m×n");
    }

    private static void checkOperand(String name, float[] arr, int off, int ld, int rows, int cols, String shape) {
        if (off < 0)
            throw new IllegalArgumentException("gemm: " + name + "Off must be non-negative, got " + off);
        if (ld < cols)
            throw new IllegalArgumentException("gemm: ld" + name + "=" + ld + " is smaller than the row length "
                    + cols + " of " + name + " stored as " + shape + " (" + rows + "×" + cols + ")");
        if (rows == 0 || cols == 0) return;
        if (arr == null) throw new NullPointerException("gemm: " + name + " is null");
        long needed = off + (long) (rows - 1) * ld + cols;
        if (arr.length < needed)
            throw new IllegalArgumentException("gemm: " + name + " is too short: " + name + " stored as " + shape
                    + " (" + rows + "×" + cols + ") with " + name + "Off=" + off + ", ld" + name + "=" + ld
                    + " needs length >= " + needed + ", but " + name + ".length=" + arr.length);
    }
}
