package dev.anneal.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;
import org.junit.jupiter.api.Test;

/**
 * Cross entropy over [N, C] with class indices and no label smoothing takes a fused path (statistics
 * only, no log-softmax written out); it must agree with NLL over an explicit log-softmax in value and
 * gradient, with weights, ignored rows and every reduction.
 */
class CrossEntropyFusedPathTest {
    private static void compare(int n, int c, boolean weighted, int ignoreIndex, Reduction red, long seed) {
        Generator g = new Generator(seed);
        float[] xs = Tensor.randn(g, n, c).mul(3f).toArray();
        float[] ts = new float[n];
        for (int i = 0; i < n; i++) ts[i] = i % 5 == 2 && ignoreIndex >= 0 ? ignoreIndex : g.nextInt(c);
        Tensor target = Tensor.of(ts, n);
        Tensor weight = null;
        if (weighted) {
            float[] w = new float[c];
            for (int j = 0; j < c; j++) w[j] = 0.25f + j % 4 * 0.5f;
            weight = Tensor.of(w, c);
        }
        Tensor x1 = Tensor.of(xs.clone(), n, c).requiresGrad(true), x2 = Tensor.of(xs.clone(), n, c).requiresGrad(true);
        Tensor fused = Losses.crossEntropy(x1, target, weight, ignoreIndex, red, 0f);
        Tensor composed = Losses.nllLoss(x2.logSoftmax(1), target, weight, ignoreIndex, red);
        String what = "[" + n + ", " + c + "] " + red + (weighted ? " weighted" : "") + " ignore " + ignoreIndex;
        float[] a = fused.toArray(), b = composed.toArray();
        assertEquals(b.length, a.length, what);
        for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 2e-6 * (Math.abs(b[i]) + 1), what + " loss " + i);
        Tensor up = red == Reduction.NONE ? Tensor.randn(g, n) : null;
        if (up == null) {
            fused.backward();
            composed.backward();
        } else {
            fused.mul(up).sum().backward();
            composed.mul(up).sum().backward();
        }
        float[] ga = x1.grad().toArray(), gb = x2.grad().toArray();
        double scale = 0;
        for (float v : gb) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < ga.length; i++)
            assertEquals(gb[i], ga[i], 1e-5 * Math.abs(gb[i]) + 1e-6 * scale, what + " grad " + i);
        for (int r = 0; r < n; r++)
            if (ts[r] == ignoreIndex)
                for (int j = 0; j < c; j++) assertEquals(0f, ga[r * c + j], what + ": an ignored row gets no gradient");
    }

    @Test
    void agreesWithNllOverLogSoftmax() {
        long seed = 1;
        for (int[] s : new int[][] {{1, 1}, {5, 1}, {37, 10}, {128, 10}, {16, 17}, {33, 3}, {9, 40}})
            for (Reduction red : new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE})
                for (boolean weighted : new boolean[] {false, true}) {
                    compare(s[0], s[1], weighted, -100, red, seed++);
                    if (s[1] > 1) compare(s[0], s[1], weighted, 0, red, seed++);
                }
    }

    @Test
    void largeBatchTotalsAreSummedInFixedBlocks() {
        // more rows than one block of the total: the mean must still be the plain mean
        compare(9000, 10, false, -100, Reduction.MEAN, 77);
        compare(9000, 10, true, 3, Reduction.SUM, 78);
    }

    @Test
    void nanLogitsGiveNaNLossAndBadTargetsAreStillReported() {
        Tensor x = Tensor.of(new float[] {1f, Float.NaN, 0f, 2f, 3f, 4f}, 2, 3);
        Tensor loss = Losses.crossEntropy(x, Tensor.of(new float[] {0f, 2f}, 2), null, -100, Reduction.NONE, 0f);
        float[] l = loss.toArray();
        assertTrue(Float.isNaN(l[0]), "a NaN in a row makes its loss NaN, as in PyTorch");
        assertEquals((float) -(4 - Math.log(Math.exp(2) + Math.exp(3) + Math.exp(4))), l[1], 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(x, Tensor.of(new float[] {0f, 3f}, 2)));
        assertTrue(e.getMessage().contains("target 3 at position 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(x, Tensor.of(new float[] {0.5f, 1f}, 2)));
        assertTrue(e.getMessage().contains("position 0"), e.getMessage());
    }
    /** Without a backward to come (no grad, or an input without grad) the fused path keeps no statistics: the same loss bits. */
    @Test
    void theLossDoesNotDependOnWhetherBackwardFollows() {
        Generator g = new Generator(79);
        Tensor x = Tensor.randn(g, 5000, 10).mul(3f);
        float[] ts = new float[5000];
        for (int i = 0; i < ts.length; i++) ts[i] = i % 9 == 4 ? -100 : g.nextInt(10);
        Tensor target = Tensor.of(ts, 5000);
        for (Reduction red : new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
            float[] plain = Losses.crossEntropy(x, target, null, -100, red, 0f).toArray();
            float[] withGrad = Losses.crossEntropy(x.detach().requiresGrad(true), target, null, -100, red, 0f).toArray();
            float[] noGrad;
            try (var off = dev.anneal.autograd.GradMode.noGrad()) {
                noGrad = Losses.crossEntropy(x.detach().requiresGrad(true), target, null, -100, red, 0f).toArray();
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(withGrad, plain, red + ": input without grad");
            org.junit.jupiter.api.Assertions.assertArrayEquals(withGrad, noGrad, red + ": no-grad mode");
            if (red == Reduction.NONE)
                for (int r = 0; r < ts.length; r++)
                    if (ts[r] < 0) assertEquals(0, Float.floatToRawIntBits(plain[r]), "an ignored row's loss is +0, row " + r);
        }
    }
}
