package dev.anneal.autograd;

import static dev.anneal.autograd.ForwardAsserts.assertExact;
import static dev.anneal.autograd.ForwardAsserts.assertShape;
import static dev.anneal.autograd.ForwardAsserts.assertThrowsWith;
import static dev.anneal.autograd.ForwardAsserts.assertValues;
import static dev.anneal.autograd.ForwardAsserts.iotaTensor;
import static dev.anneal.autograd.ForwardAsserts.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class BroadcastTest {
    private static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;

    interface F2 {
        float apply(float x, float y);
    }

    /** Each tensor op next to its definition in plain Java. */
    private static final Map<String, Object[]> OPS = new LinkedHashMap<>();

    static {
        op("add", Tensor::add, (x, y) -> x + y);
        op("sub", Tensor::sub, (x, y) -> x - y);
        op("mul", Tensor::mul, (x, y) -> x * y);
        op("div", Tensor::div, (x, y) -> x / y);
        op("pow", Tensor::pow, (x, y) -> (float) Math.pow(x, y));
        op("maximum", Tensor::maximum, (x, y) -> x != x || y != y ? NAN : Math.max(x, y));
        op("minimum", Tensor::minimum, (x, y) -> x != x || y != y ? NAN : Math.min(x, y));
        op("eq", Tensor::eq, (x, y) -> x == y ? 1 : 0);
        op("ne", Tensor::ne, (x, y) -> x != y ? 1 : 0);
        op("lt", Tensor::lt, (x, y) -> x < y ? 1 : 0);
        op("le", Tensor::le, (x, y) -> x <= y ? 1 : 0);
        op("gt", Tensor::gt, (x, y) -> x > y ? 1 : 0);
        op("ge", Tensor::ge, (x, y) -> x >= y ? 1 : 0);
    }

    private static void op(String name, BiFunction<Tensor, Tensor, Tensor> t, F2 f) {
        OPS.put(name, new Object[] {t, f});
    }

    @SuppressWarnings("unchecked")
    private static Tensor run(String name, Tensor x, Tensor y) {
        return ((BiFunction<Tensor, Tensor, Tensor>) OPS.get(name)[0]).apply(x, y);
    }

    // ------------------------------------------------------------------ reference broadcasting

    static int[] broadcastShape(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Flat row-major index into an array of shape s of the element that out index idx broadcasts from. */
    static int sourceIndex(int[] idx, int[] s) {
        int lead = idx.length - s.length, at = 0;
        for (int i = 0; i < s.length; i++) at = at * s[i] + (s[i] == 1 ? 0 : idx[lead + i]);
        return at;
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    static int numel(int[] s) {
        int n = 1;
        for (int d : s) n *= d;
        return n;
    }

    /** out = f(x, y) elementwise with broadcasting, computed by a plain loop over the logical values. */
    static float[] reference(F2 f, float[] x, int[] xs, float[] y, int[] ys) {
        int[] out = broadcastShape(xs, ys);
        float[] r = new float[numel(out)];
        for (int i = 0; i < r.length; i++) {
            int[] idx = unravel(i, out);
            r[i] = f.apply(x[sourceIndex(idx, xs)], y[sourceIndex(idx, ys)]);
        }
        return r;
    }

    private static void checkAllOps(Tensor x, Tensor y) {
        for (Map.Entry<String, Object[]> e : OPS.entrySet()) {
            String name = e.getKey();
            Tensor z = run(name, x, y);
            int[] expectedShape = broadcastShape(x.shape(), y.shape());
            assertArrayEquals(expectedShape, z.shape(), name + " shape");
            try {
                assertExact(reference((F2) e.getValue()[1], x.toArray(), x.shape(), y.toArray(), y.shape()), z.toArray());
            } catch (AssertionError err) {
                throw new AssertionError(name + " on " + java.util.Arrays.toString(x.shape()) + " and "
                        + java.util.Arrays.toString(y.shape()) + ": " + err.getMessage(), err);
            }
        }
    }

    /** Values with negatives, zeros, fractions and repeats, so comparisons see ties. */
    static float[] values(int n, int seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = ((i * 7 + seed * 3) % 11 - 5) * 0.5f;
        return v;
    }

    static Tensor filled(int seed, int... shape) {
        return Tensor.of(values(numel(shape), seed), shape);
    }

    // ------------------------------------------------------------------ hand-computed cases

    @Test
    void handComputedBroadcasts() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertValues(m.add(Tensor.vector(10, 20, 30)), shape(2, 3), 11, 22, 33, 14, 25, 36);
        assertValues(m.sub(Tensor.of(new float[] {1, 2}, 2, 1)), shape(2, 3), 0, 1, 2, 2, 3, 4);
        assertValues(Tensor.of(new float[] {1, 2}, 2, 1).mul(Tensor.of(new float[] {3, 4, 5}, 1, 3)), shape(2, 3),
                3, 4, 5, 6, 8, 10);
        assertValues(m.div(Tensor.scalar(2)), shape(2, 3), 0.5f, 1, 1.5f, 2, 2.5f, 3);
        assertValues(Tensor.scalar(12).div(m), shape(2, 3), 12, 6, 4, 3, 2.4f, 2);
        assertValues(m.pow(Tensor.vector(2, 0, -1)), shape(2, 3), 1, 1, 1f / 3, 16, 1, 1f / 6);
        assertValues(m.maximum(Tensor.vector(3, 3, 3)), shape(2, 3), 3, 3, 3, 4, 5, 6);
        assertValues(m.minimum(Tensor.of(new float[] {2, 5}, 2, 1)), shape(2, 3), 1, 2, 2, 4, 5, 5);
        assertValues(m.eq(Tensor.vector(1, 5, 3)), shape(2, 3), 1, 0, 1, 0, 1, 0);
        assertValues(m.ne(Tensor.vector(1, 5, 3)), shape(2, 3), 0, 1, 0, 1, 0, 1);
        assertValues(m.lt(Tensor.scalar(3)), shape(2, 3), 1, 1, 0, 0, 0, 0);
        assertValues(m.le(Tensor.scalar(3)), shape(2, 3), 1, 1, 1, 0, 0, 0);
        assertValues(m.gt(Tensor.scalar(3)), shape(2, 3), 0, 0, 0, 1, 1, 1);
        assertValues(m.ge(Tensor.scalar(3)), shape(2, 3), 0, 0, 1, 1, 1, 1);
        // rank-differing: [2, 1, 3] with [4, 1] gives [2, 4, 3]
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 1, 3);
        Tensor b = Tensor.of(new float[] {0, 10, 20, 30}, 4, 1);
        assertValues(a.add(b), shape(2, 4, 3), 1, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33,
                4, 5, 6, 14, 15, 16, 24, 25, 26, 34, 35, 36);
    }

    @Test
    void rankZeroOperands() {
        Tensor s = Tensor.scalar(3), t = Tensor.scalar(4);
        assertValues(s.mul(t), shape(), 12);
        assertValues(s.sub(t), shape(), -1);
        assertValues(s.lt(t), shape(), 1);
        assertValues(s.add(Tensor.vector(1, 2)), shape(2), 4, 5);
        assertValues(Tensor.vector(1, 2).sub(s), shape(2), -2, -1);
        assertValues(Tensor.ones(1, 1).add(s), shape(1, 1), 4);
        assertValues(s.add(Tensor.zeros(0)), shape(0));
    }

    @Test
    void scalarOverloads() {
        Tensor v = Tensor.vector(1, -2, 4);
        assertValues(v.add(1.5f), shape(3), 2.5f, -0.5f, 5.5f);
        assertValues(v.sub(1), shape(3), 0, -3, 3);
        assertValues(v.mul(-2), shape(3), -2, 4, -8);
        assertValues(v.div(4), shape(3), 0.25f, -0.5f, 1);
        assertValues(v.div(0), shape(3), INF, -INF, INF);
        assertValues(v.pow(2f), shape(3), 1, 4, 16);
        assertValues(v.pow(0.5f), shape(3), 1, NAN, 2);
        assertValues(v.pow(-1f), shape(3), 1, -0.5f, 0.25f);
        assertValues(v.pow(0f), shape(3), 1, 1, 1);
        assertValues(v.rsub(1), shape(3), 0, 3, -3);
        assertValues(v.rdiv(8), shape(3), 8, -4, 2);
        assertValues(v.eq(4), shape(3), 0, 0, 1);
        assertValues(v.ne(4), shape(3), 1, 1, 0);
        assertValues(v.lt(1), shape(3), 0, 1, 0);
        assertValues(v.le(1), shape(3), 1, 1, 0);
        assertValues(v.gt(1), shape(3), 0, 0, 1);
        assertValues(v.ge(1), shape(3), 1, 0, 1);
        assertValues(Tensor.scalar(2).pow(3f), shape(), 8);
    }

    @Test
    void specialValues() {
        Tensor x = Tensor.vector(1, -1, 0, 0, NAN, INF, -INF, INF, 2);
        Tensor y = Tensor.vector(0, 0, 0, NAN, 1, INF, INF, 1, -INF);
        assertValues(x.add(y), shape(9), 1, -1, 0, NAN, NAN, INF, NAN, INF, -INF);
        assertValues(x.sub(y), shape(9), 1, -1, 0, NAN, NAN, NAN, -INF, INF, INF);
        assertValues(x.mul(y), shape(9), 0, -0f, 0, NAN, NAN, INF, -INF, INF, -INF);
        assertValues(x.div(y), shape(9), INF, -INF, NAN, NAN, NAN, NAN, NAN, INF, -0f);
        assertValues(x.maximum(y), shape(9), 1, 0, 0, NAN, NAN, INF, INF, INF, 2);
        assertValues(x.minimum(y), shape(9), 0, -1, 0, NAN, NAN, INF, -INF, 1, -INF);
        assertValues(x.eq(y), shape(9), 0, 0, 1, 0, 0, 1, 0, 0, 0);
        assertValues(x.ne(y), shape(9), 1, 1, 0, 1, 1, 0, 1, 1, 1);
        assertValues(x.lt(y), shape(9), 0, 1, 0, 0, 0, 0, 1, 0, 0);
        assertValues(x.le(y), shape(9), 0, 1, 1, 0, 0, 1, 1, 0, 0);
        assertValues(x.gt(y), shape(9), 1, 0, 0, 0, 0, 0, 0, 1, 1);
        assertValues(x.ge(y), shape(9), 1, 0, 1, 0, 0, 1, 0, 1, 1);
        // pow as C/IEEE 754 pow (and PyTorch): x^0 = 1 even for NaN; 0^negative = inf
        Tensor b = Tensor.vector(NAN, 0, 0, -8, 2, -2, 4);
        Tensor e = Tensor.vector(0, 0, -1, 1f / 3, -1, 3, 0.5f);
        assertValues(b.pow(e), shape(7), 1, 1, INF, NAN, 0.5f, -8, 2);
    }

    @Test
    void powOfOneAndMinusOneFollowsIeee() {
        // IEEE 754 pow (C's pow, which PyTorch uses): pow(1, y) = 1 for every y, even NaN; pow(-1, ±inf) = 1
        Tensor b = Tensor.vector(1, 1, 1, -1, -1);
        Tensor e = Tensor.vector(NAN, INF, -INF, INF, -INF);
        assertValues(b.pow(e), shape(5), 1, 1, 1, 1, 1);
        assertValues(Tensor.vector(1, -1, -1).pow(INF), shape(3), 1, 1, 1);
        assertValues(Tensor.vector(1).pow(NAN), shape(1), 1);
    }

    // ------------------------------------------------------------------ every op, every layout, both paths

    @Test
    void everyOpOverBroadcastShapes() {
        List<Tensor[]> cases = new ArrayList<>();
        cases.add(new Tensor[] {filled(1, 3, 37), filled(2, 37)}); // row broadcast, vector body + tail
        cases.add(new Tensor[] {filled(3, 37), filled(4, 3, 37)});
        cases.add(new Tensor[] {filled(5, 5, 1, 37), filled(6, 4, 1)}); // inner stride 1 vs 0
        cases.add(new Tensor[] {filled(7, 4, 1), filled(8, 5, 1, 37)});
        cases.add(new Tensor[] {filled(9, 2, 3, 1), filled(10, 1, 1, 17)});
        cases.add(new Tensor[] {Tensor.scalar(1.5f), filled(11, 40)}); // rank 0
        cases.add(new Tensor[] {filled(12, 41), Tensor.scalar(-0.5f)});
        cases.add(new Tensor[] {Tensor.scalar(2f), Tensor.scalar(-1f)});
        cases.add(new Tensor[] {filled(13, 1, 1), filled(14, 33)});
        cases.add(new Tensor[] {filled(15, 64), filled(16, 64)});
        for (Tensor[] c : cases) checkAllOps(c[0], c[1]);
    }

    @Test
    void everyOpWithEmptyDims() {
        Tensor[][] cases = {
            {Tensor.zeros(0, 3), filled(1, 3)},
            {filled(2, 2, 1), Tensor.zeros(2, 0)},
            {Tensor.zeros(0), filled(3, 1)},
            {Tensor.zeros(1, 0), filled(4, 3, 1)},
            {Tensor.scalar(1), Tensor.zeros(4, 0, 2)},
        };
        int[][] shapes = {{0, 3}, {2, 0}, {0}, {3, 0}, {4, 0, 2}};
        for (int i = 0; i < cases.length; i++) {
            for (String name : OPS.keySet()) {
                Tensor z = run(name, cases[i][0], cases[i][1]);
                assertShape(z, shapes[i]);
                assertExact(new float[0], z.toArray());
            }
            assertShape(Tensor.where(cases[i][0], cases[i][1], Tensor.scalar(0)), shapes[i]);
        }
    }

    @Test
    void everyOpOnNonContiguousInputs() {
        // transposed: x inner stride 20
        float[] xt = values(37 * 20, 1);
        Tensor transposed = Tensor.of(xt, 37, 20).t(); // [20, 37]
        // sliced with step 2 along the last dim
        Tensor stepped = filled(2, 20, 74).slice(1, 1, 74, 2); // [20, 37]
        // expanded row
        Tensor expanded = filled(3, 37).expand(20, 37);
        // narrowed columns of a wider matrix (contiguous rows, gaps between rows)
        Tensor narrowed = filled(4, 20, 50).narrow(1, 5, 37);
        Tensor contiguous = filled(5, 20, 37);
        Tensor[] all = {transposed, stepped, expanded, narrowed, contiguous};
        for (Tensor x : all)
            for (Tensor y : all) checkAllOps(x, y);
        // non-contiguous against broadcast shapes
        checkAllOps(transposed, filled(6, 37));
        checkAllOps(filled(7, 20, 1), stepped);
        checkAllOps(expanded.unsqueeze(0), filled(8, 3, 1, 1));
        checkAllOps(filled(9, 30, 3).t().slice(1, 0, 30, 3), Tensor.scalar(0.5f));
    }

    @Test
    void largeInputsSplitAcrossThreads() {
        checkAllOps(filled(1, 70_001), filled(2, 70_001)); // one long run split into pieces
        checkAllOps(filled(3, 300, 301), filled(4, 301)); // rows split over the pool
        checkAllOps(filled(5, 301, 300).t(), filled(6, 300, 1));
    }

    // ------------------------------------------------------------------ where

    @Test
    void whereHandComputed() {
        Tensor cond = Tensor.of(new float[] {1, 0, 0, 2}, 2, 2);
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new float[] {-1, -2, -3, -4}, 2, 2);
        assertValues(Tensor.where(cond, a, b), shape(2, 2), 1, -2, -3, 4);
        // broadcast all three: cond [3, 1], a [1, 4], b rank 0
        Tensor c3 = Tensor.of(new float[] {1, 0, 1}, 3, 1);
        Tensor a4 = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
        assertValues(Tensor.where(c3, a4, Tensor.scalar(9)), shape(3, 4), 1, 2, 3, 4, 9, 9, 9, 9, 1, 2, 3, 4);
        // NaN counts as true (non-zero); the chosen NaN or inf value passes through
        assertValues(Tensor.where(Tensor.vector(NAN, 0, -1), Tensor.vector(NAN, 1, INF), Tensor.vector(5, -INF, 6)), shape(3),
                NAN, -INF, INF);
        // masks made by comparisons, and non-contiguous operands
        Tensor x = iotaTensor(3, 4).t(); // [4, 3]
        assertValues(Tensor.where(x.gt(5), x, x.neg()), shape(4, 3), 0, -4, 8, -1, -5, 9, -2, 6, 10, -3, 7, 11);
        assertValues(Tensor.where(Tensor.scalar(1), Tensor.scalar(2), Tensor.scalar(3)), shape(), 2);
        assertValues(Tensor.where(Tensor.scalar(0), Tensor.vector(1, 2), Tensor.vector(3, 4)), shape(2), 3, 4);
    }

    @Test
    void whereAgainstReferenceOnLongAndStridedInputs() {
        int[] s = {6, 45};
        float[] cv = new float[numel(s)];
        for (int i = 0; i < cv.length; i++) cv[i] = i % 3 == 0 ? 0 : (i % 5 == 0 ? NAN : 1);
        Tensor cond = Tensor.of(cv, s);
        Tensor a = filled(1, 45, 6).t(); // [6, 45] transposed layout
        Tensor b = filled(2, 45);
        float[] av = a.toArray(), bv = b.toArray();
        float[] expected = new float[cv.length];
        for (int i = 0; i < cv.length; i++) expected[i] = cv[i] != 0 ? av[i] : bv[i % 45];
        Tensor w = Tensor.where(cond, a, b);
        assertShape(w, 6, 45);
        assertExact(expected, w.toArray());
        Tensor w2 = Tensor.where(cond.slice(1, 0, 45, 2), a.slice(1, 0, 45, 2), Tensor.scalar(-7));
        float[] e2 = new float[6 * 23];
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 23; c++) {
                int i = r * 45 + 2 * c;
                e2[r * 23 + c] = cv[i] != 0 ? av[i] : -7;
            }
        assertExact(e2, w2.toArray());
    }

    // ------------------------------------------------------------------ errors

    @Test
    void incompatibleShapesNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4);
        for (String name : OPS.keySet())
            assertThrowsWith(IllegalArgumentException.class, () -> run(name, a, b),
                    name + ": shapes [2, 3] and [4] cannot be broadcast (dim -1: 3 vs 4)");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).mul(Tensor.zeros(3, 3, 1)),
                "mul: shapes [2, 3, 4] and [3, 3, 1] cannot be broadcast (dim -3: 2 vs 3)");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(0).add(Tensor.zeros(2)),
                "add: shapes [0] and [2] cannot be broadcast (dim -1: 0 vs 2)");
        assertThrowsWith(IllegalArgumentException.class,
                () -> Tensor.where(Tensor.zeros(3), Tensor.zeros(2, 3), Tensor.zeros(2, 2)),
                "where: shapes [2, 3] and [2, 2] cannot be broadcast");
        assertThrowsWith(IllegalArgumentException.class,
                () -> Tensor.where(Tensor.zeros(4), Tensor.zeros(3), Tensor.zeros(1)),
                "where: shapes [4] and [3] cannot be broadcast");
    }

    @Test
    void inputsAreNotModified() {
        Tensor x = Tensor.vector(1, 2, 3), y = Tensor.vector(4, 5, 6);
        for (String name : OPS.keySet()) run(name, x, y);
        assertValues(x, shape(3), 1, 2, 3);
        assertValues(y, shape(3), 4, 5, 6);
    }
}
