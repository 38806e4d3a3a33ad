package dev.anneal.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.SpecialFunctions;
import dev.anneal.tensor.Generator;
import dev.anneal.testing.Approx;
import dev.anneal.testing.Reference;
import org.junit.jupiter.api.Test;

/** torch.nn.init equivalents: fans and gains against PyTorch's numbers, sample statistics against theory. */
class InitTest {
    private static final Reference REF = Reference.load("layers.txt");

    /** {mean, std, min, max} of the tensor's elements, in double. */
    private static double[] stats(Tensor t) {
        float[] v = t.toArray();
        double sum = 0, sq = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (float x : v) {
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double mean = sum / v.length;
        for (float x : v) sq += (x - mean) * (x - mean);
        return new double[] {mean, Math.sqrt(sq / v.length), min, max};
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }

    // ---------------------------------------------------------------- fans and gains

    @Test
    void fansMatchPyTorch() {
        int cases = 0;
        for (String name : REF.names()) {
            if (!name.startsWith("fan/") || !name.endsWith("/shape")) continue;
            String k = name.substring(0, name.length() - "/shape".length());
            float[] s = REF.get(name).toArray();
            int[] shape = new int[s.length];
            for (int i = 0; i < s.length; i++) shape[i] = (int) s[i];
            float[] expected = REF.get(k + "/in_out").toArray();
            int[] fans = Init.fanInAndFanOut(Tensor.zeros(shape));
            assertArrayEquals(new int[] {(int) expected[0], (int) expected[1]}, fans, k);
            assertEquals(fans[0], Init.fan(Tensor.zeros(shape), "fan_in"));
            assertEquals(fans[1], Init.fan(Tensor.zeros(shape), "FAN_OUT"));
            cases++;
        }
        assertEquals(6, cases);
        assertArrayEquals(new int[] {4 * 9, 8 * 9}, Init.fanInAndFanOut(Tensor.zeros(8, 4, 3, 3)));
    }

    @Test
    void fansNeedTwoDims() {
        for (Tensor t : new Tensor[] {Tensor.zeros(5), Tensor.scalar(1)}) {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> Init.fanInAndFanOut(t)), "fewer than 2 dimensions");
            assertThrows(IllegalArgumentException.class, () -> Init.kaimingUniform(t, new Generator(1)));
            assertThrows(IllegalArgumentException.class, () -> Init.xavierNormal(t, 1, new Generator(1)));
        }
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Init.fan(Tensor.zeros(2, 2), "fan_avg")), "fan_avg", "fan_in");
    }

    @Test
    void gainsMatchPyTorch() {
        int cases = 0;
        for (String name : REF.names()) {
            if (!name.startsWith("gain/")) continue;
            String k = name.substring(5);
            double g;
            if (k.startsWith("leaky_relu_")) g = Init.calculateGain("leaky_relu", Double.parseDouble(k.substring("leaky_relu_".length())));
            else g = Init.calculateGain(k);
            assertEquals(REF.scalar(name), g, 1e-6 * REF.scalar(name), k);
            cases++;
        }
        assertEquals(15, cases);
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu", null), 1e-15);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish")), "swish");
    }

    // ---------------------------------------------------------------- distributions

    @Test
    void uniformAndNormal() {
        double[] u = stats(Init.uniform(Tensor.zeros(200_000), -1, 3, new Generator(1)));
        assertEquals(1, u[0], 0.01);
        assertEquals(4 / Math.sqrt(12), u[1], 0.01);
        assertTrue(u[2] >= -1 && u[3] <= 3 && u[2] < -0.999 && u[3] > 2.999);
        double[] n = stats(Init.normal(Tensor.zeros(200_000), 2, 0.5, new Generator(2)));
        assertEquals(2, n[0], 0.005);
        assertEquals(0.5, n[1], 0.005);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Init.uniform(Tensor.zeros(2), 1, 0, new Generator(1))), "a <= b");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Init.normal(Tensor.zeros(2), 0, -1, new Generator(1))), "std");
    }

    @Test
    void xavier() {
        Tensor t = Tensor.zeros(500, 400);
        double gain = 5.0 / 3, std = gain * Math.sqrt(2.0 / 900), bound = Math.sqrt(3) * std;
        double[] s = stats(Init.xavierUniform(t, gain, new Generator(3)));
        assertTrue(s[2] >= -bound && s[3] <= bound && s[3] > 0.999 * bound);
        assertEquals(std, s[1], 0.01 * std);
        assertEquals(0, s[0], 0.01 * std);
        s = stats(Init.xavierNormal(t, gain, new Generator(4)));
        assertEquals(std, s[1], 0.01 * std);
        assertEquals(0, s[0], 0.01 * std);
    }

    @Test
    void kaimingOnAConvWeight() {
        Tensor t = Tensor.zeros(64, 32, 5, 5); // fan_in 800, fan_out 1600
        double gain = Math.sqrt(2), stdIn = gain / Math.sqrt(800), stdOut = gain / Math.sqrt(1600);
        double[] s = stats(Init.kaimingUniform(t, 0, "fan_in", "relu", new Generator(5)));
        double bound = Math.sqrt(3) * stdIn;
        assertTrue(s[2] >= -bound && s[3] <= bound && s[3] > 0.999 * bound);
        assertEquals(stdIn, s[1], 0.01 * stdIn);
        s = stats(Init.kaimingNormal(t, 0, "fan_out", "relu", new Generator(6)));
        assertEquals(stdOut, s[1], 0.01 * stdOut);
        assertEquals(0, s[0], 0.01 * stdOut);
        // defaults: a = 0 with leaky_relu gives the ReLU gain
        s = stats(Init.kaimingNormal(t, new Generator(7)));
        assertEquals(stdIn, s[1], 0.01 * stdIn);
        // no elements: returned untouched, even with a bad mode, as PyTorch does
        Tensor empty = Tensor.zeros(0, 3);
        assertSame(empty, Init.kaimingUniform(empty, 0, "bad", "relu", new Generator(1)));
    }

    @Test
    void truncNormalStaysInBoundsWithTheTruncatedMoments() {
        checkTruncated(0, 1, -2, 2);
        checkTruncated(1, 2, 0, 3);
        checkTruncated(0, 0.02, -0.04, 0.04); // the ViT-style init
        float[] v = Init.truncNormal(Tensor.zeros(1000), new Generator(1)).toArray();
        for (float x : v) assertTrue(x >= -2 && x <= 2);
        assertThrows(IllegalArgumentException.class, () -> Init.truncNormal(Tensor.zeros(2), 0, 1, 1, -1, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> Init.truncNormal(Tensor.zeros(2), 0, 0, -1, 1, new Generator(1)));
    }

    private static void checkTruncated(double mu, double sigma, double a, double b) {
        double[] s = stats(Init.truncNormal(Tensor.zeros(200_000), mu, sigma, a, b, new Generator(8)));
        double al = (a - mu) / sigma, be = (b - mu) / sigma;
        double pa = SpecialFunctions.normalPdf(al), pb = SpecialFunctions.normalPdf(be);
        double z = SpecialFunctions.normalCdf(be) - SpecialFunctions.normalCdf(al);
        // moments of the truncated normal (Johnson, Kotz and Balakrishnan, vol. 1, §10.1)
        double mean = mu + sigma * (pa - pb) / z;
        double std = sigma * Math.sqrt(1 + (al * pa - be * pb) / z - Math.pow((pa - pb) / z, 2));
        assertTrue(s[2] >= a && s[3] <= b, "range [" + s[2] + ", " + s[3] + "]");
        assertEquals(mean, s[0], 0.01 * std);
        assertEquals(std, s[1], 0.01 * std);
    }

    @Test
    void normalQuantileInvertsTheCdf() {
        for (double p : new double[] {1e-6, 0.001, 0.02, 0.3, 0.5, 0.77, 0.99, 1 - 1e-6})
            assertEquals(p, SpecialFunctions.normalCdf(NormalQuantile.of(p)), 3e-7 * Math.min(p, 1 - p) + 1e-12, "p = " + p);
        assertEquals(0, NormalQuantile.of(0.5), 1e-12);
        assertEquals(1.959963984540054, NormalQuantile.of(0.975), 1e-8);
    }

    // ---------------------------------------------------------------- orthogonal

    @Test
    void orthogonalizeMatchesPyTorchQr() {
        for (String k : new String[] {"tall", "wide", "square"}) {
            Tensor m = REF.get("orthogonal/" + k + "/normal"), q = REF.get("orthogonal/" + k + "/q");
            float[] mv = m.toArray();
            double[] md = new double[mv.length];
            for (int i = 0; i < mv.length; i++) md[i] = mv[i];
            Tensor mine = Tensor.of(Init.orthogonalize(md, m.size(0), m.size(1)), m.shape());
            Approx.assertClose("orthogonal " + k, q, mine, 1e-5, 1e-6);
        }
    }

    @Test
    void orthogonalGivesOrthonormalColumnsOrRows() {
        assertGram(Init.orthogonal(Tensor.zeros(50, 20), new Generator(1)), true, 1);
        assertGram(Init.orthogonal(Tensor.zeros(20, 50), new Generator(2)), false, 1);
        assertGram(Init.orthogonal(Tensor.zeros(30, 30), 2.0, new Generator(3)), true, 2);
        Tensor conv = Init.orthogonal(Tensor.zeros(8, 2, 3, 3), 0.5, new Generator(4)); // rows 8, cols 18
        assertGram(conv.reshape(8, 18), false, 0.5);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Init.orthogonal(Tensor.zeros(4), new Generator(1))),
                "2 or more dimensions", "[4]");
    }

    /** WᵀW (columns) or WWᵀ (rows) equals gain²·I. */
    private static void assertGram(Tensor w, boolean columns, double gain) {
        Tensor gram = columns ? w.t().matmul(w) : w.matmul(w.t());
        int n = gram.size(0);
        Tensor expected = Tensor.eye(n).mul((float) (gain * gain));
        Approx.assertClose("gram", expected, gram, 0, 1e-5 * gain * gain);
    }

    // ---------------------------------------------------------------- in place, no graph

    @Test
    void modifiesInPlaceWithoutRecordingAndReturnsTheTensor() {
        Tensor p = Tensor.zeros(3, 4).requiresGrad(true); // a parameter, while grad mode is on
        assertSame(p, Init.xavierUniform(p, 1, new Generator(1)));
        assertTrue(p.isLeaf() && p.requiresGrad());
        assertSame(p, Init.constant(p, 2.5));
        for (float v : p.toArray()) assertEquals(2.5f, v);
        Init.zeros(p);
        assertArrayEquals(new float[12], p.toArray());
        Init.ones(p);
        for (float v : p.toArray()) assertEquals(1f, v);
        // a strided view is written through to its base
        Tensor base = Tensor.zeros(4, 3);
        Init.normal(base.t(), 0, 1, new Generator(2));
        Tensor again = Init.normal(Tensor.zeros(3, 4), 0, 1, new Generator(2));
        assertArrayEquals(again.toArray(), base.t().toArray());
        // the same seed gives the same values
        assertArrayEquals(Init.kaimingUniform(Tensor.zeros(5, 5), new Generator(9)).toArray(),
                Init.kaimingUniform(Tensor.zeros(5, 5), new Generator(9)).toArray());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Init.uniform(p, 0, 1, null)), "Generator");
    }
}
