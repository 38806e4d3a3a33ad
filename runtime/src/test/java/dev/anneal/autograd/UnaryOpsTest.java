package dev.anneal.autograd;

import static dev.anneal.autograd.ForwardAsserts.assertClose;
import static dev.anneal.autograd.ForwardAsserts.assertExact;
import static dev.anneal.autograd.ForwardAsserts.assertShape;
import static dev.anneal.autograd.ForwardAsserts.assertThrowsWith;
import static dev.anneal.autograd.ForwardAsserts.assertValues;
import static dev.anneal.autograd.ForwardAsserts.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class UnaryOpsTest {
    private static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;
    private static final double REL = 1e-6, ABS = 1e-9;

    /** Each op with its definition from java.lang.Math, and the input domain it is tested on. */
    private static final class Case {
        final UnaryOperator<Tensor> op;
        final DoubleUnaryOperator ref;
        final double lo, hi;

        Case(UnaryOperator<Tensor> op, DoubleUnaryOperator ref, double lo, double hi) {
            this.op = op;
            this.ref = ref;
            this.lo = lo;
            this.hi = hi;
        }
    }

    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        CASES.put("neg", new Case(Tensor::neg, x -> -x, -10, 10));
        CASES.put("exp", new Case(Tensor::exp, Math::exp, -80, 80));
        CASES.put("log", new Case(Tensor::log, Math::log, 1e-6, 1e6));
        CASES.put("sqrt", new Case(Tensor::sqrt, Math::sqrt, 0, 1e4));
        CASES.put("rsqrt", new Case(Tensor::rsqrt, x -> 1 / Math.sqrt(x), 1e-4, 1e4));
        CASES.put("reciprocal", new Case(Tensor::reciprocal, x -> 1 / x, 0.01, 100));
        CASES.put("reciprocalNeg", new Case(Tensor::reciprocal, x -> 1 / x, -100, -0.01));
        CASES.put("abs", new Case(Tensor::abs, Math::abs, -10, 10));
        CASES.put("sign", new Case(Tensor::sign, Math::signum, -3, 3));
        CASES.put("clamp", new Case(t -> t.clamp(-0.5f, 2f), x -> Math.min(Math.max(x, -0.5), 2), -4, 4));
        CASES.put("clampMin", new Case(t -> t.clampMin(0.25f), x -> Math.max(x, 0.25), -4, 4));
        CASES.put("clampMax", new Case(t -> t.clampMax(-1f), x -> Math.min(x, -1), -4, 4));
        CASES.put("relu", new Case(Tensor::relu, x -> x > 0 ? x : 0, -5, 5));
        CASES.put("leakyRelu", new Case(t -> t.leakyRelu(0.01f), x -> x > 0 ? x : 0.01 * x, -5, 5));
        CASES.put("leakyRelu0.3", new Case(t -> t.leakyRelu(0.3f), x -> x > 0 ? x : 0.3 * x, -5, 5));
        CASES.put("elu", new Case(t -> t.elu(1f), x -> x > 0 ? x : Math.exp(x) - 1, -10, 5));
        CASES.put("elu2", new Case(t -> t.elu(2f), x -> x > 0 ? x : 2 * (Math.exp(x) - 1), -10, 5));
        CASES.put("sigmoid", new Case(Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), -30, 30));
        CASES.put("tanh", new Case(Tensor::tanh, Math::tanh, -10, 10));
        CASES.put("gelu", new Case(Tensor::gelu, x -> x * 0.5 * (1 + erf(x / Math.sqrt(2))), -4, 4));
        CASES.put("geluNone", new Case(t -> t.gelu("none"), x -> x * 0.5 * (1 + erf(x / Math.sqrt(2))), -4, 4));
        CASES.put("geluTanh", new Case(t -> t.gelu("tanh"),
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), -6, 6));
        CASES.put("softplus", new Case(Tensor::softplus, x -> x > 20 ? x : Math.log(1 + Math.exp(x)), -15, 30));
        CASES.put("softplusBeta", new Case(t -> t.softplus(2f, 4f), x -> 2 * x > 4 ? x : Math.log(1 + Math.exp(2 * x)) / 2, -5, 5));
        CASES.put("square", new Case(t -> t.pow(2f), x -> x * x, -10, 10));
        CASES.put("powHalf", new Case(t -> t.pow(0.5f), Math::sqrt, 0, 100));
        CASES.put("addScalar", new Case(t -> t.add(0.75f), x -> x + 0.75, -10, 10));
        CASES.put("mulScalar", new Case(t -> t.mul(-3f), x -> x * -3, -10, 10));
        CASES.put("rdiv", new Case(t -> t.rdiv(2f), x -> 2 / x, 0.1, 10));
        CASES.put("rsub", new Case(t -> t.rsub(2f), x -> 2 - x, -10, 10));
    }

    /** erf by its Maclaurin series: converges for every x, accurate to ~1e-13 for |x| <= 3. */
    static double erf(double x) {
        double term = x, sum = x;
        for (int n = 1; n < 200 && Math.abs(term) > 1e-17; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    /** n inputs spread over [lo, hi] (every 7th one nudged so the grid is not too regular). */
    static float[] grid(int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double t = n == 1 ? 0.5 : (double) i / (n - 1);
            if (i % 7 == 3) t = Math.min(1, t + 0.3 / n);
            v[i] = (float) (lo + (hi - lo) * t);
        }
        return v;
    }

    static float[] reference(DoubleUnaryOperator f, float[] x) {
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) r[i] = (float) f.applyAsDouble(x[i]);
        return r;
    }

    private static void checkCase(String name, Case c, Tensor x) {
        Tensor y = c.op.apply(x);
        assertShape(y, x.shape());
        try {
            assertClose(reference(c.ref, x.toArray()), y.toArray(), REL, ABS);
        } catch (AssertionError e) {
            throw new AssertionError(name + " on shape " + java.util.Arrays.toString(x.shape()) + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ values against java.lang.Math

    @Test
    void everyOpAtEveryLength() {
        // 1 and 15: scalar tail only; 16, 17, 37: vector body + tail; 1000: many vectors
        for (int n : new int[] {1, 2, 15, 16, 17, 37, 1000})
            for (Map.Entry<String, Case> e : CASES.entrySet())
                checkCase(e.getKey(), e.getValue(), Tensor.of(grid(n, e.getValue().lo, e.getValue().hi), n));
    }

    @Test
    void everyOpOnALongOddLengthSplitAcrossThreads() {
        int n = 1_000_003;
        for (Map.Entry<String, Case> e : CASES.entrySet())
            checkCase(e.getKey(), e.getValue(), Tensor.of(grid(n, e.getValue().lo, e.getValue().hi), n));
    }

    @Test
    void everyOpOnNonContiguousInputs() {
        for (Map.Entry<String, Case> e : CASES.entrySet()) {
            Case c = e.getValue();
            Tensor wide = Tensor.of(grid(40 * 37, c.lo, c.hi), 40, 37);
            checkCase(e.getKey(), c, wide.t()); // inner stride 37
            checkCase(e.getKey(), c, wide.slice(1, 1, 37, 2)); // inner stride 2
            checkCase(e.getKey(), c, wide.narrow(1, 3, 33)); // stride-1 rows with gaps
            checkCase(e.getKey(), c, wide.select(1, 5).unsqueeze(1).expand(40, 20)); // inner stride 0
            checkCase(e.getKey(), c, Tensor.scalar(wide.item(7, 7)));
        }
    }

    @Test
    void emptyInputsGiveEmptyOutputs() {
        for (Map.Entry<String, Case> e : CASES.entrySet()) {
            Tensor y = e.getValue().op.apply(Tensor.zeros(3, 0));
            assertShape(y, 3, 0);
            assertEquals(0, y.toArray().length, e.getKey());
        }
    }

    @Test
    void handComputedValues() {
        Tensor x = Tensor.vector(-2, -0.5f, 0, 1, 3);
        assertValues(x.neg(), shape(5), 2, 0.5f, -0f, -1, -3);
        assertValues(x.abs(), shape(5), 2, 0.5f, 0, 1, 3);
        assertValues(x.sign(), shape(5), -1, -1, 0, 1, 1);
        assertValues(x.relu(), shape(5), 0, 0, 0, 1, 3);
        assertValues(x.leakyRelu(0.1f), shape(5), -0.2f, -0.05f, 0, 1, 3);
        assertValues(x.clamp(-1, 2), shape(5), -1, -0.5f, 0, 1, 2);
        assertValues(x.clampMin(0.5f), shape(5), 0.5f, 0.5f, 0.5f, 1, 3);
        assertValues(x.clampMax(0), shape(5), -2, -0.5f, 0, 0, 0);
        assertValues(x.clamp(1, 1), shape(5), 1, 1, 1, 1, 1);
        assertValues(Tensor.vector(4, 0.25f, 16).sqrt(), shape(3), 2, 0.5f, 4);
        assertValues(Tensor.vector(4, 0.25f, 16).rsqrt(), shape(3), 0.5f, 2, 0.25f);
        assertValues(Tensor.vector(4, -0.25f, 0.5f).reciprocal(), shape(3), 0.25f, -4, 2);
        assertClose(Tensor.vector(0, 1, -1).exp(), shape(3), 1e-6, 1, (float) Math.E, (float) (1 / Math.E));
        assertClose(Tensor.vector(1, (float) Math.E, 0.5f).log(), shape(3), 1e-6, 0, 1, (float) Math.log(0.5));
        assertClose(Tensor.vector(0, 2).sigmoid(), shape(2), 1e-6, 0.5f, 0.880797078f);
        assertClose(Tensor.vector(0, 1).tanh(), shape(2), 1e-6, 0, 0.761594156f);
        assertClose(Tensor.vector(-1, 1).elu(1), shape(2), 1e-6, -0.632120559f, 1);
        // GELU(1) = Φ(1) = 0.841344746..., GELU(-1) = -Φ(-1)
        assertClose(Tensor.vector(1, -1, 0).gelu(), shape(3), 1e-6, 0.841344746f, -0.158655254f, 0);
        assertClose(Tensor.vector(1, -1, 0).gelu("tanh"), shape(3), 1e-6, 0.841191990f, -0.158808010f, 0);
        assertClose(Tensor.vector(0, 1).softplus(), shape(2), 1e-6, 0.693147181f, 1.313261687f);
        // beta 2, threshold 4: linear once 2x > 4 (x = 3); x = 2 (2x = 4, not above) still uses the log form
        assertClose(Tensor.vector(3, 2, 1).softplus(2, 4), shape(3), 1e-6, 3f, 2.009074f, 1.063464f);
        assertValues(Tensor.vector(25, 21).softplus(), shape(2), 25, 21); // above the default threshold 20: exact x
        assertValues(Tensor.scalar(-3).abs(), shape(), 3);
    }

    // ------------------------------------------------------------------ NaN and infinities

    private static final float[] SPECIAL = {NAN, INF, -INF, 0f, -0f, 1f, -1f, 0.5f};

    /** Checks op on the specials alone, and tiled to 3·16 + 5 elements so they also hit the vector body. */
    private static void special(String name, UnaryOperator<Tensor> op, float... expected) {
        assertEquals(SPECIAL.length, expected.length);
        try {
            assertClose(expected, op.apply(Tensor.vector(SPECIAL)).toArray(), REL, ABS);
            int n = 53;
            float[] x = new float[n], e = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = SPECIAL[i % SPECIAL.length];
                e[i] = expected[i % SPECIAL.length];
            }
            assertClose(e, op.apply(Tensor.vector(x)).toArray(), REL, ABS);
        } catch (AssertionError err) {
            throw new AssertionError(name + ": " + err.getMessage(), err);
        }
    }

    @Test
    void nanAndInfinitiesPropagateAsIeeeSays() {
        double e = Math.E;
        special("neg", Tensor::neg, NAN, -INF, INF, -0f, 0f, -1, 1, -0.5f);
        special("exp", Tensor::exp, NAN, INF, 0, 1, 1, (float) e, (float) (1 / e), (float) Math.sqrt(e));
        special("log", Tensor::log, NAN, INF, NAN, -INF, -INF, 0, NAN, (float) Math.log(0.5));
        special("sqrt", Tensor::sqrt, NAN, INF, NAN, 0, -0f, 1, NAN, (float) Math.sqrt(0.5));
        special("rsqrt", Tensor::rsqrt, NAN, 0, NAN, INF, -INF, 1, NAN, (float) Math.sqrt(2));
        special("reciprocal", Tensor::reciprocal, NAN, 0, -0f, INF, -INF, 1, -1, 2);
        special("abs", Tensor::abs, NAN, INF, INF, 0, 0, 1, 1, 0.5f);
        // NaN stays NaN (IEEE/NumPy; PyTorch 1.13 returns 0 here, tracked upstream as pytorch#41245)
        special("sign", Tensor::sign, NAN, 1, -1, 0, 0, 1, -1, 1);
        special("relu", Tensor::relu, NAN, INF, 0, 0, 0, 1, 0, 0.5f);
        special("leakyRelu", t -> t.leakyRelu(0.1f), NAN, INF, -INF, 0, 0, 1, -0.1f, 0.5f);
        special("elu", t -> t.elu(1f), NAN, INF, -1, 0, 0, 1, (float) Math.expm1(-1), 0.5f);
        special("clamp", t -> t.clamp(-0.5f, 0.75f), NAN, 0.75f, -0.5f, 0, 0, 0.75f, -0.5f, 0.5f);
        special("clampMin", t -> t.clampMin(0f), NAN, INF, 0, 0, 0, 1, 0, 0.5f);
        special("clampMax", t -> t.clampMax(0f), NAN, 0, -INF, 0, 0, 0, -1, 0);
        special("clampInfinite", t -> t.clamp(-INF, INF), NAN, INF, -INF, 0, 0, 1, -1, 0.5f);
        float s1 = (float) (1 / (1 + Math.exp(-1))), s5 = (float) (1 / (1 + Math.exp(-0.5)));
        special("sigmoid", Tensor::sigmoid, NAN, 1, 0, 0.5f, 0.5f, s1, 1 - s1, s5);
        special("tanh", Tensor::tanh, NAN, 1, -1, 0, 0, (float) Math.tanh(1), (float) -Math.tanh(1), (float) Math.tanh(0.5));
        special("softplus", Tensor::softplus, NAN, INF, 0, (float) Math.log(2), (float) Math.log(2),
                (float) Math.log1p(e), (float) Math.log1p(1 / e), (float) Math.log1p(Math.sqrt(e)));
        special("square", t -> t.pow(2f), NAN, INF, INF, 0, 0, 1, 1, 0.25f);
        special("pow0", t -> t.pow(0f), 1, 1, 1, 1, 1, 1, 1, 1);
        special("addScalar", t -> t.add(1f), NAN, INF, -INF, 1, 1, 2, 0, 1.5f);
        special("mulScalar", t -> t.mul(2f), NAN, INF, -INF, 0, -0f, 2, -2, 1);
    }

    @Test
    void geluAndSigmoidAtLargeMagnitudes() {
        // the exact GELU is x for large x and vanishes for large negative x; +inf stays inf, NaN stays NaN
        assertClose(new float[] {10, 0, INF, NAN}, Tensor.vector(10, -10, INF, NAN).gelu().toArray(), REL, 1e-12);
        assertClose(new float[] {10, 0, INF, NAN}, Tensor.vector(10, -10, INF, NAN).gelu("tanh").toArray(), REL, 1e-12);
        float[] big = new float[40];
        for (int i = 0; i < big.length; i++) big[i] = i % 2 == 0 ? 100 : -100;
        float[] sig = Tensor.vector(big).sigmoid().toArray();
        float[] th = Tensor.vector(big).tanh().toArray();
        float[] ex = Tensor.vector(big).exp().toArray();
        for (int i = 0; i < big.length; i++) {
            assertEquals(i % 2 == 0 ? 1f : 0f, sig[i], 1e-30, "sigmoid(" + big[i] + ")");
            assertEquals(i % 2 == 0 ? 1f : -1f, th[i], 0f, "tanh(" + big[i] + ")");
            assertEquals(i % 2 == 0 ? INF : 3.72e-44f, ex[i], i % 2 == 0 ? 0f : 2e-45f, "exp(" + big[i] + ") in float (subnormal)");
            assertFalse(Float.isNaN(sig[i]));
        }
        // softplus of a very negative input underflows to 0 rather than giving NaN
        assertClose(new float[] {0}, Tensor.vector(-200).softplus().toArray(), REL, 1e-30);
    }

    // ------------------------------------------------------------------ argument errors

    @Test
    void argumentErrors() {
        Tensor x = Tensor.vector(1, 2);
        assertThrowsWith(IllegalArgumentException.class, () -> x.clamp(2, 1), "clamp: min 2.0 is greater than max 1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> x.softplus(0, 20), "softplus: beta must be non-zero, got 0.0");
        assertThrowsWith(IllegalArgumentException.class, () -> x.softplus(NAN, 20), "softplus: beta must be non-zero, got NaN");
        assertThrowsWith(IllegalArgumentException.class, () -> x.gelu("erf"),
                "gelu: approximate must be \"none\" or \"tanh\", got \"erf\"");
    }

    @Test
    void opsDoNotModifyTheirInput() {
        float[] v = grid(37, -3, 3);
        Tensor x = Tensor.vector(v);
        for (Case c : CASES.values()) c.op.apply(x);
        assertExact(v, x.toArray());
    }
}
