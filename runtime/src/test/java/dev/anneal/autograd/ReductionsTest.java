package dev.anneal.autograd;

import static dev.anneal.autograd.ForwardAsserts.assertClose;
import static dev.anneal.autograd.ForwardAsserts.assertExact;
import static dev.anneal.autograd.ForwardAsserts.assertShape;
import static dev.anneal.autograd.ForwardAsserts.assertThrowsWith;
import static dev.anneal.autograd.ForwardAsserts.assertValues;
import static dev.anneal.autograd.ForwardAsserts.iotaTensor;
import static dev.anneal.autograd.ForwardAsserts.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class ReductionsTest {
    private static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;

    // ------------------------------------------------------------------ reference

    /** Reduces the logical values x of the given shape over the masked dims; out in keepdim row-major order. */
    static double[] reference(float[] x, int[] shape, boolean[] mask, ToDoubleFunction<double[]> f) {
        int rank = shape.length;
        int[] keep = new int[rank];
        int outN = 1, groupN = 1;
        for (int i = 0; i < rank; i++) {
            keep[i] = mask[i] ? 1 : shape[i];
            outN *= keep[i];
            if (mask[i]) groupN *= shape[i];
        }
        List<List<Double>> groups = new ArrayList<>();
        for (int i = 0; i < outN; i++) groups.add(new ArrayList<>());
        int[] idx = new int[rank];
        for (int flat = 0; flat < x.length; flat++) {
            int rem = flat;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d] = rem % shape[d];
                rem /= shape[d];
            }
            int out = 0;
            for (int d = 0; d < rank; d++) out = out * keep[d] + (mask[d] ? 0 : idx[d]);
            groups.get(out).add((double) x[flat]);
        }
        double[] r = new double[outN];
        for (int i = 0; i < outN; i++) {
            double[] g = groups.get(i).stream().mapToDouble(Double::doubleValue).toArray();
            assertEquals(groupN, g.length);
            r[i] = f.applyAsDouble(g);
        }
        return r;
    }

    static double sum(double[] g) {
        double s = 0;
        for (double v : g) s += v;
        return s;
    }

    static double var(double[] g, int correction) {
        double m = sum(g) / g.length, q = 0;
        for (double v : g) q += (v - m) * (v - m);
        return q / (g.length - correction);
    }

    static double lse(double[] g) {
        double s = 0;
        for (double v : g) s += Math.exp(v);
        return Math.log(s);
    }

    static double max(double[] g) {
        double m = g[0];
        for (double v : g) m = Math.max(m, v);
        return m;
    }

    static double min(double[] g) {
        double m = g[0];
        for (double v : g) m = Math.min(m, v);
        return m;
    }

    static double argmax(double[] g) {
        int best = 0;
        for (int i = 1; i < g.length; i++) if (g[i] > g[best]) best = i;
        return best;
    }

    static double argmin(double[] g) {
        int best = 0;
        for (int i = 1; i < g.length; i++) if (g[i] < g[best]) best = i;
        return best;
    }

    static boolean[] mask(int rank, int... dims) {
        boolean[] m = new boolean[rank];
        if (dims.length == 0) Arrays.fill(m, true);
        for (int d : dims) m[d < 0 ? d + rank : d] = true;
        return m;
    }

    static int[] outShape(int[] shape, boolean[] mask, boolean keepdim) {
        int[] out = new int[shape.length];
        int r = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!mask[i]) out[r++] = shape[i];
            else if (keepdim) out[r++] = 1;
        }
        return Arrays.copyOf(out, r);
    }

    static Tensor randomish(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).mul(3f);
    }

    private static void checkDims(String name, Tensor x, int[] dims, BiFunction<int[], Boolean, Tensor> op,
                                  ToDoubleFunction<double[]> f, double tol) {
        boolean[] m = mask(x.rank(), dims);
        double[] expected = reference(x.toArray(), x.shape(), m, f);
        for (boolean keepdim : new boolean[] {false, true}) {
            Tensor y = op.apply(dims, keepdim);
            assertArrayEquals(outShape(x.shape(), m, keepdim), y.shape(), name + Arrays.toString(dims) + " keepdim=" + keepdim);
            try {
                assertClose(expected, y.toArray(), tol, tol);
            } catch (AssertionError e) {
                throw new AssertionError(name + " over " + Arrays.toString(dims) + " keepdim=" + keepdim + " of "
                        + Arrays.toString(x.shape()) + ": " + e.getMessage(), e);
            }
        }
    }

    private static void checkAllMultiDimReductions(Tensor x, int[] dims) {
        checkAllMultiDimReductions(x, dims, 1e-5);
    }

    /** tol bounds the sums' error; float accumulation over long lines is only accurate relative to sum |x|. */
    private static void checkAllMultiDimReductions(Tensor x, int[] dims, double tol) {
        checkDims("sum", x, dims, (d, k) -> x.sum(d, k), ReductionsTest::sum, tol);
        checkDims("mean", x, dims, (d, k) -> x.mean(d, k), g -> sum(g) / g.length, tol);
        checkDims("var0", x, dims, (d, k) -> x.var(d, 0, k), g -> var(g, 0), tol);
        checkDims("var1", x, dims, (d, k) -> x.var(d, 1, k), g -> var(g, 1), tol);
        checkDims("std0", x, dims, (d, k) -> x.std(d, 0, k), g -> Math.sqrt(var(g, 0)), tol);
        checkDims("std1", x, dims, (d, k) -> x.std(d, 1, k), g -> Math.sqrt(var(g, 1)), tol);
        checkDims("logsumexp", x, dims, (d, k) -> x.logsumexp(d, k), ReductionsTest::lse, tol);
    }

    private static void checkSingleDimReductions(Tensor x, int dim) {
        checkSingleDimReductions(x, dim, 1e-5);
    }

    private static void checkSingleDimReductions(Tensor x, int dim, double tol) {
        int[] d = {dim};
        checkDims("max", x, d, (dd, k) -> x.max(dim, k), ReductionsTest::max, 0);
        checkDims("min", x, d, (dd, k) -> x.min(dim, k), ReductionsTest::min, 0);
        checkDims("argmax", x, d, (dd, k) -> x.argmax(dim, k), ReductionsTest::argmax, 0);
        checkDims("argmin", x, d, (dd, k) -> x.argmin(dim, k), ReductionsTest::argmin, 0);
        checkDims("sum(dim)", x, d, (dd, k) -> k ? x.sum(dd, true) : x.sum(dim), ReductionsTest::sum, tol);
        checkDims("mean(dim)", x, d, (dd, k) -> k ? x.mean(dd, true) : x.mean(dim), g -> sum(g) / g.length, tol);
        checkDims("logsumexp(dim)", x, d, (dd, k) -> k ? x.logsumexp(dd, true) : x.logsumexp(dim), ReductionsTest::lse, tol);
    }

    // ------------------------------------------------------------------ hand-computed

    @Test
    void handComputedFullReductions() {
        Tensor x = iotaTensor(2, 3, 4); // 0..23
        assertValues(x.sum(), shape(), 276);
        assertValues(x.mean(), shape(), 11.5f);
        assertClose(x.var(), shape(), 1e-6, 50f); // (24² − 1)/12 · 24/23
        assertClose(x.var(null, 0, false), shape(), 1e-6, 47.916668f);
        assertClose(x.std(), shape(), 1e-6, (float) Math.sqrt(50));
        assertValues(x.max(), shape(), 23);
        assertValues(x.min(), shape(), 0);
        assertValues(x.argmax(), shape(), 23);
        assertValues(x.argmin(), shape(), 0);
        assertClose(Tensor.vector(0, 0, 0, 0).logsumexp(0), shape(), 1e-6, (float) Math.log(4));
        assertClose(Tensor.vector(1, 2, 3).logsumexp(new int[] {0}, true), shape(1), 1e-6, 3.4076059644f);
        assertValues(Tensor.scalar(5).sum(), shape(), 5);
        assertValues(Tensor.scalar(5).mean(), shape(), 5);
        assertValues(Tensor.scalar(5).max(), shape(), 5);
        assertValues(Tensor.scalar(5).sum(0), shape(), 5);
    }

    @Test
    void handComputedDimReductions() {
        Tensor x = Tensor.of(new float[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertValues(x.sum(0), shape(3), 5, 7, 9);
        assertValues(x.sum(1), shape(2), 9, 12);
        assertValues(x.sum(-1), shape(2), 9, 12);
        assertValues(x.sum(new int[] {1}, true), shape(2, 1), 9, 12);
        assertValues(x.mean(0), shape(3), 2.5f, 3.5f, 4.5f);
        assertValues(x.var(new int[] {0}, 1, false), shape(3), 4.5f, 4.5f, 4.5f);
        assertValues(x.var(new int[] {0}, 0, true), shape(1, 3), 2.25f, 2.25f, 2.25f);
        assertValues(x.max(1, false), shape(2), 5, 6);
        assertValues(x.max(0, true), shape(1, 3), 4, 5, 6);
        assertValues(x.min(1, true), shape(2, 1), 1, 2);
        assertValues(x.argmax(1, false), shape(2), 1, 2);
        assertValues(x.argmin(0, false), shape(3), 0, 1, 0);
        assertValues(x.argmax(-1, true), shape(2, 1), 1, 2);
        assertValues(x.argmax(), shape(), 5);
        assertValues(x.argmin(), shape(), 0);
        // ties: the first index wins, as PyTorch
        Tensor t = Tensor.vector(3, 7, 7, 1, 1);
        assertValues(t.argmax(), shape(), 1);
        assertValues(t.argmin(), shape(), 3);
        assertValues(t.argmax(0, false), shape(), 1);
        // rank 0 along dim 0
        assertValues(Tensor.scalar(4).argmax(0, false), shape(), 0);
        assertValues(Tensor.scalar(4).max(0, false), shape(), 4);
    }

    // ------------------------------------------------------------------ against the reference

    @Test
    void everyDimSubsetOf3d() {
        Tensor x = randomish(1, 3, 4, 5);
        int[][] subsets = {{0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}, {-1}, {-3, -1}, {2, 0}, {}};
        for (int[] dims : subsets) checkAllMultiDimReductions(x, dims);
        for (int d = -3; d < 3; d++) checkSingleDimReductions(x, d);
    }

    @Test
    void nonAdjacentDimsOf4d() {
        Tensor x = randomish(2, 2, 3, 4, 5);
        int[][] subsets = {{0, 2}, {1, 3}, {0, 3}, {0, 1, 3}, {-4, -2}, {3, 1}, {0, 2, 3}};
        for (int[] dims : subsets) checkAllMultiDimReductions(x, dims);
    }

    @Test
    void nonContiguousInputs() {
        Tensor permuted = randomish(3, 4, 5, 3).permute(2, 0, 1); // [3, 4, 5]
        Tensor stepped = randomish(4, 3, 4, 10).slice(2, 1, 10, 2); // [3, 4, 5]
        Tensor expanded = randomish(5, 3, 1, 5).expand(3, 4, 5);
        Tensor transposed = randomish(6, 40, 37).t(); // long rows for the vector path
        for (Tensor x : new Tensor[] {permuted, stepped, expanded}) {
            for (int[] dims : new int[][] {{0}, {1}, {2}, {0, 2}, {1, 2}, {0, 1, 2}}) checkAllMultiDimReductions(x, dims);
            for (int d = 0; d < 3; d++) checkSingleDimReductions(x, d);
        }
        for (int[] dims : new int[][] {{0}, {1}, {0, 1}}) checkAllMultiDimReductions(transposed, dims);
        checkSingleDimReductions(transposed, 0);
        checkSingleDimReductions(transposed, 1);
        assertValues(iotaTensor(3, 4).t().max(), shape(), 11);
        assertValues(iotaTensor(3, 4).t().argmax(), shape(), 11);
        assertValues(iotaTensor(3, 4).t().argmin(1, false), shape(4), 0, 0, 0, 0);
    }

    @Test
    void longRowsAndColumns() {
        // rows and columns longer than the vector width, odd lengths, and more than one accumulation block
        Tensor x = randomish(7, 5, 2053);
        for (int[] dims : new int[][] {{0}, {1}, {0, 1}}) checkAllMultiDimReductions(x, dims, 5e-4);
        checkSingleDimReductions(x, 0, 5e-4);
        checkSingleDimReductions(x, 1, 5e-4);
        Tensor y = randomish(8, 1037, 37);
        for (int[] dims : new int[][] {{0}, {1}}) checkAllMultiDimReductions(y, dims, 5e-4);
        checkSingleDimReductions(y, 0, 5e-4);
        checkSingleDimReductions(y, 1, 5e-4);
        // a big exact sum: 0 + 1 + ... + 99999 (every partial sum is exact in double)
        Tensor big = Tensor.arange(100_000);
        assertValues(big.sum(), shape(), 4_999_950_000f);
        assertValues(big.max(), shape(), 99_999);
        assertValues(big.argmax(), shape(), 99_999);
        assertValues(big.neg().argmax(), shape(), 0);
    }

    // ------------------------------------------------------------------ NaN, infinities, empty

    @Test
    void nanPropagatesThroughMaxMinAndArgmax() {
        for (int at : new int[] {1, 5, 38}) {
            float[] v = new float[40];
            for (int i = 0; i < v.length; i++) v[i] = i % 7;
            v[at] = NAN;
            Tensor x = Tensor.vector(v);
            assertValues(x.max(), shape(), NAN);
            assertValues(x.min(), shape(), NAN);
            assertValues(x.argmax(), shape(), at);
            assertValues(x.argmin(), shape(), at);
            assertValues(x.max(0, false), shape(), NAN);
            assertValues(x.argmax(0, false), shape(), at);
            assertValues(x.sum(), shape(), NAN);
            Tensor m = x.reshape(1, 40).expand(2, 40).contiguous();
            assertValues(m.max(1, false), shape(2), NAN, NAN);
            assertValues(m.max(0, false), shape(40), v);
            assertValues(m.max(0, false).ne(m.max(0, false)), shape(40), nanMask(v));
        }
        assertValues(Tensor.vector(1, INF, -INF).max(), shape(), INF);
        assertValues(Tensor.vector(1, INF, -INF).min(), shape(), -INF);
        assertValues(Tensor.vector(1, INF, -INF).sum(), shape(), NAN);
    }

    private static float[] nanMask(float[] v) {
        float[] m = new float[v.length];
        for (int i = 0; i < v.length; i++) m[i] = Float.isNaN(v[i]) ? 1 : 0;
        return m;
    }

    @Test
    void emptyTensors() {
        assertValues(Tensor.zeros(0).sum(), shape(), 0);
        assertValues(Tensor.zeros(2, 0).sum(), shape(), 0);
        assertValues(Tensor.zeros(2, 0).sum(1), shape(2), 0, 0);
        assertValues(Tensor.zeros(0, 3).sum(0), shape(3), 0, 0, 0);
        assertValues(Tensor.zeros(0, 3).sum(1), shape(0));
        assertValues(Tensor.zeros(0, 3).sum(new int[] {1}, true), shape(0, 1));
        assertValues(Tensor.zeros(0).mean(), shape(), NAN);
        assertValues(Tensor.zeros(2, 0).mean(1), shape(2), NAN, NAN);
        assertValues(Tensor.zeros(0, 3).mean(1), shape(0));
        assertValues(Tensor.zeros(0).var(), shape(), NAN);
        assertValues(Tensor.zeros(2, 0).logsumexp(1), shape(2), -INF, -INF); // log(0)
        assertValues(Tensor.zeros(0, 3).max(1, false), shape(0));
        assertValues(Tensor.zeros(0, 3).argmax(1, true), shape(0, 1));
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(0).max(), "max: the tensor is empty (shape [0])");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).min(), "min: the tensor is empty (shape [2, 0])");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(0, 2).argmax(), "argmax: the tensor is empty");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(0).argmin(), "argmin: the tensor is empty");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).max(1, false),
                "cannot reduce over a dim of size 0 in shape [2, 0]");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).argmin(1, false),
                "cannot reduce over a dim of size 0");
    }

    @Test
    void varianceCorrections() {
        Tensor one = Tensor.vector(3);
        assertValues(one.var(), shape(), NAN); // 0/0, as PyTorch
        assertValues(one.var(null, 0, false), shape(), 0);
        assertValues(Tensor.vector(1, 3).var(null, 2, false), shape(), INF); // 2/0
        assertValues(Tensor.vector(1, 3).var(null, 5, false), shape(), INF);
        assertValues(Tensor.vector(2, 4, 4, 4, 5, 5, 7, 9).std(null, 0, false), shape(), 2);
        assertThrowsWith(IllegalArgumentException.class, () -> one.var(null, -1, false), "var: correction must be non-negative, got -1");
    }

    @Test
    void logsumexpIsStable() {
        assertValues(Tensor.vector(-INF, 0).logsumexp(0), shape(), 0);
        assertValues(Tensor.vector(-INF, -INF).logsumexp(0), shape(), -INF);
        assertValues(Tensor.vector(INF, 0).logsumexp(0), shape(), INF);
        assertValues(Tensor.vector(INF, -INF).logsumexp(0), shape(), INF);
        assertValues(Tensor.vector(NAN, 0).logsumexp(0), shape(), NAN);
        assertValues(Tensor.vector(1e30f, 1e30f).logsumexp(0), shape(), 1e30f);
        assertValues(Tensor.vector(1e30f, 0).logsumexp(0), shape(), 1e30f);
        assertValues(Tensor.vector(-1e30f, -1e30f).logsumexp(0), shape(), -1e30f);
        assertClose(Tensor.vector(1000, 1000).logsumexp(0), shape(), 1e-6, 1000.6931472f);
        assertClose(Tensor.vector(-1000, -1000, -1000).logsumexp(0), shape(), 1e-6, (float) (-1000 + Math.log(3)));
        // per row: an all -inf row gives -inf, the others are unaffected
        Tensor m = Tensor.of(new float[] {-INF, -INF, -INF, 0, 0, 0, 1e30f, 0, -INF}, 3, 3);
        assertClose(m.logsumexp(1), shape(3), 1e-6, -INF, (float) Math.log(3), 1e30f);
        assertClose(m.logsumexp(new int[] {1}, true), shape(3, 1), 1e-6, -INF, (float) Math.log(3), 1e30f);
        assertClose(m.logsumexp(0), shape(3), 1e-6, 1e30f, (float) Math.log(2), 0f);
        assertValues(m.logsumexp(new int[] {0, 1}, false), shape(), 1e30f);
    }

    // ------------------------------------------------------------------ softmax

    static double[] softmaxRef(float[] x, int[] shape, int dim, boolean log) {
        // for each element: exp(x - max)/sum over its line along dim, all in double
        int rank = shape.length, n = shape[dim];
        int inner = 1;
        for (int i = dim + 1; i < rank; i++) inner *= shape[i];
        double[] r = new double[x.length];
        for (int flat = 0; flat < x.length; flat++) {
            int pos = (flat / inner) % n, start = flat - pos * inner;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) m = Math.max(m, x[start + j * inner]);
            if (m == Double.NEGATIVE_INFINITY) {
                r[flat] = Double.NaN;
                continue;
            }
            double s = 0;
            for (int j = 0; j < n; j++) s += Math.exp(x[start + j * inner] - m);
            r[flat] = log ? x[flat] - m - Math.log(s) : Math.exp(x[flat] - m) / s;
        }
        return r;
    }

    private static void checkSoftmax(Tensor x) {
        for (int dim = -x.rank(); dim < x.rank(); dim++) {
            int d = dim < 0 ? dim + x.rank() : dim;
            Tensor s = x.softmax(dim), l = x.logSoftmax(dim);
            assertShape(s, x.shape());
            assertShape(l, x.shape());
            try {
                assertClose(softmaxRef(x.toArray(), x.shape(), d, false), s.toArray(), 1e-5, 1e-7);
                assertClose(softmaxRef(x.toArray(), x.shape(), d, true), l.toArray(), 1e-5, 1e-5);
            } catch (AssertionError e) {
                throw new AssertionError("softmax along " + dim + " of " + Arrays.toString(x.shape()) + ": " + e.getMessage(), e);
            }
            // every line sums to 1
            float[] sums = s.sum(d).toArray();
            for (float v : sums) assertEquals(1.0, v, 1e-5);
        }
    }

    @Test
    void softmaxAlongEveryDimOf3d() {
        checkSoftmax(randomish(11, 2, 3, 4));
        checkSoftmax(randomish(12, 3, 37, 17)); // rows longer than the vector width
        checkSoftmax(randomish(13, 4, 3, 5).permute(1, 2, 0)); // non-contiguous
        checkSoftmax(randomish(14, 3, 4, 10).slice(2, 0, 10, 3));
        checkSoftmax(randomish(15, 2, 1033));
        checkSoftmax(randomish(16, 3, 1, 4).expand(3, 2, 4));
        checkSoftmax(randomish(17, 3, 4).mul(1000f)); // large logits do not overflow
    }

    @Test
    void softmaxHandComputed() {
        Tensor x = Tensor.of(new float[] {0, 0, 1, 1, 2, 3}, 2, 3);
        float e = (float) Math.E;
        assertClose(x.softmax(1), shape(2, 3), 1e-6, 1 / (2 + e), 1 / (2 + e), e / (2 + e),
                (float) (1 / (1 + Math.E + Math.E * Math.E)), (float) (Math.E / (1 + Math.E + Math.E * Math.E)),
                (float) (Math.E * Math.E / (1 + Math.E + Math.E * Math.E)));
        float a = (float) (1 / (1 + Math.E)), b = (float) (1 / (1 + Math.E * Math.E));
        assertClose(x.softmax(0), shape(2, 3), 1e-6, a, b, b, 1 - a, 1 - b, 1 - b);
        assertClose(Tensor.vector(1000, 1000).softmax(0), shape(2), 1e-6, 0.5f, 0.5f);
        assertClose(Tensor.vector(1000, 1000).logSoftmax(0), shape(2), 1e-6, (float) -Math.log(2), (float) -Math.log(2));
        assertValues(Tensor.scalar(3).softmax(0), shape(), 1);
        assertValues(Tensor.scalar(3).logSoftmax(-1), shape(), 0);
        assertValues(Tensor.zeros(2, 0).softmax(1), shape(2, 0));
        assertValues(Tensor.zeros(0, 3).logSoftmax(1), shape(0, 3));
        assertThrowsWith(IllegalArgumentException.class, () -> x.softmax(2), "softmax: dim 2 is out of range for a tensor of rank 2");
        assertThrowsWith(IllegalArgumentException.class, () -> x.logSoftmax(-3), "logSoftmax: dim -3 is out of range");
    }

    @Test
    void softmaxWithInfinities() {
        for (int len : new int[] {3, 37}) {
            float[] v = new float[3 * len];
            Arrays.fill(v, 0, len, -INF); // row 0: all -inf
            for (int i = len; i < 2 * len; i++) v[i] = i % 2 == 0 ? -INF : 1; // row 1: some -inf
            for (int i = 2 * len; i < 3 * len; i++) v[i] = i - 2 * len; // row 2: finite
            Tensor x = Tensor.of(v, 3, len);
            float[] s = x.softmax(1).toArray(), l = x.logSoftmax(1).toArray();
            int ones = 0;
            for (int i = len; i < 2 * len; i++) if (v[i] == 1) ones++;
            for (int i = 0; i < len; i++) {
                assertTrue(Float.isNaN(s[i]), "softmax of an all -inf row is NaN");
                assertTrue(Float.isNaN(l[i]), "logSoftmax of an all -inf row is NaN");
                float vi = v[len + i];
                assertEquals(vi == 1 ? 1.0 / ones : 0.0, s[len + i], 1e-6);
                if (vi == 1) assertEquals(-Math.log(ones), l[len + i], 1e-5);
                else assertEquals(-INF, l[len + i]);
            }
            double rowSum = 0;
            for (int i = 2 * len; i < 3 * len; i++) rowSum += s[i];
            assertEquals(1.0, rowSum, 1e-5);
            // the all -inf row is NaN along dim 1 only; along dim 0 every column has a finite entry or is all -inf
            float[] s0 = x.softmax(0).toArray();
            for (int c = 0; c < len; c++) assertEquals(0f, s0[c], 0f);
        }
        // +inf in a row: that entry takes all the mass in the limit, but inf - inf gives NaN (as PyTorch)
        assertExact(new float[] {NAN, NAN}, Tensor.vector(INF, 0).softmax(0).toArray());
        assertExact(new float[] {NAN, NAN}, Tensor.vector(NAN, 0).softmax(0).toArray());
    }

    // ------------------------------------------------------------------ errors

    @Test
    void dimErrors() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertThrowsWith(IllegalArgumentException.class, () -> x.sum(3), "sum: dim 3 is out of range for a tensor of rank 3 (expected -3 to 2)");
        assertThrowsWith(IllegalArgumentException.class, () -> x.sum(new int[] {1, -2}, false),
                "sum: dim -2 appears more than once in [1, -2]");
        assertThrowsWith(IllegalArgumentException.class, () -> x.mean(new int[] {-4}, false), "mean: dim -4 is out of range");
        assertThrowsWith(IllegalArgumentException.class, () -> x.var(new int[] {0, 0}, 1, false), "var: dim 0 appears more than once");
        assertThrowsWith(IllegalArgumentException.class, () -> x.max(5, false), "max: dim 5 is out of range");
        assertThrowsWith(IllegalArgumentException.class, () -> x.argmin(-4, false), "argmin: dim -4 is out of range");
        assertThrowsWith(IllegalArgumentException.class, () -> x.logsumexp(new int[] {2, -1}, false),
                "logsumexp: dim -1 appears more than once");
    }
}
