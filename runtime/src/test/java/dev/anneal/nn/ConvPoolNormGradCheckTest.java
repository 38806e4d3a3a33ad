package dev.anneal.nn;

import dev.anneal.autograd.GradCheck;
import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.nn.functional.Conv;
import dev.anneal.nn.functional.Norm;
import dev.anneal.nn.functional.Pool;
import dev.anneal.tensor.Generator;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of every convolution, pooling and normalization op and layer (small shapes). */
class ConvPoolNormGradCheckTest {
    private final Generator gen = new Generator(42);

    private Tensor randn(int... shape) {
        return Tensor.randn(gen, shape).requiresGrad(true);
    }

    /** Distinct values 0.1 apart, shuffled: no window has two maxima within the finite-difference step. */
    private Tensor distinct(int... shape) {
        Tensor t = Tensor.randn(gen, shape);
        float[] d = t.storageData();
        Integer[] order = new Integer[d.length];
        for (int i = 0; i < d.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(d[a], d[b]));
        for (int rank = 0; rank < d.length; rank++) d[order[rank]] = 0.1f * rank - 0.05f * d.length;
        return t.requiresGrad(true);
    }

    @Test
    void conv2dAllSettings() {
        GradCheck.check(in -> Conv.conv2d(in[0], in[1], in[2], new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 2),
                randn(2, 4, 5, 6), randn(4, 2, 3, 2), randn(4));
        GradCheck.check(in -> Conv.conv2d(in[0], in[1], null, 1, 1), randn(1, 3, 4, 4), randn(2, 3, 3, 3));
        GradCheck.check(in -> Conv.conv2d(in[0], in[1], in[2]), randn(3, 4, 4), randn(2, 3, 1, 1), randn(2)); // unbatched, 1×1
    }

    @Test
    void conv2dLayer() {
        Conv2d conv = Conv2d.builder(2, 4, 3).stride(2).padding(1).groups(2).build(gen);
        GradCheck.check(in -> Conv.conv2d(in[0], in[1], in[2], conv.stride(), conv.padding(), conv.dilation(), conv.groups()),
                randn(2, 2, 5, 5), conv.weight().detach().clone().requiresGrad(true), conv.bias().detach().clone().requiresGrad(true));
        GradCheck.check(in -> conv.invoke(in[0]), randn(1, 2, 4, 5));
    }

    @Test
    void maxPool() {
        GradCheck.check(in -> Pool.maxPool2d(in[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 2}, true),
                distinct(2, 2, 5, 6));
        MaxPool2d layer = new MaxPool2d(2);
        GradCheck.check(in -> layer.invoke(in[0]), distinct(1, 2, 4, 5));
    }

    @Test
    void avgPool() {
        GradCheck.check(in -> Pool.avgPool2d(in[0], new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true, false, 0), randn(2, 2, 5, 6));
        GradCheck.check(in -> Pool.avgPool2d(in[0], new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1}, false, true, 4), randn(1, 2, 4, 5));
        AvgPool2d layer = new AvgPool2d(2);
        GradCheck.check(in -> layer.invoke(in[0]), randn(1, 2, 4, 5));
    }

    @Test
    void adaptiveAvgPool() {
        GradCheck.check(in -> Pool.adaptiveAvgPool2d(in[0], 3, 2), randn(2, 2, 7, 5));
        AdaptiveAvgPool2d layer = new AdaptiveAvgPool2d(4, 3);
        GradCheck.check(in -> layer.invoke(in[0]), randn(1, 2, 3, 5));
    }

    @Test
    void batchNormTrainingAndEval() {
        GradCheck.check(in -> Norm.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5), randn(3, 2, 2, 3), randn(2), randn(2));
        GradCheck.check(in -> Norm.batchNorm(in[0], null, null, null, null, true, 0.1, 1e-5), randn(4, 3));
        Tensor rm = Tensor.randn(gen, 3), rv = Tensor.rand(gen, 3).add(Tensor.scalar(0.5f));
        GradCheck.check(in -> Norm.batchNorm(in[0], rm, rv, in[1], in[2], false, 0.1, 1e-5), randn(2, 3, 4), randn(3), randn(3));
    }

    @Test
    void batchNormLayers() {
        BatchNorm2d bn2 = new BatchNorm2d(2);
        randomizeAffine(bn2);
        GradCheck.check(in -> bn2.invoke(in[0]), randn(2, 2, 3, 2));
        bn2.eval();
        GradCheck.check(in -> bn2.invoke(in[0]), randn(2, 2, 3, 2));
        BatchNorm1d bn1 = new BatchNorm1d(3, 1e-5, null, true, false);
        randomizeAffine(bn1);
        GradCheck.check(in -> bn1.invoke(in[0]), randn(4, 3, 2));
    }

    private void randomizeAffine(BatchNorm bn) {
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            bn.weight().copyFrom(Tensor.randn(gen, bn.numFeatures()));
            bn.bias().copyFrom(Tensor.randn(gen, bn.numFeatures()));
        }
    }

    @Test
    void layerNorm() {
        GradCheck.check(in -> Norm.layerNorm(in[0], new int[] {5}, in[1], in[2], 1e-5), randn(3, 5), randn(5), randn(5));
        GradCheck.check(in -> Norm.layerNorm(in[0], new int[] {3, 4}, in[1], null, 1e-5), randn(2, 3, 4), randn(3, 4));
        GradCheck.check(in -> Norm.layerNorm(in[0], new int[] {6}, null, null, 1e-5), randn(2, 6));
        LayerNorm layer = new LayerNorm(2, 3);
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            layer.weight().copyFrom(Tensor.randn(gen, 2, 3));
            layer.bias().copyFrom(Tensor.randn(gen, 2, 3));
        }
        GradCheck.check(in -> layer.invoke(in[0]), randn(2, 2, 3));
    }
}
