package dev.anneal.autograd;

import static dev.anneal.autograd.ForwardAsserts.assertClose;
import static dev.anneal.autograd.ForwardAsserts.assertShape;
import static dev.anneal.autograd.ForwardAsserts.assertThrowsWith;
import static dev.anneal.autograd.ForwardAsserts.assertValues;
import static dev.anneal.autograd.ForwardAsserts.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.tensor.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CreationTest {
    private static final int N = 100_000;

    // ------------------------------------------------------------------ of / vector / scalar

    @Test
    void ofCopiesDataInRowMajorOrder() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(data, 2, 3);
        data[0] = 99; // the tensor holds a copy
        assertValues(t, shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertEquals(6f, t.item(1, 2));
        assertEquals(4f, t.item(-1, 0));
        assertEquals(3f, t.item(0, -1));
        assertArrayEquals(new int[] {3, 1}, t.strides());
        assertTrue(t.isContiguous());
        assertEquals(6, t.numel());
        assertEquals(2, t.rank());
        assertEquals(3, t.size(-1));
        assertTrue(t.isLeaf());
        assertFalse(t.requiresGrad());
    }

    @Test
    void ofWithEmptyShapeIsRankZero() {
        Tensor t = Tensor.of(new float[] {7.5f});
        assertShape(t);
        assertEquals(7.5f, t.item());
        assertEquals(7.5f, t.item());
    }

    @Test
    void ofErrors() {
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3),
                "Tensor.of: 5 values cannot fill shape [2, 3] (6 elements)");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.of(new float[0], 2, -1),
                "Tensor.of: shape [2, -1] has a negative dimension");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.of(null, 2), "Tensor.of: data is null");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(65536, 65536), "more than 2^31-1 elements");
    }

    @Test
    void vectorAndScalar() {
        assertValues(Tensor.vector(3, -1, 2), shape(3), 3, -1, 2);
        assertValues(Tensor.vector(), shape(0));
        Tensor s = Tensor.scalar(-2.5f);
        assertValues(s, shape(), -2.5f);
        assertEquals(-2.5f, s.item());
        assertEquals(1, s.numel());
        assertEquals(0, s.rank());
    }

    @Test
    void itemAndGetErrors() {
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(2).item(),
                "item: only a one-element tensor has an item, this one has shape [2]");
        assertEquals(0f, Tensor.zeros(1, 1, 1).item());
        assertThrowsWith(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).item(0, 3),
                "item: index 3 is out of range for dim 1 of size 3 (shape [2, 3])");
        assertThrowsWith(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).item(-3, 0),
                "item: index -3 is out of range for dim 0 of size 2");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).item(1),
                "item: 1 indices for a tensor of rank 2 (shape [2, 3])");
    }

    // ------------------------------------------------------------------ constant fills

    @Test
    void zerosOnesFull() {
        assertValues(Tensor.zeros(2, 2), shape(2, 2), 0, 0, 0, 0);
        assertValues(Tensor.ones(3), shape(3), 1, 1, 1);
        assertValues(Tensor.full(-1.5f, 1, 2, 1), shape(1, 2, 1), -1.5f, -1.5f);
        assertValues(Tensor.full(Float.NaN, 2), shape(2), Float.NaN, Float.NaN);
        assertValues(Tensor.zeros(), shape(), 0);
        assertValues(Tensor.ones(), shape(), 1);
        assertValues(Tensor.zeros(3, 0, 2), shape(3, 0, 2));
        assertValues(Tensor.ones(0), shape(0));
        Tensor base = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertValues(Tensor.zerosLike(base), shape(3, 2), 0, 0, 0, 0, 0, 0);
        assertValues(Tensor.onesLike(base.t()), shape(2, 3), 1, 1, 1, 1, 1, 1);
        assertValues(Tensor.fullLike(base, 4f), shape(3, 2), 4, 4, 4, 4, 4, 4);
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.ones(-1), "shape [-1] has a negative dimension");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.full(0f, 2, -3), "full: shape [2, -3] has a negative dimension");
    }

    // ------------------------------------------------------------------ arange

    @Test
    void arangeEndOnly() {
        assertValues(Tensor.arange(5), shape(5), 0, 1, 2, 3, 4);
        assertValues(Tensor.arange(2.5f), shape(3), 0, 1, 2);
        assertValues(Tensor.arange(0), shape(0));
        assertValues(Tensor.arange(1), shape(1), 0);
    }

    @Test
    void arangeStartEndStep() {
        assertValues(Tensor.arange(1, 2, 0.25f), shape(4), 1f, 1.25f, 1.5f, 1.75f);
        assertValues(Tensor.arange(-3, 3, 2), shape(3), -3, -1, 1);
        assertValues(Tensor.arange(-3, 4, 2), shape(4), -3, -1, 1, 3);
        // end is excluded even when it falls on the grid
        assertValues(Tensor.arange(2, 8, 3), shape(2), 2, 5);
        assertValues(Tensor.arange(3, 3, 1), shape(0));
        // 0.1f is a hair above 0.1, so exactly ten values as in PyTorch
        Tensor t = Tensor.arange(0, 1, 0.1f);
        assertShape(t, 10);
        for (int i = 0; i < 10; i++) assertEquals(i * 0.1, t.item(i), 1e-6);
    }

    @Test
    void arangeNegativeStep() {
        assertValues(Tensor.arange(5, 0, -1), shape(5), 5, 4, 3, 2, 1);
        assertValues(Tensor.arange(5, 0, -1.5f), shape(4), 5f, 3.5f, 2f, 0.5f);
        assertValues(Tensor.arange(0, -1, -0.5f), shape(2), 0f, -0.5f);
        assertValues(Tensor.arange(1, 1, -1), shape(0));
    }

    @Test
    void arangeErrors() {
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.arange(0, 5, 0), "arange: step must be non-zero, got 0.0");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.arange(0, 5, Float.NaN), "arange: step must be non-zero");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.arange(0, 5, -1),
                "arange: end 5.0 cannot be reached from start 0.0 with step -1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.arange(5, 0, 1), "cannot be reached from start 5.0");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.arange(-1), "cannot be reached");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.arange(0, Float.POSITIVE_INFINITY, 1),
                "arange: start and end must be finite");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.arange(Float.NaN, 1, 1), "must be finite");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.arange(0, 1e10f, 1), "is too many");
    }

    // ------------------------------------------------------------------ linspace

    @Test
    void linspaceValues() {
        assertValues(Tensor.linspace(0, 1, 5), shape(5), 0f, 0.25f, 0.5f, 0.75f, 1f);
        assertValues(Tensor.linspace(1, 0, 3), shape(3), 1f, 0.5f, 0f);
        assertValues(Tensor.linspace(-2, 2, 2), shape(2), -2f, 2f);
        assertValues(Tensor.linspace(3, 3, 4), shape(4), 3, 3, 3, 3);
        Tensor t = Tensor.linspace(0.1f, 0.7f, 7);
        assertShape(t, 7);
        assertEquals(0.1f, t.item(0)); // both ends exact
        assertEquals(0.7f, t.item(6));
        for (int i = 0; i < 7; i++) assertEquals(0.1 + 0.1 * i, t.item(i), 1e-6);
        Tensor odd = Tensor.linspace(-1, 1, 101);
        assertEquals(-1f, odd.item(0));
        assertEquals(1f, odd.item(100));
        assertEquals(0f, odd.item(50), 1e-7);
        for (int i = 0; i < 101; i++) assertEquals(-1 + 0.02 * i, odd.item(i), 1e-6);
    }

    @Test
    void linspaceZeroAndOneSteps() {
        assertValues(Tensor.linspace(0, 10, 0), shape(0));
        assertValues(Tensor.linspace(4, 10, 1), shape(1), 4f); // PyTorch gives start
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.linspace(0, 1, -1),
                "linspace: steps must be non-negative, got -1");
    }

    // ------------------------------------------------------------------ eye

    @Test
    void eyeSquareAndNonSquare() {
        assertValues(Tensor.eye(3), shape(3, 3), 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertValues(Tensor.eye(1), shape(1, 1), 1);
        assertValues(Tensor.eye(0), shape(0, 0));
        assertValues(Tensor.eye(2, 3), shape(2, 3), 1, 0, 0, 0, 1, 0);
        assertValues(Tensor.eye(3, 2), shape(3, 2), 1, 0, 0, 1, 0, 0);
        assertValues(Tensor.eye(2, 0), shape(2, 0));
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.eye(-1), "negative dimension");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.eye(2, -2), "negative dimension");
    }

    // ------------------------------------------------------------------ random

    @Test
    void randIsReproducibleFromTheSeed() {
        float[] a = Tensor.rand(new Generator(42), 3, 5).toArray();
        float[] b = Tensor.rand(new Generator(42), 3, 5).toArray();
        float[] c = Tensor.rand(new Generator(43), 3, 5).toArray();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        // the generator advances: a second draw differs from the first
        Generator g = new Generator(42);
        float[] first = Tensor.rand(g, 15).toArray();
        float[] second = Tensor.rand(g, 15).toArray();
        assertArrayEquals(a, first);
        assertFalse(Arrays.equals(first, second));
        // the values are the generator's floats in row-major order
        Generator h = new Generator(42);
        for (float v : a) assertEquals(h.nextFloat(), v);
        // manualSeed restarts the stream
        g.manualSeed(42);
        assertArrayEquals(a, Tensor.rand(g, 3, 5).toArray());
        assertShape(Tensor.rand(new Generator(1), 2, 0), 2, 0);
        assertShape(Tensor.rand(new Generator(1)));
    }

    @Test
    void randRangeAndMoments() {
        float[] v = Tensor.rand(new Generator(7), N).toArray();
        double[] m = moments(v);
        for (float x : v) assertTrue(x >= 0f && x < 1f, "rand value " + x + " outside [0, 1)");
        assertEquals(0.5, m[0], 0.01);
        assertEquals(1.0 / 12, m[1], 0.003);
        // every tenth of [0, 1) gets about a tenth of the samples
        int[] bins = new int[10];
        for (float x : v) bins[(int) (x * 10)]++;
        for (int b : bins) assertEquals(N / 10.0, b, N / 10.0 * 0.05);
    }

    @Test
    void randnReproducibleAndStandardNormal() {
        float[] a = Tensor.randn(new Generator(5), 4, 4).toArray();
        assertArrayEquals(a, Tensor.randn(new Generator(5), 4, 4).toArray());
        assertFalse(Arrays.equals(a, Tensor.randn(new Generator(6), 4, 4).toArray()));
        float[] v = Tensor.randn(new Generator(11), N).toArray();
        double[] m = moments(v);
        assertEquals(0.0, m[0], 0.02);
        assertEquals(1.0, m[1], 0.03);
        int within1 = 0;
        for (float x : v) {
            assertTrue(Float.isFinite(x));
            if (Math.abs(x) < 1) within1++;
        }
        assertEquals(0.6827, within1 / (double) N, 0.01);
    }

    @Test
    void randintRangeUniformityAndErrors() {
        float[] a = Tensor.randint(new Generator(3), -3, 4, 2, 8).toArray();
        assertArrayEquals(a, Tensor.randint(new Generator(3), -3, 4, 2, 8).toArray());
        float[] v = Tensor.randint(new Generator(9), -3, 4, N).toArray();
        assertFalse(Arrays.equals(Arrays.copyOf(v, 16), Tensor.randint(new Generator(10), -3, 4, 16).toArray()));
        int[] counts = new int[7];
        for (float x : v) {
            assertEquals(Math.rint(x), x, 0.0, "randint gives whole numbers");
            assertTrue(x >= -3 && x < 4, "randint value " + x + " outside [-3, 4)");
            counts[(int) x + 3]++;
        }
        for (int c : counts) assertEquals(N / 7.0, c, N / 7.0 * 0.05);
        assertEquals(0.0, moments(v)[0], 0.03);
        assertValues(Tensor.randint(new Generator(1), 5, 6, 3), shape(3), 5, 5, 5);
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.randint(new Generator(1), 4, 4, 2),
                "randint: expected low < high, got [4, 4)");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.randint(new Generator(1), 5, 1, 2), "expected low < high");
    }

    @Test
    void bernoulliWithScalarProbability() {
        float[] a = Tensor.bernoulli(new Generator(2), 0.3f, 50).toArray();
        assertArrayEquals(a, Tensor.bernoulli(new Generator(2), 0.3f, 50).toArray());
        assertFalse(Arrays.equals(a, Tensor.bernoulli(new Generator(3), 0.3f, 50).toArray()));
        float[] v = Tensor.bernoulli(new Generator(4), 0.3f, N).toArray();
        for (float x : v) assertTrue(x == 0f || x == 1f, "bernoulli gives 0 or 1, got " + x);
        assertEquals(0.3, moments(v)[0], 0.01);
        assertEquals(0.21, moments(v)[1], 0.01);
        assertValues(Tensor.bernoulli(new Generator(4), 0f, 5), shape(5), 0, 0, 0, 0, 0);
        assertValues(Tensor.bernoulli(new Generator(4), 1f, 5), shape(5), 1, 1, 1, 1, 1);
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.bernoulli(new Generator(1), 1.5f, 2),
                "bernoulli: p must be in [0, 1], got 1.5");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.bernoulli(new Generator(1), Float.NaN, 2),
                "p must be in [0, 1]");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.bernoulli(new Generator(1), -0.1f, 2), "p must be in [0, 1]");
    }

    @Test
    void bernoulliWithProbabilityTensor() {
        Tensor probs = Tensor.of(new float[] {0, 1, 0, 1, 1, 0}, 2, 3);
        assertValues(Tensor.bernoulli(new Generator(8), probs), shape(2, 3), 0, 1, 0, 1, 1, 0);
        // a transposed view is read in its logical order
        assertValues(Tensor.bernoulli(new Generator(8), probs.t()), shape(3, 2), 0, 1, 1, 1, 0, 0);
        Tensor half = Tensor.full(0.5f, 2, N / 2);
        assertEquals(0.5, moments(Tensor.bernoulli(new Generator(8), half).toArray())[0], 0.01);
        assertThrowsWith(IllegalArgumentException.class,
                () -> Tensor.bernoulli(new Generator(1), Tensor.vector(0.5f, 0.2f, -1f)),
                "bernoulli: probabilities must be in [0, 1], got -1.0 at flat index 2");
    }

    @Test
    void randomOpsRequireAGenerator() {
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.rand(null, 2), "rand: a Generator is required");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.randn(null, 2), "randn: a Generator is required");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.randint(null, 0, 2, 2), "randint: a Generator is required");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.bernoulli(null, 0.5f, 2), "bernoulli: a Generator is required");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.rand(new Generator(1), -2), "rand: shape [-2] has a negative dimension");
    }

    /** {mean, population variance} in double. */
    private static double[] moments(float[] v) {
        double s = 0;
        for (float x : v) s += x;
        double mean = s / v.length, q = 0;
        for (float x : v) q += (x - mean) * (x - mean);
        return new double[] {mean, q / v.length};
    }

    @Test
    void createdTensorsAreIndependentBuffers() {
        Tensor a = Tensor.zeros(3);
        Tensor b = Tensor.zerosLike(a);
        assertFalse(a.sharesStorageWith(b));
        assertClose(Tensor.full(0.1f, 2), shape(2), 0, 0.1f, 0.1f);
    }
}
