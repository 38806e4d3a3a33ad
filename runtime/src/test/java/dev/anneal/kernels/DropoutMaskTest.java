package dev.anneal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneal.tensor.Generator;
import org.junit.jupiter.api.Test;

/** DropoutMask against the draw-by-draw loop over Generator.nextLong, and its fused ReLU against the unfused rules. */
class DropoutMaskTest {
    private static final int[] SIZES = {0, 1, 2, 3, 15, 16, 17, 31, 32, 33, 100, 1000, 32768 + 5};

    /** The mask as Dropout drew it before the kernel: one nextLong per two elements, high half first. */
    private static float[] reference(Generator gen, int n, long threshold, float scale) {
        int bits = Float.floatToRawIntBits(scale);
        float[] mask = new float[n];
        for (int i = 0; i < n; i += 2) {
            long r = gen.nextLong();
            mask[i] = (r >>> 32) < threshold ? scale : 0f;
            if (i + 1 < n) mask[i + 1] = (r & 0xFFFFFFFFL) < threshold ? Float.intBitsToFloat(bits) : 0f;
        }
        return mask;
    }

    @Test
    void fillMatchesTheGeneratorStreamAndAdvancesItTheSame() {
        double[] keeps = {0.0, 1e-9, 0.2, 0.5, 0.8, 1 - 1e-12, 1.0};
        for (double keep : keeps)
            for (int n : SIZES) {
                long seed = 1234 + n;
                long threshold = DropoutMask.threshold(keep);
                Generator ref = new Generator(seed);
                float[] expected = reference(ref, n, threshold, 1.25f);
                float[] mask = new float[n];
                long state = DropoutMask.fill(new Generator(seed).getState()[0], mask, n, threshold, 1.25f);
                assertArrayEquals(expected, mask, "keep " + keep + ", n " + n);
                assertEquals(ref.getState()[0], state, "state after keep " + keep + ", n " + n);
            }
    }

    @Test
    void fillIsExactAtTheEdgesOfTheThresholdRange() {
        // the vector path compares unsigned halves through a sign flip: probe around 2³¹ and the ends
        long[] thresholds = {1, 2, 0x7FFFFFFFL, 0x80000000L, 0x80000001L, 0xFFFFFFFEL, 0xFFFFFFFFL, 0x1_0000_0000L};
        for (long threshold : thresholds)
            for (int n : new int[] {33, 4096 + 3}) {
                Generator ref = new Generator(99 + n);
                float[] expected = reference(ref, n, threshold, 2f);
                float[] mask = new float[n];
                long state = DropoutMask.fill(new Generator(99 + n).getState()[0], mask, n, threshold, 2f);
                assertArrayEquals(expected, mask, "threshold " + threshold + ", n " + n);
                assertEquals(ref.getState()[0], state, "state after threshold " + threshold + ", n " + n);
            }
    }

    @Test
    void applyAndBackwardMatchTheUnfusedReluAndProduct() {
        int n = 1000 + 7;
        Generator g = new Generator(9);
        float[] x = new float[n + 3], gy = new float[n + 2], mask = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) (g.nextDouble() * 4 - 2);
        for (int i = 0; i < gy.length; i++) gy[i] = (float) (g.nextDouble() * 2 - 1);
        x[3] = Float.NaN;
        x[4] = -0.0f;
        x[5] = Float.POSITIVE_INFINITY;
        x[6] = Float.NEGATIVE_INFINITY;
        x[7] = 0f;
        x[8] = Float.intBitsToFloat(0xFFC00000); // a NaN with the sign bit set
        x[9] = Float.MIN_VALUE; // the smallest positive subnormal: kept
        x[10] = -Float.MIN_VALUE;
        x[11] = Float.MAX_VALUE;
        gy[9] = Float.NaN;
        DropoutMask.fill(77, mask, n, DropoutMask.threshold(0.7), (float) (1 / 0.7));
        for (boolean relu : new boolean[] {false, true}) {
            float[] y = new float[n], gx = new float[n];
            DropoutMask.apply(x, 3, mask, y, n, relu);
            DropoutMask.backward(gy, 2, x, 3, mask, gx, n, relu);
            for (int i = 0; i < n; i++) {
                float v = x[3 + i];
                float r = relu ? (v > 0f ? v : (v == v ? 0f : v)) : v; // ReLU's scalar rule
                assertEquals(r * mask[i], y[i], 0f, "forward " + i + " relu " + relu);
                float d = gy[2 + i] * mask[i];
                assertEquals(!relu || r > 0f ? d : 0f, gx[i], 0f, "backward " + i + " relu " + relu);
            }
        }
    }
}
