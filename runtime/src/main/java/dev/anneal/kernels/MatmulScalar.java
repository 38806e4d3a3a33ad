package dev.anneal.kernels;

/**
 * Plain-Java GEMM for when the Vector API is not available. Loop order i-p-j over blocks of
 * {@code KC} rows of op(b) and {@code NC} columns, so the inner loop is a unit-stride
 * {@code c[j] += a_ip * b[p][j]} that C2 auto-vectorizes. A transposed b is copied block by block
 * into a k-major scratch panel (never the whole matrix). Every element of c is accumulated in c
 * itself in order p = 0..k-1, so the result does not depend on blocking or thread count.
 * Arguments are validated by {@link Matmul}; sizes are all positive here.
 */
final class MatmulScalar {
    private static final int KC = 128;
    private static final int NC = 512;
    private static final int MIN_WORK_PER_CHUNK = 1 << 18; // multiply-adds

    private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(() -> new float[0]);

    private MatmulScalar() {}

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        long work = (long) n * k;
        int grain = (int) Math.max(1, Math.min(m, MIN_WORK_PER_CHUNK / Math.max(1, work)));
        Parallel.forRange(m, grain, (from, to) ->
                rows(transA, transB, from, to, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate));
    }

    private static void rows(boolean transA, boolean transB, int i0, int i1, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate) Matmul.zero(i1 - i0, n, c, cOff + i0 * ldc, ldc);
        float[] panel = null;
        if (transB) {
            panel = PANEL.get();
            if (panel.length < KC * NC) {
                panel = new float[KC * NC];
                PANEL.set(panel);
            }
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] bb;
                int bBase, bStride;
                if (transB) {
                    // panel[p*nc + j] = op(b)(pc+p, jc+j) = b[bOff + (jc+j)*ldb + pc+p]
                    for (int j = 0; j < nc; j++) {
                        int src = bOff + (jc + j) * ldb + pc;
                        for (int p = 0; p < kc; p++) panel[p * nc + j] = b[src + p];
                    }
                    bb = panel;
                    bBase = 0;
                    bStride = nc;
                } else {
                    bb = b;
                    bBase = bOff + pc * ldb + jc;
                    bStride = ldb;
                }
                for (int i = i0; i < i1; i++) {
                    int crow = cOff + i * ldc + jc;
                    for (int p = 0; p < kc; p++) {
                        float x = transA ? a[aOff + (pc + p) * lda + i] : a[aOff + i * lda + pc + p];
                        axpy(nc, x, bb, bBase + p * bStride, c, crow);
                    }
                }
            }
        }
    }

    private static void axpy(int len, float x, float[] src, int srcOff, float[] dst, int dstOff) {
        for (int j = 0; j < len; j++) dst[dstOff + j] += x * src[srcOff + j];
    }
}
