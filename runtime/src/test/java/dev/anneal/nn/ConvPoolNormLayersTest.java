package dev.anneal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.functional.Conv;
import dev.anneal.nn.functional.Norm;
import dev.anneal.nn.functional.Pool;
import dev.anneal.tensor.Generator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layer construction, initialisation, state dicts, descriptions, modes and argument errors. */
class ConvPoolNormLayersTest {

    @Test
    void conv2dInitIsKaimingUniformFromTheGenerator() {
        Conv2d conv = Conv2d.builder(4, 64, 3, 2).groups(2).build(new Generator(1));
        assertArrayEquals(new int[] {64, 2, 3, 2}, conv.weight().shape());
        double bound = 1 / Math.sqrt(2 * 3 * 2); // fan_in = in/groups·kh·kw
        float[] w = conv.weight().toArray();
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        double mean = 0;
        for (float v : w) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            mean += v / w.length;
        }
        assertTrue(lo >= -bound && hi <= bound, "weights within ±1/√fan_in");
        assertTrue(lo < -0.9 * bound && hi > 0.9 * bound, "weights fill the range");
        assertEquals(0, mean, 0.1 * bound);
        for (float v : conv.bias().toArray()) assertTrue(Math.abs(v) <= bound);
        // weight first, then bias, from the same stream: same seed, same values
        Conv2d again = Conv2d.builder(4, 64, 3, 2).groups(2).build(new Generator(1));
        assertArrayEquals(w, again.weight().toArray());
        assertArrayEquals(conv.bias().toArray(), again.bias().toArray());
        Generator g = new Generator(1);
        float first = (float) (-bound + 2 * bound * g.nextFloat());
        assertEquals(first, w[0], 1e-6f);
    }

    @Test
    void conv2dParametersStateDictAndDescription() {
        Generator g = new Generator(2);
        Conv2d conv = new Conv2d(1, 32, 3, 1, 1, g);
        assertEquals(List.of("weight", "bias"), List.copyOf(conv.stateDict().keySet()));
        assertEquals(32 * 9 + 32, conv.parameterCount(true));
        assertEquals("Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", conv.toString());
        Conv2d full = new Conv2d(4, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {0, 0}, new int[] {2, 1}, 2, false, g);
        assertEquals("Conv2d(4, 6, kernel_size=(3, 2), stride=(2, 1), dilation=(2, 1), groups=2, bias=False)", full.toString());
        assertNull(full.bias());
        assertEquals(List.of("weight"), List.copyOf(full.stateDict().keySet()));
        Tensor y = conv.invoke(Tensor.randn(g, 2, 1, 28, 28));
        assertArrayEquals(new int[] {2, 32, 28, 28}, y.shape());
        assertArrayEquals(new int[] {6, 3, 4}, full.invoke(Tensor.randn(g, 4, 9, 5)).shape()); // unbatched
    }

    @Test
    void conv2dArgumentErrorsNameTheShapes() {
        Generator g = new Generator(3);
        Tensor x = Tensor.zeros(8, 3, 28, 28);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv.conv2d(x, Tensor.zeros(16, 4, 3, 3), null));
        assertEquals("conv2d: input [8, 3, 28, 28] has 3 channels, weight [16, 4, 3, 3] expects 4 (groups 1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(Tensor.zeros(1, 1, 2, 2), Tensor.zeros(1, 1, 3, 3), null));
        assertTrue(e.getMessage().contains("smaller than the dilated kernel 3×3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(x, Tensor.zeros(5, 1, 3, 3), null, null, null, null, 3));
        assertTrue(e.getMessage().contains("groups 3 does not divide"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(x, Tensor.zeros(4, 3, 3, 3), Tensor.zeros(3)));
        assertTrue(e.getMessage().startsWith("conv2d: bias must have shape [4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(x, Tensor.zeros(4, 3, 3, 3), null, 0, 1));
        assertTrue(e.getMessage().contains("stride must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(Tensor.zeros(3, 28, 28, 1, 1), Tensor.zeros(4, 3, 3, 3), null));
        assertTrue(e.getMessage().contains("4-D [N, C, H, W]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, g).invoke(Tensor.zeros(2, 2, 8, 8)));
        assertTrue(e.getMessage().contains("has 2 channels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(3, 4, 3).groups(2).build(g));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, null));
    }

    @Test
    void poolingLayersDescriptionsShapesAndErrors() {
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).toString());
        assertEquals("MaxPool2d(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 1), ceil_mode=True)",
                new MaxPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, null, true).toString());
        assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=(5, 7))", new AdaptiveAvgPool2d(5, 7).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString());
        Generator g = new Generator(4);
        assertArrayEquals(new int[] {2, 3, 14, 14}, new MaxPool2d(2).invoke(Tensor.randn(g, 2, 3, 28, 28)).shape());
        assertArrayEquals(new int[] {3, 4, 4}, new AvgPool2d(2).invoke(Tensor.randn(g, 3, 9, 9)).shape());
        assertArrayEquals(new int[] {2, 3, 1, 1}, new AdaptiveAvgPool2d(1).invoke(Tensor.randn(g, 2, 3, 5, 5)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pool.maxPool2d(Tensor.zeros(1, 1, 2, 2), 3));
        assertTrue(e.getMessage().contains("output size 0×0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Pool.maxPool2d(Tensor.zeros(1, 1, 8, 8), new int[] {2}, null, new int[] {2}, null, false));
        assertTrue(e.getMessage().contains("at most half the kernel size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(new int[] {2, 2}, null, new int[] {2, 0}, false, true, 0));
        e = assertThrows(IllegalArgumentException.class, () -> Pool.adaptiveAvgPool2d(Tensor.zeros(4, 4), 2, 2));
        assertTrue(e.getMessage().startsWith("adaptiveAvgPool2d: expected a 3-D"), e.getMessage());
    }

    @Test
    void maxPoolGradientGoesToTheFirstOfTiedMaxima() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 0, 2, 3, 3, 3}, 1, 1, 2, 4).requiresGrad(true);
        Tensor y = Pool.maxPool2d(x, 2);
        assertArrayEquals(new float[] {3, 3}, y.toArray());
        y.sum().backward();
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 0, 0, 0}, x.grad().toArray());
    }

    @Test
    void batchNormBuffersModesAndDescription() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.stateDict().keySet()));
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.namedBuffers().keySet()));
        assertEquals("BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", bn.toString());
        assertEquals("BatchNorm1d(4, eps=0.001, momentum=None, affine=False, track_running_stats=False)",
                new BatchNorm1d(4, 1e-3, null, false, false).toString());
        assertEquals(List.of(), List.copyOf(new BatchNorm1d(4, 1e-3, null, false, false).stateDict().keySet()));

        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, 4, 3, 2, 2);
        Tensor y = bn.invoke(x);
        // training output: per channel mean 0 and biased variance ≈ 1
        Tensor perChannel = y.transpose(0, 1).reshape(3, -1);
        for (float m : perChannel.mean(1).toArray()) assertEquals(0, m, 1e-5);
        for (float v : perChannel.var(new int[] {1}, 0, false).toArray()) assertEquals(1, v, 1e-3);
        assertEquals(1f, bn.numBatchesTracked().item());
        float[] rm = bn.runningMean().toArray();
        float[] batchMean = x.transpose(0, 1).reshape(3, -1).mean(1).toArray();
        for (int c = 0; c < 3; c++) assertEquals(0.1f * batchMean[c], rm[c], 1e-6);
        // eval: running statistics, nothing updated
        bn.eval();
        Tensor ye = bn.invoke(x);
        float[] rv = bn.runningVar().toArray(), xs = x.toArray(), ys = ye.toArray();
        for (int i = 0; i < xs.length; i++) {
            int c = (i / 4) % 3;
            assertEquals((xs[i] - rm[c]) / Math.sqrt(rv[c] + 1e-5), ys[i], 1e-5);
        }
        assertEquals(1f, bn.numBatchesTracked().item());
        assertArrayEquals(rm, bn.runningMean().toArray());
    }

    @Test
    void batchNormCumulativeAverageAndUntrackedEval() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, null, true, true);
        Generator g = new Generator(6);
        Tensor a = Tensor.randn(g, 5, 2), b = Tensor.randn(g, 5, 2);
        bn.invoke(a);
        bn.invoke(b);
        float[] expected = a.mean(0).add(b.mean(0)).div(Tensor.scalar(2)).toArray(); // 1/1 then 1/2: the plain average
        float[] actual = bn.runningMean().toArray();
        for (int i = 0; i < 2; i++) assertEquals(expected[i], actual[i], 1e-6);
        BatchNorm1d untracked = new BatchNorm1d(2, 1e-5, 0.1, false, false);
        untracked.eval();
        Tensor y = untracked.invoke(a); // no running statistics: batch statistics even in eval
        for (float m : y.mean(0).toArray()) assertEquals(0, m, 1e-5);
    }

    @Test
    void batchNormErrorsLeaveTheStateUntouched() {
        BatchNorm2d bn = new BatchNorm2d(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.invoke(Tensor.zeros(1, 3, 1, 1)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        assertEquals(0f, bn.numBatchesTracked().item());
        e = assertThrows(IllegalArgumentException.class, () -> bn.invoke(Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().startsWith("BatchNorm2d: expected a 4-D"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bn.invoke(Tensor.zeros(2, 4, 2, 2)));
        assertTrue(e.getMessage().contains("has 4 channels, expected 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).invoke(Tensor.zeros(2, 3, 4, 4)));
        e = assertThrows(IllegalArgumentException.class,
                () -> Norm.batchNorm(Tensor.zeros(2, 3), null, null, null, null, false, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("required when not training"), e.getMessage());
        assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean().toArray());
    }

    @Test
    void batchNormStateDictRoundTrip() {
        BatchNorm2d a = new BatchNorm2d(2), b = new BatchNorm2d(2);
        a.invoke(Tensor.randn(new Generator(7), 3, 2, 2, 2));
        b.loadStateDict(a.stateDict(), true);
        assertArrayEquals(a.runningVar().toArray(), b.runningVar().toArray());
        assertEquals(1f, b.numBatchesTracked().item());
    }

    @Test
    void layerNormDescriptionParametersAndErrors() {
        LayerNorm ln = new LayerNorm(10);
        assertEquals("LayerNorm((10,), eps=1e-05, elementwise_affine=True)", ln.toString());
        assertEquals("LayerNorm((4, 5), eps=0.001, elementwise_affine=False)", new LayerNorm(new int[] {4, 5}, 1e-3, false).toString());
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.stateDict().keySet()));
        Map<String, Tensor> sd = new LayerNorm(4, 5).stateDict();
        assertArrayEquals(new int[] {4, 5}, sd.get("weight").shape());
        Tensor y = ln.invoke(Tensor.randn(new Generator(8), 3, 10));
        for (float m : y.mean(1).toArray()) assertEquals(0, m, 1e-5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ln.invoke(Tensor.zeros(3, 5)));
        assertEquals("layerNorm: normalized shape [10] expects an input [*, 10], got [3, 5]", e.getMessage());
    }
}
