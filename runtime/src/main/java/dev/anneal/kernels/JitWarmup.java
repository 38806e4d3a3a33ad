package dev.anneal.kernels;

/**
 * Runs the GEMM, softmax and direct convolution kernels on small inputs once, when the Vector API path is chosen, before
 * any real work. Without it, about one JVM in three compiled the GEMM micro-kernel (and softmax) with
 * Vector API calls left as allocating fallbacks, and trained 3× slower for its whole life
 * (BENCHMARKS.md); with it, none in 38 runs did. A single-threaded variant with smaller products
 * still let 1 in 10 through, so the first product is large enough to run on the pool too. The pool's
 * workers run only MatmulVector code, which never touches {@link VectorSupport}, so warming up from
 * its static initializer cannot deadlock on class initialization.
 */
final class JitWarmup {
    private JitWarmup() {}

    static void run() {
        float[] a = new float[128 * 256], b = new float[256 * 256], c = new float[128 * 256];
        for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.01f;
        for (int i = 0; i < b.length; i++) b[i] = (i % 5) * 0.01f;
        for (int rep = 0; rep < 60; rep++) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                Matmul.gemm(ta, tb, 64, 96, 80, a, 0, ta ? 64 : 80, b, 0, tb ? 80 : 96, c, 0, 96, rep % 2 == 1);
                Matmul.gemm(ta, tb, 128, 10, 64, a, 0, ta ? 128 : 64, b, 0, tb ? 64 : 10, c, 0, 10, false);
            }
            // softmax and log-softmax over long rows and over rows shorter than a vector (cross-entropy)
            Softmax.rows(a, 0, 8, 512, rep % 2 == 1);
            Softmax.rows(a, 0, 400, 10, rep % 2 == 1);
        }
        warmConvolution();
    }

    /**
     * The direct convolution paths of a small CNN (1 → 32 channels, 32 → 32, at reduced sizes): the
     * same slow compiles were seen there (one JVM's first 32 → 64 forward passes at 23 ms instead of 5).
     */
    private static void warmConvolution() {
        Convolution.Geometry first = new Convolution.Geometry(1, 1, 16, 16, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        Convolution.Geometry second = new Convolution.Geometry(2, 32, 6, 6, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        for (Convolution.Geometry g : new Convolution.Geometry[] {first, second}) {
            float[] x = new float[g.n * g.c * g.h * g.w], w = new float[g.o * g.kdim()], b = new float[g.o];
            float[] gy = new float[g.n * g.o * g.outPlane()], gx = new float[x.length], gw = new float[w.length], gb = new float[g.o];
            for (int i = 0; i < x.length; i++) x[i] = (i % 7) * 0.01f;
            for (int i = 0; i < w.length; i++) w[i] = (i % 5) * 0.01f;
            for (int i = 0; i < gy.length; i++) gy[i] = (i % 3) * 0.01f;
            for (int rep = 0; rep < 40; rep++) {
                Convolution.forward(g, x, 0, w, 0, b, 0);
                Convolution.backward(g, x, 0, w, 0, gy, g.c == 1 ? null : gx, gw, gb);
            }
        }
    }
}
