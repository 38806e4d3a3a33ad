package dev.anneal.kernels;

/**
 * Runs the GEMM, softmax and BatchNorm kernels on small inputs once, when the Vector API path is chosen, before
 * any real work. Without it, about one JVM in three compiled the GEMM micro-kernel (and softmax) with
 * Vector API calls left as allocating fallbacks, and trained 3× slower for its whole life
 * (BENCHMARKS.md); with it, none in 38 runs did. A single-threaded variant with smaller products
 * still let 1 in 10 through, so the first product is large enough to run on the pool too. The pool's
 * workers run only MatmulVector code, which never touches {@link VectorSupport}, so warming up from
 * its static initializer cannot deadlock on class initialization.
 */
final class JitWarmup {
    private JitWarmup() {}

    private static void warmBatchNorm(float[] x, float[] g, int n, int ch, int s) {
        float[] mean = new float[ch], var = new float[ch], gw = new float[ch], gb = new float[ch], gx = new float[n * ch * s];
        Normalization.batchStats(x, 0, n, ch, s, mean, var);
        float[] invstd = Normalization.invstd(var, 1e-5f);
        Normalization.batchNormApply(x, 0, n, ch, s, mean, invstd, gw, gb);
        Normalization.batchNormBackward(x, 0, g, n, ch, s, mean, invstd, gw, true, gx, gw, gb);
    }

    static void run() {
        float[] a = new float[128 * 256], b = new float[256 * 256], c = new float[128 * 256];
        for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.01f;
        for (int i = 0; i < b.length; i++) b[i] = (i % 5) * 0.01f;
        float[] stat = new float[400], stat2 = new float[400], stat3 = new float[400];
        int[] pick = new int[400];
        for (int i = 0; i < pick.length; i++) pick[i] = i % 11 - 1; // -1: an ignored row
        for (int rep = 0; rep < 60; rep++) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                Matmul.gemm(ta, tb, 64, 96, 80, a, 0, ta ? 64 : 80, b, 0, tb ? 80 : 96, c, 0, 96, rep % 2 == 1);
                Matmul.gemm(ta, tb, 128, 10, 64, a, 0, ta ? 128 : 64, b, 0, tb ? 64 : 10, c, 0, 10, false);
            }
            // softmax and log-softmax over long rows and over rows shorter than a vector (cross-entropy)
            Softmax.rows(a, 0, 8, 512, rep % 2 == 1);
            Softmax.rows(a, 0, 400, 10, rep % 2 == 1);
            // cross-entropy's fused statistics and gradient, over short and long rows
            Softmax.rowStats(a, 0, 400, 10, stat, stat2, pick, stat3);
            Softmax.softmaxMinusOneHot(a, 0, 400, 10, stat, stat2, pick, stat3);
            Softmax.rowStats(a, 0, 8, 100, stat, stat2, pick, stat3);
            Softmax.softmaxMinusOneHot(a, 0, 8, 100, stat, stat2, pick, stat3);
            // BatchNorm over [n, c] (column kernels) and [n, c, h, w] (run kernels), forward and backward
            warmBatchNorm(a, c, 64, 96, 1);
            warmBatchNorm(a, c, 4, 8, 49);
        }
    }
}
