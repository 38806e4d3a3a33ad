package dev.anneal.nn.loss;

import dev.anneal.autograd.GradCheck;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient checks of every loss, w.r.t. input and (where PyTorch differentiates it) target. */
class LossGradCheckTest {
    private static final Reduction[] REDUCTIONS = {Reduction.NONE, Reduction.MEAN, Reduction.SUM};

    private static Tensor param(Tensor t) {
        return t.requiresGrad(true);
    }

    private static Tensor probabilities(Generator g, int... shape) {
        return Tensor.randn(g, shape).softmax(1);
    }

    @Test
    void crossEntropyWithClassIndices() {
        Generator g = new Generator(1);
        Tensor x = param(Tensor.randn(g, 4, 5)), w = Tensor.rand(g, 5).add(0.2f);
        Tensor t = Tensor.vector(1, 4, 2, 0);
        for (Reduction r : REDUCTIONS) {
            GradCheck.check(in -> Losses.crossEntropy(in[0], t, null, -100, r, 0f), x);
            GradCheck.check(in -> Losses.crossEntropy(in[0], t, w, 2, r, 0.1f), x);
            GradCheck.check(in -> Losses.crossEntropy(in[0], t, w, -100, r, 0.1f), x);
        }
        Tensor xk = param(Tensor.randn(g, 2, 3, 2, 2)), tk = Tensor.randint(g, 0, 3, 2, 2, 2);
        Tensor w3 = Tensor.vector(0.5f, 1.5f, 1f);
        GradCheck.check(in -> Losses.crossEntropy(in[0], tk, w3, 1, Reduction.MEAN, 0.2f), xk);
        GradCheck.check(in -> Losses.crossEntropy(in[0], tk, null, -100, Reduction.NONE, 0f), xk);
    }

    @Test
    void crossEntropyWithProbabilitiesDifferentiatesBoth() {
        Generator g = new Generator(2);
        Tensor x = param(Tensor.randn(g, 3, 4)), t = param(probabilities(g, 3, 4)), w = Tensor.rand(g, 4).add(0.2f);
        for (Reduction r : REDUCTIONS) {
            GradCheck.check(in -> Losses.crossEntropy(in[0], in[1], null, -100, r, 0f), x, t);
            GradCheck.check(in -> Losses.crossEntropy(in[0], in[1], w, -100, r, 0.1f), x, t);
        }
        Tensor xk = param(Tensor.randn(g, 2, 3, 2)), tk = param(probabilities(g, 2, 3, 2));
        GradCheck.check(in -> Losses.crossEntropy(in[0], in[1], w.narrow(0, 0, 3), -100, Reduction.MEAN, 0.1f), xk, tk);
    }

    @Test
    void nllLoss() {
        Generator g = new Generator(3);
        Tensor x = param(Tensor.randn(g, 4, 3)), t = Tensor.vector(0, 2, 1, 2), w = Tensor.vector(0.3f, 1f, 2f);
        for (Reduction r : REDUCTIONS) GradCheck.check(in -> Losses.nllLoss(in[0], t, w, 1, r), x);
        Tensor xk = param(Tensor.randn(g, 2, 3, 3)), tk = Tensor.randint(g, 0, 3, 2, 3);
        GradCheck.check(in -> Losses.nllLoss(in[0], tk, null, -100, Reduction.MEAN), xk);
    }

    @Test
    void regressionLossesDifferentiateInputAndTarget() {
        Generator g = new Generator(4);
        Tensor x = param(Tensor.randn(g, 3, 4).mul(2f)), t = param(Tensor.randn(g, 3, 4));
        for (Reduction r : REDUCTIONS) {
            GradCheck.check(in -> Losses.mseLoss(in[0], in[1], r), x, t);
            GradCheck.check(in -> Losses.l1Loss(in[0], in[1], r), x, t);
            GradCheck.check(in -> Losses.smoothL1Loss(in[0], in[1], r, 1f), x, t);
            GradCheck.check(in -> Losses.smoothL1Loss(in[0], in[1], r, 0.3f), x, t);
            GradCheck.check(in -> Losses.huberLoss(in[0], in[1], r, 0.7f), x, t);
        }
        // broadcast target: its gradient is summed over the broadcast dim
        Tensor row = param(Tensor.randn(g, 4));
        GradCheck.check(in -> Losses.mseLoss(in[0], in[1], Reduction.MEAN), x, row);
    }

    @Test
    void binaryCrossEntropyLosses() {
        Generator g = new Generator(5);
        Tensor p = param(Tensor.rand(g, 3, 4).mul(0.8f).add(0.1f)), t = param(Tensor.rand(g, 3, 4));
        Tensor w = Tensor.rand(g, 4).add(0.2f), pw = Tensor.rand(g, 4).mul(3f).add(0.1f);
        Tensor logits = param(Tensor.randn(g, 3, 4).mul(2f));
        for (Reduction r : REDUCTIONS) {
            GradCheck.check(in -> Losses.binaryCrossEntropy(in[0], in[1], null, r), p, t);
            GradCheck.check(in -> Losses.binaryCrossEntropy(in[0], in[1], w, r), p, t);
            GradCheck.check(in -> Losses.binaryCrossEntropyWithLogits(in[0], in[1], null, null, r), logits, t);
            GradCheck.check(in -> Losses.binaryCrossEntropyWithLogits(in[0], in[1], w, pw, r), logits, t);
        }
    }

    @Test
    void klDivergence() {
        Generator g = new Generator(6);
        Tensor x = param(Tensor.randn(g, 3, 5).logSoftmax(1)), t = param(probabilities(g, 3, 5));
        Tensor logT = param(Tensor.randn(g, 3, 5).logSoftmax(1));
        for (Reduction r : Reduction.values()) {
            GradCheck.check(in -> Losses.klDiv(in[0], in[1], r, false), x, t);
            GradCheck.check(in -> Losses.klDiv(in[0], in[1], r, true), x, logT);
        }
    }

    @Test
    void penalties() {
        Generator g = new Generator(7);
        Tensor a = param(Tensor.randn(g, 3, 2)), b = param(Tensor.randn(g, 4));
        GradCheck.check(in -> Penalties.l1(java.util.List.of(in[0], in[1])), a, b);
        GradCheck.check(in -> Penalties.l2(java.util.List.of(in[0], in[1])), a, b);
    }
}
