package dev.anneal.kernels;

/**
 * Runs the Vector API kernels of a training step (GEMM, softmax and cross-entropy, dropout, batch
 * norm, optimizers) on small inputs before any real work, when the Vector API path is chosen, and
 * the convolution kernels before the first convolution ({@link #convolutions}). Two reasons:
 *
 * <ul>
 *   <li>About one JVM in three compiled the GEMM micro-kernel (and softmax) with Vector API calls
 *       left as allocating fallbacks, and trained 3× slower for its whole life (BENCHMARKS.md);
 *       after this warm-up none in 38 runs did. A single-threaded variant with smaller products
 *       still let 1 in 10 through, so the first product is large enough to run on the pool too.</li>
 *   <li>Until C2 compiles it, a Vector API method runs as Java fallbacks that allocate every
 *       intermediate vector, 10-100× slower than the loop it replaces. C2 compiles a method after
 *       about 600 calls with enough loop iterations; a kernel called twice per training step
 *       (batch norm, dropout, the optimizer) got there only after 5-8 epochs of an MLP, whose
 *       epochs took 0.6 s instead of 0.35 s until then. Each kernel below is called
 *       {@link #CALLS} times on a small input, so that C2 gets to them early.</li>
 * </ul>
 *
 * On 2 cores the second reason holds only in part: the warm-up makes many methods hot at once, C2's
 * one thread has a long queue, and the tiered policy then parks the kernels at C1 without profiling
 * (tier 2), so most per-step kernels still reach C2 during the first epoch (JFR, Nov 27: of the
 * MLP's kernels only the GEMM tiles and a few batch-norm bodies were C2-compiled before training;
 * its first 43 steps ran at 17 ms instead of 0.9). Whole MLP runs take about as long with and
 * without the warm-up (5.6-5.9 s against 5.3-6.3 s); what the warm-up buys is the first reason: one
 * of those three runs without it took the slow compile and trained 4x slower (13.4 s).
 *
 * The pool's workers run only kernel code, which never touches {@link VectorSupport}, so warming
 * up from its static initializer cannot deadlock on class initialization.
 */
final class JitWarmup {
    /** Calls per kernel: past C2's 600-call minimum with a margin. */
    private static final int CALLS = 800;

    private JitWarmup() {}

    static void run() {
        float[] a = new float[128 * 256], b = new float[256 * 256], c = new float[128 * 256];
        for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.01f;
        for (int i = 0; i < b.length; i++) b[i] = (i % 5) * 0.01f;
        MatmulVector.warmUpTiles();
        float[] stat = new float[400], stat2 = new float[400], stat3 = new float[400];
        int[] pick = new int[400];
        for (int i = 0; i < pick.length; i++) pick[i] = i % 11 - 1; // -1: an ignored row
        // softmax inputs with one value far below its row's max (flushed to a probability of 0)
        float[] sm = java.util.Arrays.copyOf(a, 8 * 512);
        sm[3] = -300f;
        for (int rep = 0; rep < 60; rep++) {
            // softmax and log-softmax over long rows and over rows shorter than a vector (cross-entropy)
            Softmax.rows(sm, 0, 8, 512, rep % 2 == 1);
            Softmax.rows(sm, 0, 400, 10, rep % 2 == 1);
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                Matmul.gemm(ta, tb, 64, 96, 80, a, 0, ta ? 64 : 80, b, 0, tb ? 80 : 96, c, 0, 96, rep % 2 == 1);
                Matmul.gemm(ta, tb, 128, 10, 64, a, 0, ta ? 128 : 64, b, 0, tb ? 64 : 10, c, 0, 10, false);
            }
            // cross-entropy's fused statistics and gradient, over short and long rows
            Softmax.rowStats(a, 0, 8, 100, stat, stat2, pick, stat3);
            Softmax.softmaxMinusOneHot(a, 0, 8, 100, stat, stat2, pick, stat3);
        }
        for (int rep = 0; rep < CALLS; rep++) {
            boolean odd = rep % 2 == 1;
            // dropout (fused with ReLU and alone): masks, forward and backward
            DropoutMask.fill(rep, b, 512, DropoutMask.threshold(0.8), 1.25f);
            DropoutMask.apply(a, 0, b, c, 512, odd);
            DropoutMask.backward(a, 7, a, 0, b, c, 512, odd);
            // BatchNorm1d and BatchNorm2d, with and without a channel (resp. run) shorter than a vector
            batchNorm(a, c, 16, odd ? 72 : 64, 1);
            batchNorm(a, c, 4, 8, odd ? 20 : 16);
            OptimizerKernels.adam(c, 0, a, 0, b, b, null, 512, 0.99f, 0f, 0.9f, 0.1f, 0.999f, 0.001f, -1e-3f, 0.5f, 1e-8f,
                    false, false);
            OptimizerKernels.sgd(c, 0, a, 0, b, 512, 1e-3f, 1e-4f, 0.9f, 1f, odd, false, rep == 0);
            Reduction.columns(ReduceOp.SUM, a, 0, 16, 64, c, 0); // bias gradients
            // softmax and log-softmax over long rows and over rows shorter than a vector: in this loop so
            // that C2 compiles them here, from full type profiles (a compile from a short profile left
            // Vector API calls as virtual calls, 5-10x slower)
            // (one long row a call: cheap while not yet compiled)
            Softmax.rows(sm, rep % 8 * 512, 1, 512, rep % 16 < 8);
            // (row counts that end in a partial group of 16 rows: its padded path is a branch of each phase)
            Softmax.rows(sm, 0, 61, 10, odd);
            // cross-entropy over 10 classes (called once per step): statistics (with and without the
            // max and log-sum that only backward needs) and gradient
            Softmax.rowStats(sm, 0, 45, 10, stat, stat2, pick, stat3);
            Softmax.rowStatsSerial(sm, 0, 0, 45, 10, null, null, pick, stat3, 0);
            Softmax.softmaxMinusOneHot(a, 0, 45, 10, stat, stat2, pick, stat3);
        }
    }

    /**
     * Warms the convolution kernels up once, on the first convolution of the JVM instead of at
     * start-up: about 0.2 s that models without convolutions need not pay.
     */
    static void convolutions() {
        ConvolutionWarmup.touch();
    }

    /**
     * Its class initializer runs the convolution warm-up: once, and other threads wait for it. The
     * warm-up's own convolutions call {@link #convolutions} again on the initializing thread, which
     * the JVM lets through.
     */
    private static final class ConvolutionWarmup {
        static {
            if (VectorSupport.enabled() && VectorSupport.warmUpWanted()) {
                try {
                    warmConvolution();
                } catch (RuntimeException e) { // as at start-up: a failed warm-up must not take the kernels down
                    java.util.logging.Logger.getLogger("dev.anneal.kernels").warning("anneal kernels: convolution warm-up failed: " + e);
                }
            }
        }

        static void touch() {}
    }

    /**
     * The direct convolution paths of a small CNN (1 → 32 channels, 32 → 32 through Winograd along
     * the columns, at reduced sizes): the same slow compiles were seen there (one JVM's first
     * 32 → 64 forward passes at 23 ms instead of 5).
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
        // the Winograd loops at the 32 → 64 layer's 14×14 layout (4 images side by side in rows of 60,
        // narrow rows copied by vector, 6- and 5-vector tiles), over 2 channels: the small geometry
        // above has rows narrower than a vector (a warm-up at the real plane took seconds more)
        Convolution.WinogradRows rows = new Convolution.WinogradRows(new Convolution.PaddedRows(4, 2, 14, 14, 14, 14, 3, 3, 1, 1), 4, 3);
        Convolution.WinogradRows.Scratch scratch = rows.scratch();
        float[] src = new float[4 * 2 * 196], u = new float[4 * 4 * rows.kdim], dst = new float[4 * 4 * 196];
        for (int i = 0; i < src.length; i++) src[i] = (i % 7) * 0.01f;
        for (int rep = 0; rep < 40; rep++) rows.run(src, 0, 2 * 196, u, null, 0, dst, 0, 4 * 196, scratch);
    }

    private static void batchNorm(float[] x, float[] out, int n, int ch, int s) {
        float[] mean = new float[ch], var = new float[ch], invstd = new float[ch], w = new float[ch], gw = new float[ch], gb = new float[ch];
        java.util.Arrays.fill(w, 1f);
        float[] y = Normalization.batchNormTrain(x, 0, n, ch, s, w, gb, 1e-5f, mean, var, invstd);
        Normalization.batchNormBackward(x, 0, y, n, ch, s, mean, invstd, w, true, out, gw, gb);
        y = Normalization.batchNormApply(x, 0, n, ch, s, mean, invstd, w, gb);
        Normalization.batchNormBackward(x, 0, y, n, ch, s, mean, invstd, w, false, out, gw, gb);
        if (s == 1) { // the streaming bodies, which only inputs of more than one statistics chunk reach
            double[] ps = new double[ch], pq = new double[ch];
            NormalizationVector.rowShiftedSums(x, 0, 0, Normalization.BLOCK, ch, mean, gw, gb);
            NormalizationVector.flush(gw, ps, 0, ch);
            NormalizationVector.rowGradSums(y, x, 0, 0, Normalization.BLOCK, ch, mean, gw, gb);
            NormalizationVector.flush(gb, pq, 0, ch);
        }
    }
}
