package dev.anneal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Layout;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernel path in use (Vector API or plain Java) against the scalar reference each kernel class
 * carries, on lengths around the vector width, long runs, and NaN/inf inputs.
 */
class KernelPathTest {
    /** Around the vector width (16 float lanes at most), plus long rows. */
    static final int[] LENGTHS = {1, 2, 7, 15, 16, 17, 31, 33, 1000, 5000};
    /** Long enough that a single contiguous run is split across threads. */
    static final int LONG = 70_001;

    static final double ARITH = 2e-6, TRANSCENDENTAL = 1e-5;

    @Test
    void runsOnTheExpectedPath() {
        String expected = System.getProperty("anneal.expectedPath");
        if (expected != null) assertEquals(expected, VectorSupport.path(), VectorSupport.describe());
        assertEquals(VectorSupport.enabled() ? "vector" : "scalar", VectorSupport.path());
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        boolean forcedScalar = "scalar".equalsIgnoreCase(System.getProperty("anneal.kernels", ""));
        assertEquals(module && !forcedScalar, VectorSupport.enabled());
        assertTrue(VectorSupport.describe().toLowerCase().contains(VectorSupport.path()), VectorSupport.describe());
    }

    // ------------------------------------------------------------------ inputs and comparison

    static final float[] SPECIALS = {
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1e-40f, -1e-40f, Float.MIN_NORMAL,
            1f, -1f, 0.5f, -0.5f, 1e-6f, -1e-6f, 20f, 21f, -20f, 88f, -88f, 89f, -89f, 100f, -100f, 1e30f, -1e30f,
            Float.MAX_VALUE, -Float.MAX_VALUE};

    /** Normal values times scale, with a few special values at random positions when withSpecials. */
    static float[] data(Generator g, int n, float scale, boolean withSpecials) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) g.nextGaussian() * scale;
        if (withSpecials && n > 0) {
            // a special at the very start and end (vector body and scalar tail), others anywhere
            x[0] = SPECIALS[g.nextInt(SPECIALS.length)];
            x[n - 1] = SPECIALS[g.nextInt(SPECIALS.length)];
            for (int k = 0; k < Math.min(n / 3, 40); k++) x[g.nextInt(n)] = SPECIALS[g.nextInt(SPECIALS.length)];
        }
        return x;
    }

    /** Equal NaN-ness, equal infinities, else within tol relative (floored at the smallest normal float, since denormal results carry no relative precision). */
    static boolean close(float expected, float actual, double tol) {
        if (Float.isNaN(expected) || Float.isNaN(actual)) return Float.isNaN(expected) == Float.isNaN(actual);
        if (Float.isInfinite(expected) || Float.isInfinite(actual)) return expected == actual;
        double err = Math.abs((double) expected - actual);
        return err <= tol * Math.max(Math.abs(expected), Math.abs(actual)) + Float.MIN_NORMAL;
    }

    static boolean sameBits(float expected, float actual) {
        return (Float.isNaN(expected) && Float.isNaN(actual)) || Float.floatToIntBits(expected) == Float.floatToIntBits(actual);
    }

    /** Messages are built only on failure: these loops compare millions of elements. */
    interface Msg {
        String get();
    }

    static void assertClose(float expected, float actual, double tol, Msg what) {
        if (!close(expected, actual, tol))
            fail(what.get() + ": expected " + expected + " but was " + actual + " (relative tolerance " + tol + ", NaN positions must match)");
    }

    static void assertBits(float expected, float actual, Msg what) {
        if (!sameBits(expected, actual)) fail(what.get() + ": expected " + expected + " but was " + actual);
    }

    // ------------------------------------------------------------------ Unary

    static float[] unaryParams(UnaryOp op) {
        switch (op) {
            case LEAKY_RELU: return new float[] {0.01f, 0};
            case ELU: return new float[] {1.3f, 0};
            case SOFTPLUS: return new float[] {1f, 20f};
            case CLAMP: return new float[] {-1f, 2f};
            case POW: return new float[] {2.5f, 0};
            case ADD_SCALAR: return new float[] {0.5f, 0};
            case MUL_SCALAR: return new float[] {-3f, 0};
            case SCALAR_DIV: return new float[] {2f, 0};
            case SCALAR_POW: return new float[] {1.7f, 0};
            default: return new float[] {0, 0};
        }
    }

    static final Set<UnaryOp> EXACT_UNARY = EnumSet.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.SQRT, UnaryOp.RELU,
            UnaryOp.LEAKY_RELU, UnaryOp.CLAMP, UnaryOp.ADD_SCALAR, UnaryOp.MUL_SCALAR, UnaryOp.RECIPROCAL, UnaryOp.SCALAR_DIV);

    static double unaryTol(UnaryOp op) {
        return EXACT_UNARY.contains(op) ? ARITH : TRANSCENDENTAL;
    }

    static void checkUnary(UnaryOp op, float[] x, Layout lx, String what) {
        float[] p = unaryParams(op);
        float[] y = Unary.map(op, p[0], p[1], x, lx);
        int n = lx.numel();
        assertEquals(n, y.length, what + ": output length");
        // the reference loop over the same elements in row-major order
        float[] contiguousX = Copy.contiguous(x, lx);
        float[] ref = new float[n];
        Unary.scalar(op, p[0], p[1], contiguousX, 0, 1, ref, 0, n);
        double tol = unaryTol(op);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(ref[i]), Float.floatToIntBits(op.apply(contiguousX[i], p[0], p[1])),
                    "Unary.scalar agrees with UnaryOp.apply");
            if (!close(ref[i], y[i], tol)) fail(what + " " + op + "(" + contiguousX[i] + ") at " + i + ": expected " + ref[i] + " but was " + y[i]);
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesItsScalarReference(UnaryOp op) {
        Generator g = new Generator(op.ordinal() + 1);
        for (int n : LENGTHS) {
            for (boolean specials : new boolean[] {false, true}) {
                float[] x = data(g, n + 5, 3f, specials);
                checkUnary(op, x, new Layout(new int[] {n}, new int[] {1}, 5), "contiguous n=" + n);
                float[] xs = data(g, 2 * n + 1, 3f, specials);
                checkUnary(op, xs, new Layout(new int[] {n}, new int[] {2}, 1), "stride 2 n=" + n);
            }
        }
        // rows of a transposed matrix, and rows with an offset per row (narrowed columns)
        float[] m = data(g, 17 * 19, 3f, true);
        checkUnary(op, m, new Layout(new int[] {19, 17}, new int[] {1, 19}, 0), "transposed 17x19");
        checkUnary(op, m, new Layout(new int[] {17, 18}, new int[] {19, 1}, 1), "narrowed rows 17x18");
        checkUnary(op, data(g, LONG, 3f, true), Layout.contiguous(new int[] {LONG}), "long run");
        checkUnary(op, new float[] {Float.NaN, 4f}, new Layout(new int[0], new int[0], 1), "rank 0");
        assertEquals(0, Unary.map(op, 0, 0, new float[0], Layout.contiguous(new int[] {0, 3})).length);
    }

    @Test
    void unaryHandlesEverySpecialValueInEveryLane() {
        // every special value in every lane position of a 16-wide block, and in the tail
        int n = 16 * SPECIALS.length + 7;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = SPECIALS[(i * 7 + i / 16) % SPECIALS.length];
        for (UnaryOp op : UnaryOp.values()) checkUnary(op, x, Layout.contiguous(new int[] {n}), "specials");
    }

    @Test
    void unaryTranscendentalsAreAccurateNearZeroAndOne() {
        // tanh(x) ~ x and log(1 + d) ~ d: relative accuracy must hold for small results too
        int n = 1000;
        float[] small = new float[n], nearOne = new float[n];
        for (int i = 0; i < n; i++) {
            small[i] = (float) Math.scalb((i % 2 == 0 ? 1 : -1) * (1 + (i % 97) / 97.0), -(i % 40) - 1);
            nearOne[i] = 1f + small[i] / 16;
        }
        Layout l = Layout.contiguous(new int[] {n});
        for (UnaryOp op : new UnaryOp[] {UnaryOp.TANH, UnaryOp.EXP, UnaryOp.SIGMOID, UnaryOp.LOG}) checkUnary(op, small, l, "small");
        checkUnary(UnaryOp.LOG, nearOne, l, "near one");
    }

    // ------------------------------------------------------------------ Binary

    static double binaryTol(BinaryOp op) {
        return op == BinaryOp.POW ? TRANSCENDENTAL : ARITH;
    }

    static void checkBinary(BinaryOp op, float[] x, Layout lx, float[] y, Layout ly, String what) {
        float[] z = Binary.apply(op, x, lx, y, ly);
        float[] cx = Copy.contiguous(x, lx), cy = Copy.contiguous(y, ly);
        assertEquals(cx.length, z.length);
        float[] ref = new float[cx.length];
        Binary.scalar(op, cx, 0, 1, cy, 0, 1, ref, 0, cx.length);
        boolean exact = op != BinaryOp.ADD && op != BinaryOp.SUB && op != BinaryOp.MUL && op != BinaryOp.DIV && op != BinaryOp.POW;
        for (int i = 0; i < z.length; i++) {
            assertEquals(Float.floatToIntBits(ref[i]), Float.floatToIntBits(op.apply(cx[i], cy[i])));
            // max/min and comparisons have one right answer, signed zeros included
            boolean ok = exact ? sameBits(ref[i], z[i]) : close(ref[i], z[i], binaryTol(op));
            if (!ok) fail(what + " " + op + "(" + cx[i] + ", " + cy[i] + ") at " + i + ": expected " + ref[i] + " but was " + z[i]);
        }
    }

    static Layout broadcastScalar(int n) {
        return new Layout(new int[] {n}, new int[] {0}, 2);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryMatchesItsScalarReference(BinaryOp op) {
        Generator g = new Generator(100 + op.ordinal());
        for (int n : LENGTHS) {
            for (boolean specials : new boolean[] {false, true}) {
                float[] x = data(g, n + 3, 2f, specials), y = data(g, n + 3, 2f, specials);
                if (op == BinaryOp.EQ || op == BinaryOp.NE || op == BinaryOp.LE || op == BinaryOp.GE
                        || op == BinaryOp.MAXIMUM || op == BinaryOp.MINIMUM) {
                    // plenty of equal pairs and signed zeros
                    for (int i = 0; i < n; i += 3) y[i + 3] = x[i + 3];
                    for (int i = 1; i < n; i += 5) {
                        x[i + 3] = 0f;
                        y[i + 3] = -0f;
                    }
                }
                Layout contig = new Layout(new int[] {n}, new int[] {1}, 3);
                checkBinary(op, x, contig, y, contig, "contiguous n=" + n);
                checkBinary(op, x, broadcastScalar(n), y, contig, "x stride 0 n=" + n);
                checkBinary(op, x, contig, y, broadcastScalar(n), "y stride 0 n=" + n);
                checkBinary(op, x, broadcastScalar(n), y, broadcastScalar(n), "both stride 0 n=" + n);
                float[] xs = data(g, 2 * n, 2f, specials);
                checkBinary(op, xs, new Layout(new int[] {n}, new int[] {2}, 0), y, contig, "x stride 2 n=" + n);
            }
        }
        // 2-D broadcasting: a bias row (outer stride 0), a column (inner stride 0), a transposed operand
        int r = 13, c = 37;
        float[] m = data(g, r * c, 2f, true), row = data(g, c, 2f, true), col = data(g, r, 2f, true);
        Layout lm = Layout.contiguous(new int[] {r, c});
        checkBinary(op, m, lm, row, new Layout(new int[] {r, c}, new int[] {0, 1}, 0), "bias row");
        checkBinary(op, col, new Layout(new int[] {r, c}, new int[] {1, 0}, 0), m, lm, "column");
        float[] mt = data(g, r * c, 2f, true);
        checkBinary(op, mt, new Layout(new int[] {r, c}, new int[] {1, r}, 0), m, lm, "transposed");
        float[] big = data(g, LONG, 2f, true), big2 = data(g, LONG, 2f, true);
        Layout lb = Layout.contiguous(new int[] {LONG});
        checkBinary(op, big, lb, big2, lb, "long run");
        checkBinary(op, big, lb, new float[] {1.5f}, new Layout(new int[] {LONG}, new int[] {0}, 0), "long run with a scalar");
    }

    @Test
    void binaryHandlesSpecialPairsInEveryLane() {
        int k = SPECIALS.length, n = k * k;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) {
                x[i * k + j] = SPECIALS[i];
                y[i * k + j] = SPECIALS[j];
            }
        Layout l = Layout.contiguous(new int[] {n});
        for (BinaryOp op : BinaryOp.values()) checkBinary(op, x, l, y, l, "special pairs");
    }

    @Test
    void whereMatchesAManualSelect() {
        Generator g = new Generator(5);
        for (int n : LENGTHS) {
            float[] c = new float[n], x = data(g, n, 1f, true), y = data(g, n, 1f, true);
            for (int i = 0; i < n; i++) c[i] = g.nextInt(3) == 0 ? 0f : (i % 2 == 0 ? 1f : Float.NaN); // NaN is "true"
            Layout l = Layout.contiguous(new int[] {n});
            float[] out = Binary.where(c, l, x, l, y, new Layout(new int[] {n}, new int[] {0}, n - 1));
            for (int i = 0; i < n; i++) if (!sameBits(c[i] != 0f ? x[i] : y[n - 1], out[i])) fail("where at " + i + ": expected " + (c[i] != 0f ? x[i] : y[n - 1]) + " but was " + out[i]);
        }
    }

    // ------------------------------------------------------------------ Reduction

    @Test
    void aLongRowIsSummedOnThePoolWithTheBitsOfTheSequentialSum() {
        // past the size where Reduction splits one row into blocks across threads, with a ragged end
        // (a last block of whole vectors shorter than a block, then scalar leftovers)
        int len = 4 * StridedLoop.GRAIN + 1024 * 3 + 16 * 5 + 7, off = 3;
        float[] x = new float[off + len];
        Generator g = new Generator(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) g.nextGaussian() * (i % 97 == 0 ? 1e4f : 1f);
        int saved = Parallel.threads();
        try {
            float[] sums = new float[2];
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                sums[threads - 1] = Reduction.reduce(ReduceOp.SUM, x, off, 1, len, 1)[0];
            }
            assertBits(sums[0], sums[1], () -> "1 vs 2 threads");
            float sequential = VectorSupport.enabled() ? ReductionVector.row(ReduceOp.SUM, x, off, len) : Reduction.row(ReduceOp.SUM, x, off, len);
            assertBits(sequential, sums[1], () -> "pool vs one pass");
            double exact = 0;
            for (int i = 0; i < len; i++) exact += x[off + i];
            assertEquals(exact, sums[1], 1e-3 * Math.abs(exact) + 1, "the sum itself");
        } finally {
            Parallel.setThreads(saved);
        }
    }

    static float[] reference(ReduceOp op, float[] x, int off, int outer, int len, int inner) {
        float[] out = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            int base = off + o * len * inner;
            if (inner == 1) out[o] = Reduction.row(op, x, base, len);
            else for (int j = 0; j < inner; j++) out[o * inner + j] = Reduction.strided(op, x, base + j, len, inner);
        }
        return out;
    }

    static void checkReduction(ReduceOp op, float[] x, int off, int outer, int len, int inner, String what) {
        float[] r = Reduction.reduce(op, x, off, outer, len, inner);
        float[] ref = reference(op, x, off, outer, len, inner);
        assertEquals(ref.length, r.length);
        if (inner > 1) {
            // the columns() reference agrees with strided()
            float[] cols = new float[inner];
            Reduction.columns(op, x, off, len, inner, cols, 0);
            for (int j = 0; j < inner; j++) if (!sameBits(ref[j], cols[j])) fail("columns vs strided: expected " + ref[j] + " but was " + cols[j]);
        }
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++) {
                int k = o * inner + j;
                int fo = o, fj = j;
                Msg at = () -> what + " " + op + " outer " + fo + " col " + fj + " (len " + len + ", inner " + inner + ")";
                if (op == ReduceOp.SUM) {
                    // float lanes may accumulate before the double total: error grows like sqrt(len) times the
                    // natural scale of the terms
                    double sq = 0;
                    for (int i = 0; i < len; i++) {
                        double v = x[off + o * len * inner + i * inner + j];
                        sq += v * v;
                    }
                    double scale = Math.max(Math.abs(ref[k]), Math.sqrt(sq));
                    if (Float.isNaN(ref[k]) || Float.isInfinite(ref[k]) || Double.isInfinite(sq)) {
                        assertClose(ref[k], r[k], ARITH, at);
                    } else {
                        assertEquals(ref[k], r[k], ARITH * Math.sqrt(len) * scale + Float.MIN_NORMAL, at::get);
                    }
                } else {
                    assertBits(ref[k], r[k], at); // max/min/arg pick an element: exact, NaN wins
                }
            }
    }

    static final int[] INNERS = {1, 3, 16, 17, 40};

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reductionMatchesItsScalarReference(ReduceOp op) {
        Generator g = new Generator(200 + op.ordinal());
        for (int len : new int[] {1, 15, 16, 17, 1000, 5000}) {
            for (int inner : INNERS) {
                if ((long) len * inner > 50_000) continue;
                for (int outer : new int[] {1, 3}) {
                    int off = 7;
                    checkReduction(op, data(g, off + outer * len * inner, 1f, false), off, outer, len, inner, "plain");
                    // a positive bias, so sums do not cancel
                    float[] shifted = data(g, off + outer * len * inner, 1f, false);
                    for (int i = 0; i < shifted.length; i++) shifted[i] += 3f;
                    checkReduction(op, shifted, off, outer, len, inner, "shifted");
                }
            }
        }
        // the long rows with wider inner dims too
        checkReduction(op, data(g, 5000 * 17, 1f, false), 0, 1, 5000, 17, "5000 x 17");
        checkReduction(op, data(g, 1000 * 40 * 2, 1f, false), 0, 2, 1000, 40, "1000 x 40");
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reductionPropagatesNaNAndInfinities(ReduceOp op) {
        Generator g = new Generator(300 + op.ordinal());
        for (int len : new int[] {1, 15, 16, 17, 33, 1000}) {
            for (int inner : new int[] {1, 17}) {
                int n = 2 * len * inner;
                checkReduction(op, data(g, n, 1f, true), 0, 2, len, inner, "specials");
                // one NaN per row at varying positions, and rows of only infinities
                float[] x = data(g, n, 1f, false);
                for (int o = 0; o < 2; o++) x[o * len * inner + g.nextInt(len * inner)] = Float.NaN;
                checkReduction(op, x, 0, 2, len, inner, "one NaN");
                float[] inf = new float[n];
                for (int i = 0; i < n; i++) inf[i] = i % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                checkReduction(op, inf, 0, 2, len, inner, "infinities");
                float[] negInf = new float[n];
                java.util.Arrays.fill(negInf, Float.NEGATIVE_INFINITY);
                negInf[n - 1] = -1e30f;
                checkReduction(op, negInf, 0, 2, len, inner, "-inf rows");
            }
        }
    }

    @Test
    void reductionOfEmptyInputs() {
        assertEquals(0, Reduction.reduce(ReduceOp.MAX, new float[0], 0, 0, 5, 1).length);
        float[] sums = Reduction.reduce(ReduceOp.SUM, new float[0], 0, 2, 0, 3);
        assertEquals(6, sums.length);
        for (float s : sums) assertEquals(0f, s);
        try {
            Reduction.reduce(ReduceOp.MAX, new float[0], 0, 2, 0, 1);
            fail("max over an empty dim has no identity");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("empty"), expected.getMessage());
        }
    }

    // ------------------------------------------------------------------ Softmax

    static void checkSoftmax(float[] x, int off, int rows, int len, boolean log, String what) {
        float[] y = Softmax.rows(x, off, rows, len, log);
        float[] ref = new float[rows * len];
        for (int r = 0; r < rows; r++) Softmax.row(x, off + r * len, ref, r * len, len, log);
        double tol = TRANSCENDENTAL * Math.max(1, Math.sqrt(len / 16.0));
        for (int r = 0; r < rows; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < len; i++) max = Math.max(max, Math.abs(x[off + r * len + i]));
            for (int i = 0; i < len; i++) {
                int k = r * len + i;
                int fr = r, fi = i;
                Msg at = () -> what + (log ? " logSoftmax" : " softmax") + " row " + fr + " at " + fi + " (len " + len + ")";
                if (log && Float.isFinite(ref[k]) && Float.isFinite(y[k])) {
                    // x - (max + log sum): absolute error follows the size of the shift, not of the result
                    double scale = Math.abs(ref[k]) + (Float.isFinite(max) ? max : 0) + 1;
                    assertEquals(ref[k], y[k], tol * scale, at::get);
                } else {
                    assertClose(ref[k], y[k], tol, at);
                }
            }
        }
    }

    @Test
    void softmaxMatchesItsScalarReference() {
        Generator g = new Generator(400);
        for (int len : LENGTHS)
            for (int rows : new int[] {1, 3})
                for (boolean log : new boolean[] {false, true}) {
                    checkSoftmax(data(g, 5 + rows * len, 2f, false), 5, rows, len, log, "plain");
                    checkSoftmax(data(g, rows * len, 30f, false), 0, rows, len, log, "wide");
                    float[] big = data(g, rows * len, 1f, false);
                    for (int i = 0; i < big.length; i++) big[i] += 500f;
                    checkSoftmax(big, 0, rows, len, log, "shifted by 500");
                }
        checkSoftmax(data(g, 4 * 20_000, 2f, false), 0, 4, 20_000, false, "long rows");
        // many rows shorter than a vector take the grouped path: full groups and a short last group
        for (int len : new int[] {1, 3, 10, 15})
            for (boolean log : new boolean[] {false, true}) {
                checkSoftmax(data(g, 7 + 37 * len, 3f, false), 7, 37, len, log, "many short rows");
                checkSoftmax(data(g, 37 * len, 1f, true), 0, 37, len, log, "many short rows with specials");
            }
    }

    @Test
    void softmaxWithNaNAndInfinities() {
        Generator g = new Generator(401);
        for (int len : LENGTHS)
            for (boolean log : new boolean[] {false, true}) {
                // a NaN anywhere makes its row NaN; +inf makes NaN at inf positions; -inf gives 0 (or -inf)
                checkSoftmax(data(g, 4 * len, 1f, true), 0, 4, len, log, "specials");
                float[] x = data(g, 3 * len, 1f, false);
                x[g.nextInt(len)] = Float.NEGATIVE_INFINITY;
                x[len + g.nextInt(len)] = Float.POSITIVE_INFINITY;
                x[2 * len + g.nextInt(len)] = Float.NaN;
                checkSoftmax(x, 0, 3, len, log, "one special per row");
                float[] allNegInf = new float[2 * len];
                java.util.Arrays.fill(allNegInf, Float.NEGATIVE_INFINITY);
                checkSoftmax(allNegInf, 0, 2, len, log, "all -inf");
            }
    }

    @Test
    void softmaxRowsSumToOne() {
        Generator g = new Generator(402);
        for (int len : LENGTHS) {
            float[] y = Softmax.rows(data(g, 2 * len, 3f, false), 0, 2, len, false);
            for (int r = 0; r < 2; r++) {
                double s = 0;
                for (int i = 0; i < len; i++) s += y[r * len + i];
                assertEquals(1.0, s, 1e-5 * Math.max(1, Math.sqrt(len / 16.0)), "row sum, len " + len);
            }
        }
    }

    // ------------------------------------------------------------------ Copy

    @Test
    void addIntoMatchesAPlainLoop() {
        Generator g = new Generator(500);
        for (int n : LENGTHS) {
            for (boolean specials : new boolean[] {false, true}) {
                float[] src = data(g, n + 2, 1f, specials), dst = data(g, n + 4, 1f, specials);
                float[] expected = dst.clone();
                for (int i = 0; i < n; i++) expected[4 + i] += src[2 + i];
                Copy.addInto(src, new Layout(new int[] {n}, new int[] {1}, 2), dst, new Layout(new int[] {n}, new int[] {1}, 4));
                for (int i = 0; i < dst.length; i++) if (!sameBits(expected[i], dst[i])) fail("addInto n=" + n + " at " + i + ": expected " + expected[i] + " but was " + dst[i]);
                // broadcast source (stride 0) into a strided destination
                float[] d2 = data(g, 3 * n, 1f, specials), e2 = d2.clone();
                for (int i = 0; i < n; i++) e2[3 * i + 1] += src[0];
                Copy.addInto(src, new Layout(new int[] {n}, new int[] {0}, 0), d2, new Layout(new int[] {n}, new int[] {3}, 1));
                for (int i = 0; i < d2.length; i++) if (!sameBits(e2[i], d2[i])) fail("strided addInto n=" + n + " at " + i + ": expected " + e2[i] + " but was " + d2[i]);
            }
        }
        float[] src = data(g, LONG, 1f, true), dst = data(g, LONG, 1f, true), expected = dst.clone();
        for (int i = 0; i < LONG; i++) expected[i] += src[i];
        Layout l = Layout.contiguous(new int[] {LONG});
        Copy.addInto(src, l, dst, l);
        for (int i = 0; i < LONG; i++) if (!sameBits(expected[i], dst[i])) fail("long addInto at " + i + ": expected " + expected[i] + " but was " + dst[i]);
        // 2-D: a transposed source into a contiguous destination
        float[] s2 = data(g, 17 * 19, 1f, false), d3 = data(g, 17 * 19, 1f, false), e3 = d3.clone();
        for (int i = 0; i < 17; i++) for (int j = 0; j < 19; j++) e3[i * 19 + j] += s2[j * 17 + i];
        Copy.addInto(s2, new Layout(new int[] {17, 19}, new int[] {1, 17}, 0), d3, Layout.contiguous(new int[] {17, 19}));
        for (int i = 0; i < d3.length; i++) if (!sameBits(e3[i], d3[i])) fail("transposed addInto at " + i + ": expected " + e3[i] + " but was " + d3[i]);
    }

    @Test
    void copyIntoContiguousAndFillMatchPlainLoops() {
        Generator g = new Generator(501);
        for (int n : LENGTHS) {
            float[] src = data(g, 2 * n + 1, 1f, true);
            float[] c = Copy.contiguous(src, new Layout(new int[] {n}, new int[] {2}, 1));
            for (int i = 0; i < n; i++) if (!sameBits(src[1 + 2 * i], c[i])) fail("contiguous at " + i + ": expected " + src[1 + 2 * i] + " but was " + c[i]);
            float[] dst = new float[n + 1];
            Copy.into(src, new Layout(new int[] {n}, new int[] {2}, 1), dst, new Layout(new int[] {n}, new int[] {1}, 1));
            if (!sameBits(0f, dst[0])) fail("untouched: expected " + (0f) + " but was " + dst[0]);
            for (int i = 0; i < n; i++) if (!sameBits(src[1 + 2 * i], dst[1 + i])) fail("into at " + i + ": expected " + src[1 + 2 * i] + " but was " + dst[1 + i]);
            float[] f = new float[2 * n];
            Copy.fill(f, new Layout(new int[] {n}, new int[] {2}, 0), Float.NaN);
            for (int i = 0; i < 2 * n; i++) assertEquals(i % 2 == 0, Float.isNaN(f[i]), "fill at " + i);
        }
    }
}
