package dev.anneal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.init.Init;
import dev.anneal.tensor.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Dropout and Dropout2d: mask statistics, exact scaling, gradients, reproducibility, modes and argument checks. */
class DropoutTest {
    private static final int N = 100_000;

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5, 0.9})
    void zeroesAFractionPAndScalesSurvivorsExactly(double p) {
        Tensor x = Tensor.rand(new Generator(3), N).add(0.5f).requiresGrad(true); // no zeros of its own
        Tensor y = new Dropout(p, new Generator(11)).invoke(x);
        float[] xs = x.toArray(), ys = y.toArray();
        float scale = (float) (1.0 / (1.0 - p));
        int zeros = 0;
        for (int i = 0; i < N; i++) {
            if (ys[i] == 0f) zeros++;
            else assertEquals(xs[i] * scale, ys[i], 0f, "survivor " + i);
        }
        // binomial: the standard deviation of the fraction is at most 0.0016; allow 6 of them
        assertEquals(p, zeros / (double) N, 0.01);
        y.backward(Tensor.onesLike(y));
        float[] g = x.grad().toArray();
        for (int i = 0; i < N; i++) assertEquals(ys[i] == 0f ? 0f : scale, g[i], 0f, "grad " + i);
    }

    @Test
    void sameSeedSameMaskAndFreshMasksPerCall() {
        Tensor x = Tensor.ones(1000);
        float[] a = new Dropout(0.3, new Generator(5)).invoke(x).toArray();
        float[] b = new Dropout(0.3, new Generator(5)).invoke(x).toArray();
        assertArrayEquals(a, b);
        Dropout d = new Dropout(0.3, new Generator(6));
        float[] c = d.invoke(x).toArray(), e = d.invoke(x).toArray();
        assertFalse(Arrays.equals(a, c));
        assertFalse(Arrays.equals(c, e));
    }

    @Test
    void defaultGeneratorIsReseededByManualSeed() {
        Tensor x = Tensor.ones(1000);
        Dropout d = new Dropout(0.5);
        Init.manualSeed(123);
        float[] a = d.invoke(x).toArray();
        Init.manualSeed(123);
        float[] b = d.invoke(x).toArray();
        assertArrayEquals(a, b);
        Init.manualSeed(124);
        assertFalse(Arrays.equals(a, d.invoke(x).toArray()));
    }

    @Test
    void evalAndZeroProbabilityAreTheIdentityAndOneGivesZeros() {
        Tensor x = Tensor.randn(new Generator(1), 4, 5).requiresGrad(true);
        assertSame(x, new Dropout(0.7).eval().invoke(x));
        assertSame(x, new Dropout(0.0, new Generator(1)).invoke(x));
        Tensor x4 = x.reshape(1, 4, 5, 1);
        assertSame(x4, new Dropout2d(0.7).eval().invoke(x4));
        Tensor y = new Dropout(1.0, new Generator(1)).invoke(x);
        y.backward(Tensor.onesLike(y));
        float[] ys = y.toArray(), gs = x.grad().toArray();
        for (int i = 0; i < 20; i++) {
            assertEquals(0f, ys[i], 0f); // -0.0 for negative inputs, as PyTorch's x * 0
            assertEquals(0f, gs[i], 0f);
        }
    }

    @Test
    void probabilityOutsideZeroOneIsRejected() {
        for (double p : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(p));
            assertTrue(e.getMessage().contains("Dropout") && e.getMessage().contains(String.valueOf(p)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new Dropout2d(p));
        }
    }

    @Test
    void dropout2dZeroesWholeChannels() {
        int n = 100, c = 200, h = 2, w = 2;
        double p = 0.25;
        Tensor x = Tensor.rand(new Generator(2), n, c, h, w).add(1f);
        float[] xs = x.toArray(), ys = new Dropout2d(p, new Generator(9)).invoke(x).toArray();
        float scale = (float) (1.0 / (1.0 - p));
        int dropped = 0;
        for (int ch = 0; ch < n * c; ch++) {
            boolean zero = ys[ch * h * w] == 0f;
            if (zero) dropped++;
            for (int k = ch * h * w; k < (ch + 1) * h * w; k++) assertEquals(zero ? 0f : xs[k] * scale, ys[k], 0f, "element " + k);
        }
        assertEquals(p, dropped / (double) (n * c), 0.02); // 20000 channels: sd 0.003
    }

    @Test
    void dropout2dOnThreeDimensionalInputMasksRowsAsPyTorch113() {
        // PyTorch 1.13 reads [N, C, L] and drops each (sample, channel) row (its 1-D channel dropout)
        int n = 20, c = 20, len = 6;
        Tensor x = Tensor.ones(n, c, len);
        float[] ys = new Dropout2d(0.5, new Generator(4)).invoke(x).toArray();
        int dropped = 0;
        boolean[] rowDropped = new boolean[n * c];
        for (int row = 0; row < n * c; row++) {
            float first = ys[row * len];
            assertTrue(first == 0f || first == 2f);
            for (int k = 0; k < len; k++) assertEquals(first, ys[row * len + k], 0f);
            rowDropped[row] = first == 0f;
            if (first == 0f) dropped++;
        }
        assertTrue(dropped > 150 && dropped < 250, "dropped " + dropped + " of 400");
        // not one draw per dim-0 slice: within sample 0 some channels are kept and some dropped
        int droppedInSample0 = 0;
        for (int ch = 0; ch < c; ch++) if (rowDropped[ch]) droppedInSample0++;
        assertTrue(droppedInSample0 > 0 && droppedInSample0 < c, "sample 0 dropped " + droppedInSample0 + " of " + c + " channels");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dropout2d(0.5, new Generator(1)).invoke(Tensor.ones(4, 5)));
        assertTrue(e.getMessage().contains("Dropout2d") && e.getMessage().contains("[4, 5]"), e.getMessage());
    }
}
