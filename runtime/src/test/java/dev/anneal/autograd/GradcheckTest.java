package dev.anneal.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite-difference checks of every differentiable op's backward rule, on seeded random shapes
 * (broadcasting pairs, size-1 and size-0 dims, non-contiguous views built inside the function).
 */
class GradcheckTest {

    // ------------------------------------------------------------------ value domains

    /** Draws one input value. */
    interface Domain {
        float sample(Generator g);
    }

    static final Domain NORMAL = g -> (float) g.nextGaussian();
    /** Normal, but |x| >= 0.1: clear of kinks at 0 (abs, relu, leakyRelu, elu). */
    static final Domain AWAY = reject(NORMAL, x -> Math.abs(x) < 0.1);
    /** [0.5, 2): for log, sqrt, rsqrt, pow bases. */
    static final Domain POS = g -> 0.5f + 1.5f * g.nextFloat();
    /** ±[0.5, 2): for denominators. */
    static final Domain NONZERO = g -> (g.nextFloat() < 0.5f ? -1f : 1f) * (0.5f + 1.5f * g.nextFloat());

    static Domain reject(Domain base, DoublePredicate bad) {
        return g -> {
            float x;
            do x = base.sample(g); while (bad.test(x));
            return x;
        };
    }

    static Domain scaled(Domain d, float k) {
        return g -> k * d.sample(g);
    }

    static Tensor sample(Generator g, Domain d, int... shape) {
        float[] v = new float[Shape.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = d.sample(g);
        return Tensor.of(v, shape);
    }

    /** All-distinct values, at least 0.15 apart, in random order: no ties for max/min. */
    static Tensor distinct(Generator g, int... shape) {
        int n = Shape.numel(shape);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i - n / 2f) * 0.15f;
        for (int i = n - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.of(v, shape);
    }

    static int[] randShape(Generator g, int rank, int lo, int hi) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = lo + g.nextInt(hi - lo + 1);
        return s;
    }

    /** A shape that broadcasts with s: some leading dims dropped, some dims set to 1. */
    static int[] partner(Generator g, int[] s) {
        int drop = g.nextInt(s.length + 1);
        int[] p = Arrays.copyOfRange(s, drop, s.length);
        for (int i = 0; i < p.length; i++) if (g.nextInt(3) == 0) p[i] = 1;
        return p;
    }

    // ------------------------------------------------------------------ non-contiguous inputs

    /** Shape of a leaf from which {@link #ncView} cuts a non-contiguous view of the given shape. */
    static int[] ncLeafShape(int[] s) {
        int r = s.length;
        if (r == 0) return new int[] {2};
        if (r == 1) return new int[] {s[0], 2};
        int[] l = new int[r + 1];
        l[0] = 2;
        System.arraycopy(s, 0, l, 1, r);
        l[r - 1 + 1] = s[r - 2];
        l[r - 2 + 1] = s[r - 1];
        return l;
    }

    /** A view of the given rank with an offset and non-unit strides (select + transpose). */
    static Tensor ncView(Tensor leaf, int rank) {
        if (rank == 0) return leaf.select(0, 1);
        if (rank == 1) return leaf.select(1, 0);
        return leaf.select(0, 1).transpose(-1, -2);
    }

    // ------------------------------------------------------------------ the check

    static final long[] SEEDS = {7, 1234, 99991};

    /**
     * GradCheck with every input marked as requiring grad; afterwards every input's gradient must
     * exist and have the input's shape (an empty tensor of that shape for a size-0 input).
     */
    static void check(Function<Tensor[], Tensor> fn, GradCheck.Options opt, Tensor... inputs) {
        Tensor[][] leaves = new Tensor[1][];
        for (Tensor t : inputs) t.requiresGrad(true);
        GradCheck.check(ls -> {
            if (leaves[0] == null) leaves[0] = ls;
            return fn.apply(ls);
        }, opt, inputs);
        for (int i = 0; i < inputs.length; i++) {
            Tensor gr = leaves[0][i].grad();
            assertNotNull(gr, "input " + i + " got no gradient");
            assertArrayEquals(inputs[i].shape(), gr.shape(), "gradient shape of input " + i);
            assertEquals(inputs[i].numel(), gr.toArray().length);
        }
    }

    static void check(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        check(fn, GradCheck.Options.DEFAULT, inputs);
    }

    // ------------------------------------------------------------------ GradCheck itself

    @Test
    void gradcheckFailsOnAWrongGradient() {
        // analytic gradient of x * detach(x) is x, the true derivative is 2x
        Tensor x = sample(new Generator(3), AWAY, 2, 3).requiresGrad(true);
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.check(t -> t[0].mul(t[0].detach()), x));
        assertTrue(e.getMessage().contains("input 0"), e.getMessage());
        // the honest version passes
        GradCheck.check(t -> t[0].mul(t[0]), x);
    }

    @Test
    void gradcheckFailsWhenAGradientIsMissing() {
        // x only reaches the output through detach: analytic 0, numeric exp(x)
        Tensor x = sample(new Generator(4), NORMAL, 4).requiresGrad(true);
        Tensor y = sample(new Generator(5), NORMAL, 4).requiresGrad(true);
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.check(t -> t[0].detach().exp().add(t[1]), x, y));
        assertTrue(e.getMessage().contains("input 0"), e.getMessage());
    }

    @Test
    void gradcheckFailsOnAScaledGradient() {
        // the backward sees 0.5·x·x but the forward computes x·x: a factor 2 wrong
        Tensor x = sample(new Generator(6), AWAY, 5).requiresGrad(true);
        assertThrows(AssertionError.class, () -> GradCheck.check(t -> {
            Tensor half = t[0].mul(t[0]).mul(0.5f);
            return half.add(half.detach());
        }, x));
    }

    @Test
    void gradcheckRejectsInputsWithoutRequiresGrad() {
        assertThrows(IllegalArgumentException.class, () -> GradCheck.check(t -> t[0].exp(), Tensor.ones(3)));
        Tensor x = Tensor.ones(3).requiresGrad(true);
        assertThrows(AssertionError.class, () -> GradCheck.check(t -> t[0].detach().exp(), x));
    }

    // ------------------------------------------------------------------ unary ops

    static final int[][] UNARY_SHAPES = {{}, {5}, {3, 4}, {2, 3, 4}, {2, 1, 3}, {0, 3}, {4, 0, 2}};

    static Arguments u(String name, UnaryOperator<Tensor> f, Domain d) {
        return Arguments.of(name, f, d);
    }

    static Stream<Arguments> unaryOps() {
        return Stream.of(
                u("neg", Tensor::neg, NORMAL),
                u("exp", Tensor::exp, NORMAL),
                u("log", Tensor::log, POS),
                u("sqrt", Tensor::sqrt, POS),
                u("rsqrt", Tensor::rsqrt, POS),
                u("reciprocal", Tensor::reciprocal, NONZERO),
                u("abs", Tensor::abs, AWAY),
                u("clamp", t -> t.clamp(-0.5f, 0.5f), reject(NORMAL, x -> Math.abs(Math.abs(x) - 0.5) < 0.05)),
                u("clampMin", t -> t.clampMin(0.2f), reject(NORMAL, x -> Math.abs(x - 0.2) < 0.05)),
                u("clampMax", t -> t.clampMax(-0.3f), reject(NORMAL, x -> Math.abs(x + 0.3) < 0.05)),
                u("relu", Tensor::relu, AWAY),
                u("leakyRelu(0.01)", t -> t.leakyRelu(0.01f), AWAY),
                u("leakyRelu(0.2)", t -> t.leakyRelu(0.2f), AWAY),
                u("elu(1)", t -> t.elu(1f), AWAY),
                u("elu(0.5)", t -> t.elu(0.5f), AWAY),
                u("sigmoid", Tensor::sigmoid, scaled(NORMAL, 2f)),
                u("tanh", Tensor::tanh, NORMAL),
                u("gelu", Tensor::gelu, scaled(NORMAL, 2f)),
                u("gelu(none)", t -> t.gelu("none"), scaled(NORMAL, 2f)),
                u("gelu(tanh)", t -> t.gelu("tanh"), scaled(NORMAL, 2f)),
                u("softplus", Tensor::softplus, scaled(NORMAL, 3f)),
                // beta·x crosses the threshold 5 at x = 2.5: inputs on both sides, clear of it
                u("softplus(2,5)", t -> t.softplus(2f, 5f), reject(scaled(NORMAL, 2f), x -> Math.abs(x - 2.5) < 0.05)),
                u("addScalar", t -> t.add(1.5f), NORMAL),
                u("subScalar", t -> t.sub(0.7f), NORMAL),
                u("mulScalar", t -> t.mul(-2.5f), NORMAL),
                u("divScalar", t -> t.div(4f), NORMAL),
                u("rsub", t -> t.rsub(2f), NORMAL),
                u("rdiv", t -> t.rdiv(3f), NONZERO),
                u("pow(2)", t -> t.pow(2f), NORMAL),
                u("pow(3)", t -> t.pow(3f), NORMAL),
                u("pow(0.5)", t -> t.pow(0.5f), POS),
                u("pow(-1.5)", t -> t.pow(-1.5f), POS),
                u("pow(0)", t -> t.pow(0f), NORMAL),
                u("pow(1)", t -> t.pow(1f), NORMAL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryOps")
    void unary(String name, UnaryOperator<Tensor> f, Domain d) {
        for (long seed : SEEDS) {
            Generator g = new Generator(seed);
            for (int[] s : UNARY_SHAPES) {
                check(t -> f.apply(t[0]), sample(g, d, s));
                int rank = s.length;
                check(t -> f.apply(ncView(t[0], rank)), sample(g, d, ncLeafShape(s)));
            }
            // a random shape too
            int[] s = randShape(g, 1 + g.nextInt(3), 1, 3);
            check(t -> f.apply(t[0]), sample(g, d, s));
        }
    }

    @Test
    void unaryOnAPartOfTheInputGivesZeroGradientElsewhere() {
        // narrow then exp: the gradient outside the window must be exactly zero
        Tensor x = sample(new Generator(5), NORMAL, 6).requiresGrad(true);
        x.narrow(0, 2, 3).exp().sum().backward();
        float[] gx = x.grad().toArray(), v = x.toArray();
        for (int i = 0; i < 6; i++)
            assertEquals(i >= 2 && i < 5 ? (float) Math.exp(v[i]) : 0f, gx[i], 1e-5f * (1 + Math.abs(gx[i])));
    }

    // ------------------------------------------------------------------ binary ops

    static Arguments b(String name, BinaryOperator<Tensor> f, Domain dx, Domain dy, boolean distinct) {
        return Arguments.of(name, f, dx, dy, distinct);
    }

    static Stream<Arguments> binaryOps() {
        return Stream.of(
                b("add", Tensor::add, NORMAL, NORMAL, false),
                b("sub", Tensor::sub, NORMAL, NORMAL, false),
                b("mul", Tensor::mul, NORMAL, NORMAL, false),
                b("div", Tensor::div, NORMAL, NONZERO, false),
                b("pow", Tensor::pow, POS, NORMAL, false),
                b("maximum", Tensor::maximum, NORMAL, NORMAL, true),
                b("minimum", Tensor::minimum, NORMAL, NORMAL, true));
    }

    static List<int[][]> shapePairs(Generator g) {
        List<int[][]> pairs = new ArrayList<>();
        int[] s = randShape(g, 1 + g.nextInt(3), 1, 4);
        if (Shape.numel(s) > 40) s = new int[] {3, 4};
        int[] p = partner(g, s);
        pairs.add(new int[][] {s, s});
        pairs.add(new int[][] {s, p});
        pairs.add(new int[][] {p, s});
        pairs.add(new int[][] {{}, s});
        pairs.add(new int[][] {s, {1}});
        pairs.add(new int[][] {{3, 1}, {1, 4}});
        pairs.add(new int[][] {{2, 1, 3}, {4, 1}});
        pairs.add(new int[][] {{4}, {2, 3, 1}});
        pairs.add(new int[][] {{0, 3}, {3}});
        pairs.add(new int[][] {{2, 0}, {2, 1}});
        pairs.add(new int[][] {{1}, {0}});
        return pairs;
    }

    /** Samples x and y until every broadcast pair differs by at least 0.05 (no ties in maximum/minimum). */
    static Tensor[] untied(Generator g, Domain dx, Domain dy, int[] sx, int[] sy) {
        for (int attempt = 0; ; attempt++) {
            Tensor x = sample(g, dx, sx), y = sample(g, dy, sy);
            float[] diff = x.sub(y).abs().toArray();
            boolean ok = true;
            for (float v : diff) ok &= v >= 0.05f;
            if (ok) return new Tensor[] {x, y};
            if (attempt > 1000) throw new IllegalStateException("could not sample untied inputs");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryOps")
    void binary(String name, BinaryOperator<Tensor> f, Domain dx, Domain dy, boolean distinct) {
        for (long seed : SEEDS) {
            Generator g = new Generator(seed);
            for (int[][] pair : shapePairs(g)) {
                int[] sx = pair[0], sy = pair[1];
                Tensor[] xy = distinct ? untied(g, dx, dy, sx, sy) : new Tensor[] {sample(g, dx, sx), sample(g, dy, sy)};
                check(t -> f.apply(t[0], t[1]), xy[0], xy[1]);
                // both operands as non-contiguous views of bigger leaves
                Tensor[] nc = distinct ? untied(g, dx, dy, sx, sy) : new Tensor[] {sample(g, dx, sx), sample(g, dy, sy)};
                Tensor lx = embed(g, dx, nc[0]), ly = embed(g, dy, nc[1]);
                int rx = sx.length, ry = sy.length;
                check(t -> f.apply(ncView(t[0], rx), ncView(t[1], ry)), lx, ly);
            }
        }
    }

    /** A leaf of ncLeafShape(v's shape) whose ncView holds exactly v's values (the rest sampled from d). */
    static Tensor embed(Generator g, Domain d, Tensor v) {
        Tensor leaf = sample(g, d, ncLeafShape(v.shape()));
        ncView(leaf, v.rank()).copyFrom(v);
        return leaf;
    }

    @Test
    void binaryWithTheSameTensorOnBothSides() {
        Generator g = new Generator(17);
        check(t -> t[0].mul(t[0]), sample(g, NORMAL, 3, 2));
        check(t -> t[0].div(t[0].add(3f)), sample(g, POS, 4));
        check(t -> t[0].pow(t[0]), sample(g, POS, 5));
        check(t -> t[0].sub(t[0].t()), sample(g, NORMAL, 3, 3));
    }

    @Test
    void binaryOneSideRequiringGrad() {
        Generator g = new Generator(18);
        Tensor c = sample(g, NONZERO, 3, 1), p = sample(g, POS, 3, 1);
        check(t -> t[0].div(c), sample(g, NORMAL, 3, 4));
        check(t -> c.div(t[0]), sample(g, NONZERO, 4));
        check(t -> p.pow(t[0]).add(t[0].pow(c)), sample(g, POS, 3, 4));
    }

    static List<int[][]> whereShapes() {
        return List.of(
                new int[][] {{3, 4}, {3, 4}, {3, 4}},
                new int[][] {{3, 1}, {1, 4}, {}},
                new int[][] {{4}, {3, 4}, {3, 1}},
                new int[][] {{2, 3, 1}, {3, 2}, {1}},
                new int[][] {{0, 3}, {3}, {1}},
                new int[][] {{2, 3}, {0, 1, 3}, {2, 1}});
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void where(long seed) {
        Generator g = new Generator(seed);
        for (int[][] s : whereShapes()) {
            Tensor cond = Tensor.bernoulli(g, 0.5f, s[0]);
            check(t -> Tensor.where(cond, t[0], t[1]), sample(g, NORMAL, s[1]), sample(g, NORMAL, s[2]));
            int ra = s[1].length, rb = s[2].length;
            check(t -> Tensor.where(cond, ncView(t[0], ra), ncView(t[1], rb)),
                    sample(g, NORMAL, ncLeafShape(s[1])), sample(g, NORMAL, ncLeafShape(s[2])));
            // a non-contiguous condition and a constant branch
            Tensor condLeaf = Tensor.bernoulli(g, 0.5f, ncLeafShape(s[0]));
            Tensor nc = ncView(condLeaf, s[0].length);
            check(t -> Tensor.where(nc, t[0], Tensor.scalar(2f)), sample(g, NORMAL, s[1]));
        }
    }

    // ------------------------------------------------------------------ reductions

    static final int[][] DIM_SETS = {{0}, {1}, {2}, {-1}, {0, 2}, {1, 2}, {2, 0}, {0, 1, 2}, {}};

    static int[] reductionShape(Generator g) {
        return randShape(g, 3, 2, 4); // at most 64 elements; every dim >= 2 so var(correction 1) is defined
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void sumAndMean(long seed) {
        Generator g = new Generator(seed);
        int[] s = reductionShape(g);
        check(t -> t[0].sum(), sample(g, NORMAL, s));
        check(t -> t[0].mean(), sample(g, NORMAL, s));
        check(t -> t[0].sum(1), sample(g, NORMAL, s));
        check(t -> t[0].mean(-1), sample(g, NORMAL, s));
        for (int[] dims : DIM_SETS)
            for (boolean keep : new boolean[] {false, true}) {
                check(t -> t[0].sum(dims, keep), sample(g, NORMAL, s));
                check(t -> t[0].mean(dims, keep), sample(g, NORMAL, s));
                check(t -> ncView(t[0], 3).sum(dims, keep), sample(g, NORMAL, ncLeafShape(s)));
                check(t -> ncView(t[0], 3).mean(dims, keep), sample(g, NORMAL, ncLeafShape(s)));
            }
        // rank 0, size-1 and size-0 dims
        check(t -> t[0].sum(), sample(g, NORMAL));
        check(t -> t[0].mean(new int[] {0}, true), sample(g, NORMAL));
        check(t -> t[0].sum(new int[] {1}, false), sample(g, NORMAL, 3, 1, 2));
        check(t -> t[0].sum(), sample(g, NORMAL, 0, 3));
        check(t -> t[0].sum(new int[] {0}, true), sample(g, NORMAL, 0, 3));
        check(t -> t[0].sum(new int[] {1}, false), sample(g, NORMAL, 0, 3));
        check(t -> t[0].mean(new int[] {1}, false), sample(g, NORMAL, 0, 3));
        check(t -> t[0].mean(), sample(g, NORMAL, 2, 0));
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void varAndStd(long seed) {
        Generator g = new Generator(seed);
        int[] s = reductionShape(g);
        // std over two elements is |a - b|/sqrt(2) (or /2): distinct values keep it clear of that kink at a = b
        check(t -> t[0].var(), sample(g, NORMAL, s));
        check(t -> t[0].std(), distinct(g, s));
        for (int[] dims : DIM_SETS)
            for (int correction : new int[] {0, 1})
                for (boolean keep : new boolean[] {false, true}) {
                    check(t -> t[0].var(dims, correction, keep), sample(g, NORMAL, s));
                    check(t -> ncView(t[0], 3).var(dims, correction, keep), sample(g, NORMAL, ncLeafShape(s)));
                    check(t -> t[0].std(dims, correction, keep), distinct(g, s));
                    check(t -> ncView(t[0], 3).std(dims, correction, keep), distinct(g, ncLeafShape(s)));
                }
        // size-0 input: the output is empty too
        check(t -> t[0].var(new int[] {1}, 1, false), sample(g, NORMAL, 0, 3));
        check(t -> t[0].std(new int[] {0}, 0, true), sample(g, NORMAL, 3, 0));
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void maxAndMin(long seed) {
        Generator g = new Generator(seed);
        int[] s = reductionShape(g);
        check(t -> t[0].max(), distinct(g, s));
        check(t -> t[0].min(), distinct(g, s));
        check(t -> ncView(t[0], 3).max(), distinct(g, ncLeafShape(s)));
        check(t -> t[0].max(), distinct(g));
        check(t -> t[0].min(), distinct(g, 1));
        for (int d = -3; d < 3; d++)
            for (boolean keep : new boolean[] {false, true}) {
                int dim = d;
                check(t -> t[0].max(dim, keep), distinct(g, s));
                check(t -> t[0].min(dim, keep), distinct(g, s));
                check(t -> ncView(t[0], 3).max(dim, keep), distinct(g, ncLeafShape(s)));
                check(t -> ncView(t[0], 3).min(dim, keep), distinct(g, ncLeafShape(s)));
            }
        check(t -> t[0].max(0, false), distinct(g));
        check(t -> t[0].min(1, true), distinct(g, 3, 1));
        // an empty output along kept dims is fine
        check(t -> t[0].max(1, false), distinct(g, 0, 3));
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void logsumexp(long seed) {
        Generator g = new Generator(seed);
        int[] s = reductionShape(g);
        Domain wide = scaled(NORMAL, 3f);
        for (int d = -3; d < 3; d++) {
            int dim = d;
            check(t -> t[0].logsumexp(dim), sample(g, wide, s));
        }
        for (int[] dims : DIM_SETS)
            for (boolean keep : new boolean[] {false, true}) {
                check(t -> t[0].logsumexp(dims, keep), sample(g, wide, s));
                check(t -> ncView(t[0], 3).logsumexp(dims, keep), sample(g, wide, ncLeafShape(s)));
            }
        // large values: the max shift must keep it finite and correct
        // outputs near 80 carry float32 rounding of ~5e-6, which the default 1e-3 step turns into
        // ~2e-3 of finite-difference noise; a 1e-2 step keeps the noise well under atol (the
        // function is smooth, so the larger step costs no accuracy)
        GradCheck.Options coarse = new GradCheck.Options(1e-2, 1e-3, 1e-2, 1234L);
        check(t -> t[0].add(80f).logsumexp(1), coarse, sample(g, NORMAL, 3, 4));
        check(t -> t[0].logsumexp(new int[] {0}, false), sample(g, NORMAL));
        check(t -> t[0].logsumexp(1), sample(g, NORMAL, 0, 3));
        check(t -> t[0].logsumexp(new int[] {0}, true), sample(g, NORMAL, 3, 0));
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void softmaxAndLogSoftmax(long seed) {
        Generator g = new Generator(seed);
        int[] s = reductionShape(g);
        Domain wide = scaled(NORMAL, 2f);
        for (int d = -3; d < 3; d++) {
            int dim = d;
            check(t -> t[0].softmax(dim), sample(g, wide, s));
            check(t -> t[0].logSoftmax(dim), sample(g, wide, s));
            check(t -> ncView(t[0], 3).softmax(dim), sample(g, wide, ncLeafShape(s)));
            check(t -> ncView(t[0], 3).logSoftmax(dim), sample(g, wide, ncLeafShape(s)));
        }
        check(t -> t[0].softmax(0), sample(g, wide, 7));
        check(t -> t[0].logSoftmax(-1), sample(g, wide, 7));
        check(t -> t[0].softmax(0), sample(g, wide));
        check(t -> t[0].logSoftmax(0), sample(g, wide));
        check(t -> t[0].softmax(1), sample(g, wide, 4, 1));
        check(t -> t[0].add(100f).softmax(1), sample(g, NORMAL, 3, 4));
        check(t -> t[0].softmax(1), sample(g, wide, 0, 3));
        check(t -> t[0].logSoftmax(0), sample(g, wide, 0, 3));
        check(t -> t[0].softmax(1), sample(g, wide, 2, 0));
    }

    // ------------------------------------------------------------------ matmul

    static Stream<Arguments> matmulShapes() {
        return Stream.of(
                Arguments.of("dot", new int[] {5}, new int[] {5}),
                Arguments.of("vec-mat", new int[] {4}, new int[] {4, 3}),
                Arguments.of("mat-vec", new int[] {3, 4}, new int[] {4}),
                Arguments.of("mat-mat", new int[] {3, 4}, new int[] {4, 5}),
                Arguments.of("mat-mat 1xk", new int[] {1, 4}, new int[] {4, 1}),
                Arguments.of("batched", new int[] {2, 3, 4}, new int[] {2, 4, 3}),
                Arguments.of("batch x mat", new int[] {2, 3, 4}, new int[] {4, 2}),
                Arguments.of("mat x batch", new int[] {3, 4}, new int[] {2, 4, 2}),
                Arguments.of("batch 1 x batch", new int[] {1, 2, 3}, new int[] {3, 3, 2}),
                Arguments.of("4-d broadcast", new int[] {2, 1, 2, 3}, new int[] {3, 3, 2}),
                Arguments.of("vec x batch", new int[] {3}, new int[] {2, 3, 4}),
                Arguments.of("batch x vec", new int[] {2, 4, 3}, new int[] {3}),
                Arguments.of("k = 0", new int[] {3, 0}, new int[] {0, 2}),
                Arguments.of("m = 0", new int[] {0, 3}, new int[] {3, 2}),
                Arguments.of("empty batch", new int[] {0, 2, 3}, new int[] {3, 2}),
                Arguments.of("empty dot", new int[] {0}, new int[] {0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matmulShapes")
    void matmul(String name, int[] sa, int[] sb) {
        for (long seed : SEEDS) {
            Generator g = new Generator(seed);
            check(t -> t[0].matmul(t[1]), sample(g, NORMAL, sa), sample(g, NORMAL, sb));
            // transposed / strided operands
            int ra = sa.length, rb = sb.length;
            check(t -> ncView(t[0], ra).matmul(ncView(t[1], rb)),
                    sample(g, NORMAL, ncLeafShape(sa)), sample(g, NORMAL, ncLeafShape(sb)));
            // one side without grad
            Tensor constB = sample(g, NORMAL, sb);
            check(t -> t[0].matmul(constB), sample(g, NORMAL, sa));
        }
    }

    @Test
    void matmulWithTransposedLeaves() {
        Generator g = new Generator(21);
        check(t -> t[0].t().matmul(t[1]), sample(g, NORMAL, 4, 3), sample(g, NORMAL, 4, 2));
        check(t -> t[0].matmul(t[1].t()), sample(g, NORMAL, 3, 4), sample(g, NORMAL, 2, 4));
        check(t -> t[0].transpose(1, 2).matmul(t[1].permute(0, 2, 1)), sample(g, NORMAL, 2, 4, 3), sample(g, NORMAL, 2, 2, 4));
        check(t -> t[0].matmul(t[0].t()), sample(g, NORMAL, 3, 4));
        // a broadcast (expanded) operand
        check(t -> t[0].unsqueeze(0).expand(3, 4).matmul(t[1]), sample(g, NORMAL, 4), sample(g, NORMAL, 4, 2));
        check(t -> t[0].slice(1, 0, 6, 2).matmul(t[1].slice(0, 1, 6, 2)), sample(g, NORMAL, 3, 6), sample(g, NORMAL, 6, 2));
    }

    // ------------------------------------------------------------------ views

    static Stream<Arguments> viewOps() {
        return Stream.of(
                Arguments.of("reshape", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) t -> t.reshape(4, 6)),
                Arguments.of("reshape -1", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) t -> t.reshape(-1, 2)),
                Arguments.of("reshape to rank 0", new int[] {1, 1}, (UnaryOperator<Tensor>) t -> t.reshape()),
                Arguments.of("reshape from rank 0", new int[] {}, (UnaryOperator<Tensor>) t -> t.reshape(1, 1)),
                Arguments.of("reshape of transpose (copy)", new int[] {3, 4}, (UnaryOperator<Tensor>) t -> t.t().reshape(2, 6)),
                Arguments.of("reshape size 0", new int[] {0, 3}, (UnaryOperator<Tensor>) t -> t.reshape(3, 0, 2)),
                Arguments.of("view", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) t -> t.view(6, 4)),
                Arguments.of("view of transpose", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) t -> t.transpose(0, 1).view(3, 2, 2, 2)),
                Arguments.of("flatten", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) Tensor::flatten),
                Arguments.of("flatten of permute", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) t -> t.permute(2, 0, 1).flatten()),
                Arguments.of("flatten(1,2)", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) t -> t.flatten(1, 2)),
                Arguments.of("flatten(0,-2)", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) t -> t.flatten(0, -2)),
                Arguments.of("transpose", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) t -> t.transpose(0, 2)),
                Arguments.of("transpose -1 -2", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) t -> t.transpose(-1, -2)),
                Arguments.of("permute", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) t -> t.permute(1, 2, 0)),
                Arguments.of("permute negative", new int[] {2, 3, 4}, (UnaryOperator<Tensor>) t -> t.permute(-1, 0, -2)),
                Arguments.of("t", new int[] {3, 5}, (UnaryOperator<Tensor>) Tensor::t),
                Arguments.of("t of vector", new int[] {5}, (UnaryOperator<Tensor>) Tensor::t),
                Arguments.of("narrow", new int[] {4, 5}, (UnaryOperator<Tensor>) t -> t.narrow(1, 1, 3)),
                Arguments.of("narrow negative start", new int[] {4, 5}, (UnaryOperator<Tensor>) t -> t.narrow(0, -2, 2)),
                Arguments.of("narrow to 0", new int[] {4, 5}, (UnaryOperator<Tensor>) t -> t.narrow(1, 2, 0)),
                Arguments.of("narrow of narrow", new int[] {6, 5}, (UnaryOperator<Tensor>) t -> t.narrow(0, 1, 4).narrow(0, 2, 2)),
                Arguments.of("slice step 2", new int[] {7, 3}, (UnaryOperator<Tensor>) t -> t.slice(0, 1, 7, 2)),
                Arguments.of("slice step 3 dim 1", new int[] {2, 8}, (UnaryOperator<Tensor>) t -> t.slice(1, 0, 8, 3)),
                Arguments.of("slice negative", new int[] {9}, (UnaryOperator<Tensor>) t -> t.slice(0, -6, -1, 2)),
                Arguments.of("slice clipped end", new int[] {3, 5}, (UnaryOperator<Tensor>) t -> t.slice(1, 2, 100)),
                Arguments.of("slice empty", new int[] {3, 5}, (UnaryOperator<Tensor>) t -> t.slice(1, 4, 2, 1)),
                Arguments.of("slice of slice", new int[] {12}, (UnaryOperator<Tensor>) t -> t.slice(0, 1, 12, 2).slice(0, 1, 6, 2)),
                Arguments.of("select", new int[] {3, 4}, (UnaryOperator<Tensor>) t -> t.select(1, 2)),
                Arguments.of("select negative", new int[] {3, 4, 2}, (UnaryOperator<Tensor>) t -> t.select(-3, -1)),
                Arguments.of("select to rank 0", new int[] {4}, (UnaryOperator<Tensor>) t -> t.select(0, 3)),
                Arguments.of("squeeze", new int[] {1, 3, 1, 4}, (UnaryOperator<Tensor>) Tensor::squeeze),
                Arguments.of("squeeze dim", new int[] {3, 1, 4}, (UnaryOperator<Tensor>) t -> t.squeeze(1)),
                Arguments.of("squeeze non-1 dim", new int[] {3, 4}, (UnaryOperator<Tensor>) t -> t.squeeze(0)),
                Arguments.of("unsqueeze", new int[] {3, 4}, (UnaryOperator<Tensor>) t -> t.unsqueeze(1)),
                Arguments.of("unsqueeze -1", new int[] {3, 4}, (UnaryOperator<Tensor>) t -> t.unsqueeze(-1)),
                Arguments.of("unsqueeze rank 0", new int[] {}, (UnaryOperator<Tensor>) t -> t.unsqueeze(0)),
                Arguments.of("expand", new int[] {3, 1}, (UnaryOperator<Tensor>) t -> t.expand(3, 4)),
                Arguments.of("expand new dims", new int[] {1, 4}, (UnaryOperator<Tensor>) t -> t.expand(2, 3, 4)),
                Arguments.of("expand -1", new int[] {2, 1, 3}, (UnaryOperator<Tensor>) t -> t.expand(4, -1, 2, -1)),
                Arguments.of("expand rank 0", new int[] {}, (UnaryOperator<Tensor>) t -> t.expand(2, 3)),
                Arguments.of("expand to 0", new int[] {1, 3}, (UnaryOperator<Tensor>) t -> t.expand(0, 3)),
                Arguments.of("contiguous", new int[] {3, 4}, (UnaryOperator<Tensor>) Tensor::contiguous),
                Arguments.of("contiguous of transpose", new int[] {3, 4}, (UnaryOperator<Tensor>) t -> t.t().contiguous()),
                Arguments.of("clone", new int[] {3, 4}, (UnaryOperator<Tensor>) Tensor::clone),
                Arguments.of("clone of slice", new int[] {3, 6}, (UnaryOperator<Tensor>) t -> t.slice(1, 1, 6, 2).clone()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("viewOps")
    void view(String name, int[] shape, UnaryOperator<Tensor> f) {
        for (long seed : SEEDS) {
            Generator g = new Generator(seed);
            check(t -> f.apply(t[0]), sample(g, NORMAL, shape));
            // followed by an op, so the view's gradient goes through another node first
            check(t -> f.apply(t[0]).mul(f.apply(t[0]).add(1f)).tanh(), sample(g, NORMAL, shape));
            if (!name.startsWith("view")) { // view of a non-contiguous input may legitimately refuse
                int rank = shape.length;
                check(t -> f.apply(ncView(t[0], rank)), sample(g, NORMAL, ncLeafShape(shape)));
            }
        }
    }

    @Test
    void overlappingViewsOfOneLeafSumTheirGradients() {
        Generator g = new Generator(31);
        check(t -> t[0].narrow(0, 0, 3).mul(t[0].narrow(0, 1, 3)), sample(g, NORMAL, 4, 2));
        check(t -> t[0].add(t[0].t()).select(0, 1), sample(g, NORMAL, 3, 3));
        check(t -> t[0].expand(3, 3).mul(t[0].t().expand(3, 3)), sample(g, NORMAL, 1, 3));
    }

    // ------------------------------------------------------------------ joining, splitting, indexing

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void catAndStack(long seed) {
        Generator g = new Generator(seed);
        check(t -> Tensor.cat(List.of(t[0], t[1], t[2]), 0),
                sample(g, NORMAL, 2, 3), sample(g, NORMAL, 1, 3), sample(g, NORMAL, 3, 3));
        check(t -> Tensor.cat(List.of(t[0], t[1]), 1), sample(g, NORMAL, 2, 3), sample(g, NORMAL, 2, 2));
        check(t -> Tensor.cat(List.of(t[0], t[1]), -1), sample(g, NORMAL, 2, 3, 1), sample(g, NORMAL, 2, 3, 4));
        check(t -> Tensor.cat(List.of(t[0], t[1], t[0]), 0), sample(g, NORMAL, 3), sample(g, NORMAL, 2));
        check(t -> Tensor.cat(List.of(t[0].t(), ncView(t[1], 2)), 1), sample(g, NORMAL, 3, 2), sample(g, NORMAL, ncLeafShape(new int[] {2, 4})));
        check(t -> Tensor.cat(List.of(t[0], t[1], t[2]), 1),
                sample(g, NORMAL, 2, 2), sample(g, NORMAL, 2, 0), sample(g, NORMAL, 2, 3));
        check(t -> Tensor.cat(List.of(t[0]), 0), sample(g, NORMAL, 0, 2));
        check(t -> Tensor.stack(List.of(t[0], t[1], t[2]), 0), sample(g, NORMAL, 2, 3), sample(g, NORMAL, 2, 3), sample(g, NORMAL, 2, 3));
        check(t -> Tensor.stack(List.of(t[0], t[1]), 1), sample(g, NORMAL, 3, 2), sample(g, NORMAL, 3, 2));
        check(t -> Tensor.stack(List.of(t[0], t[1]), -1), sample(g, NORMAL, 3, 2), sample(g, NORMAL, 3, 2));
        check(t -> Tensor.stack(List.of(t[0], t[1]), 0), sample(g, NORMAL), sample(g, NORMAL));
        check(t -> Tensor.stack(List.of(t[0], t[0].t()), 2), sample(g, NORMAL, 3, 3));
        check(t -> Tensor.stack(List.of(t[0], t[1]), 1), sample(g, NORMAL, 0, 2), sample(g, NORMAL, 0, 2));
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void split(long seed) {
        Generator g = new Generator(seed);
        // pieces recombined out of order and scaled differently, so a misrouted gradient shows
        check(t -> {
            List<Tensor> p = t[0].split(2, 0);
            return Tensor.cat(List.of(p.get(2).mul(3f), p.get(0), p.get(1).mul(-2f)), 0);
        }, sample(g, NORMAL, 5, 3));
        check(t -> {
            List<Tensor> p = t[0].split(3, -1);
            return p.get(1).mul(p.get(0).narrow(1, 0, 1));
        }, sample(g, NORMAL, 2, 7));
        check(t -> {
            List<Tensor> p = t[0].split(new int[] {1, 0, 3}, 1);
            return Tensor.cat(List.of(p.get(2), p.get(1).exp(), p.get(0).mul(5f)), 1);
        }, sample(g, NORMAL, 3, 4));
        check(t -> t[0].t().split(new int[] {2, 2}, 0).get(1), sample(g, NORMAL, 3, 4));
        check(t -> t[0].split(2, 0).get(0), sample(g, NORMAL, 0, 3));
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void indexSelect(long seed) {
        Generator g = new Generator(seed);
        Tensor dup = Tensor.vector(2, 0, 2, 1, 2);
        check(t -> t[0].indexSelect(0, dup), sample(g, NORMAL, 3, 4));
        check(t -> t[0].indexSelect(1, Tensor.vector(3, -1, 0)), sample(g, NORMAL, 3, 4));
        Tensor idx1 = Tensor.randint(g, 0, 3, 6);
        check(t -> t[0].indexSelect(-1, idx1), sample(g, NORMAL, 2, 2, 3));
        Tensor idx2 = Tensor.randint(g, 0, 4, 5);
        check(t -> t[0].indexSelect(0, idx2), sample(g, NORMAL, 4));
        check(t -> t[0].t().indexSelect(0, dup), sample(g, NORMAL, 4, 3));
        check(t -> t[0].indexSelect(1, Tensor.zeros(0)), sample(g, NORMAL, 3, 4));
        check(t -> t[0].indexSelect(0, Tensor.vector(1, 1)), sample(g, NORMAL, 2, 0));
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void gather(long seed) {
        Generator g = new Generator(seed);
        Tensor idx3 = Tensor.randint(g, 0, 4, 3, 5);
        check(t -> t[0].gather(1, idx3), sample(g, NORMAL, 3, 4));
        Tensor idx4 = Tensor.randint(g, 0, 3, 2, 4);
        check(t -> t[0].gather(0, idx4), sample(g, NORMAL, 3, 4));
        Tensor idx5 = Tensor.randint(g, 0, 3, 2, 2, 2);
        check(t -> t[0].gather(-1, idx5), sample(g, NORMAL, 2, 3, 3));
        Tensor idx6 = Tensor.randint(g, 0, 4, 2, 3);
        check(t -> t[0].t().gather(0, idx6), sample(g, NORMAL, 3, 4));
        check(t -> t[0].gather(1, Tensor.zeros(3, 0)), sample(g, NORMAL, 3, 4));
        check(t -> t[0].gather(0, Tensor.zeros(0, 2)), sample(g, NORMAL, 0, 2));
    }

    /** An index of the given shape whose entries along dim are distinct (a prefix of a permutation of 0..n-1). */
    static Tensor uniqueIndex(Generator g, int[] shape, int dim, int n) {
        int[] perm = new int[shape.length];
        for (int i = 0; i < shape.length; i++) perm[i] = i;
        perm[dim] = shape.length - 1;
        perm[shape.length - 1] = dim;
        int[] moved = new int[shape.length];
        for (int i = 0; i < shape.length; i++) moved[i] = shape[perm[i]];
        int len = moved[shape.length - 1], rows = len == 0 ? 0 : Shape.numel(moved) / len;
        float[] v = new float[Shape.numel(moved)];
        for (int r = 0; r < rows; r++) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) p[i] = i;
            for (int i = n - 1; i > 0; i--) {
                int j = g.nextInt(i + 1), t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            for (int i = 0; i < len; i++) v[r * len + i] = p[i];
        }
        return Tensor.of(v, moved).permute(perm).contiguous();
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void scatter(long seed) {
        Generator g = new Generator(seed);
        // no duplicate targets: with duplicates only the last write survives and the derivative
        // for the overwritten src entries is 0, which PyTorch's rule (gather) does not model
        Tensor i1 = uniqueIndex(g, new int[] {3, 3}, 1, 5);
        check(t -> t[0].scatter(1, i1, t[1]), sample(g, NORMAL, 3, 5), sample(g, NORMAL, 3, 3));
        Tensor i0 = uniqueIndex(g, new int[] {2, 4}, 0, 3);
        check(t -> t[0].scatter(0, i0, t[1]), sample(g, NORMAL, 3, 4), sample(g, NORMAL, 2, 4));
        // src larger than index: only its corner is read, the rest gets zero gradient
        Tensor i2 = uniqueIndex(g, new int[] {2, 2}, 1, 4);
        check(t -> t[0].scatter(1, i2, t[1]), sample(g, NORMAL, 3, 4), sample(g, NORMAL, 3, 3));
        // non-contiguous self and src
        Tensor i3 = uniqueIndex(g, new int[] {2, 3}, 1, 3);
        check(t -> t[0].t().scatter(1, i3, ncView(t[1], 2)), sample(g, NORMAL, 3, 3), sample(g, NORMAL, ncLeafShape(new int[] {2, 3})));
        // empty index
        check(t -> t[0].scatter(0, Tensor.zeros(0, 2), t[1]), sample(g, NORMAL, 3, 2), sample(g, NORMAL, 0, 2));
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void scatterAdd(long seed) {
        Generator g = new Generator(seed);
        // duplicates are fine for scatterAdd
        Tensor idx7 = Tensor.randint(g, 0, 4, 3, 5);
        check(t -> t[0].scatterAdd(1, idx7, t[1]), sample(g, NORMAL, 3, 4), sample(g, NORMAL, 3, 5));
        Tensor idx8 = Tensor.randint(g, 0, 2, 3, 3);
        check(t -> t[0].scatterAdd(0, idx8, t[1]), sample(g, NORMAL, 2, 3), sample(g, NORMAL, 3, 3));
        Tensor idx9 = Tensor.randint(g, 0, 3, 2, 2, 2);
        check(t -> t[0].scatterAdd(-1, idx9, t[1]), sample(g, NORMAL, 2, 2, 3), sample(g, NORMAL, 2, 3, 3));
        Tensor idx10 = Tensor.randint(g, 0, 3, 2, 2);
        check(t -> t[0].scatterAdd(1, idx10, t[1]), sample(g, NORMAL, 2, 3), sample(g, NORMAL, 3, 4));
        Tensor idx11 = Tensor.randint(g, 0, 3, 3, 2);
        check(t -> t[0].t().scatterAdd(0, idx11, t[1].t()), sample(g, NORMAL, 2, 3), sample(g, NORMAL, 2, 3));
        check(t -> t[0].scatterAdd(1, Tensor.zeros(2, 0), t[1]), sample(g, NORMAL, 2, 3), sample(g, NORMAL, 2, 0));
    }

    // ------------------------------------------------------------------ compositions

    @ParameterizedTest
    @ValueSource(longs = {7, 1234, 99991})
    void smallNetworks(long seed) {
        Generator g = new Generator(seed);
        // linear + gelu + logSoftmax + gather: a classifier loss
        Tensor labels = Tensor.randint(g, 0, 3, 4, 1);
        check(t -> t[0].matmul(t[1]).add(t[2]).gelu().logSoftmax(1).gather(1, labels).mean().neg(),
                sample(g, NORMAL, 4, 5), sample(g, scaled(NORMAL, 0.5f), 5, 3), sample(g, NORMAL, 3));
        // layer norm by hand
        check(t -> {
            Tensor x = t[0];
            Tensor mu = x.mean(new int[] {-1}, true);
            Tensor var = x.var(new int[] {-1}, 0, true);
            return x.sub(mu).div(var.add(1e-5f).sqrt()).mul(t[1]).add(t[2]);
        }, sample(g, NORMAL, 3, 5), sample(g, NORMAL, 5), sample(g, NORMAL, 5));
        // attention scores
        check(t -> t[0].matmul(t[1].transpose(-1, -2)).div((float) Math.sqrt(4)).softmax(-1).matmul(t[2]),
                sample(g, NORMAL, 2, 3, 4), sample(g, NORMAL, 2, 3, 4), sample(g, NORMAL, 2, 3, 2));
    }
}
