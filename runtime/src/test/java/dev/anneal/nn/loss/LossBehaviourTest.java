package dev.anneal.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;
import org.junit.jupiter.api.Test;

/** Loss objects, hand-computed values, and how the losses sit in the autograd graph. */
class LossBehaviourTest {
    @Test
    void weightedMeanDividesBySummedTargetWeights() {
        // logp rows are exact: log-softmax of [0, 0] is [-ln 2, -ln 2]
        Tensor x = Tensor.zeros(3, 2);
        Tensor t = Tensor.vector(0, 1, -100);
        Tensor w = Tensor.vector(1f, 3f);
        float ln2 = (float) Math.log(2);
        // (1·ln2 + 3·ln2) / (1 + 3); the ignored row counts for nothing
        assertEquals(ln2, Losses.crossEntropy(x, t, w, -100, Reduction.MEAN, 0f).item(), 1e-7f);
        assertEquals(4 * ln2, Losses.crossEntropy(x, t, w, -100, Reduction.SUM, 0f).item(), 1e-6f);
        assertArrayEquals(new float[] {ln2, 3 * ln2, 0f}, Losses.crossEntropy(x, t, w, -100, Reduction.NONE, 0f).toArray(), 1e-6f);
    }

    @Test
    void crossEntropyIsOneFusedNodeWithSoftmaxMinusTargetGradient() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 0, 0, 0}, 2, 3).requiresGrad(true);
        Tensor loss = Losses.crossEntropy(x, Tensor.vector(2, 0));
        assertEquals("crossEntropy", loss.gradFnName());
        loss.backward();
        float[] p = x.detach().softmax(1).toArray();
        float[] expected = {p[0] / 2, p[1] / 2, (p[2] - 1) / 2, (p[3] - 1) / 2, p[4] / 2, p[5] / 2};
        assertArrayEquals(expected, x.grad().toArray(), 1e-7f);
    }

    @Test
    void klBatchmeanIsSumOverBatchSize() {
        Generator g = new Generator(11);
        Tensor student = Tensor.randn(g, 4, 6).logSoftmax(1), teacher = Tensor.randn(g, 4, 6).softmax(1);
        float sum = Losses.klDiv(student, teacher, Reduction.SUM, false).item();
        assertEquals(sum / 4, Losses.klDiv(student, teacher, Reduction.BATCHMEAN, false).item(), 1e-7f);
        assertEquals(sum / 24, Losses.klDiv(student, teacher, Reduction.MEAN, false).item(), 1e-7f);
        // log-target form gives the same divergence
        assertEquals(sum, Losses.klDiv(student, teacher.log(), Reduction.SUM, true).item(), 1e-5f);
        // KL of a distribution from itself is 0
        assertEquals(0f, Losses.klDiv(teacher.log(), teacher, Reduction.BATCHMEAN, false).item(), 1e-6f);
    }

    @Test
    void lossesRecordNothingUnderNoGrad() {
        Tensor x = Tensor.randn(new Generator(3), 2, 3).requiresGrad(true);
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            Tensor l = new CrossEntropyLoss().apply(x, Tensor.vector(0, 1));
            assertFalse(l.requiresGrad());
            assertNull(l.gradFnName());
        }
        assertTrue(Losses.mseLoss(x, Tensor.zeros(2, 3)).requiresGrad());
    }

    @Test
    void changingAnInputInPlaceBeforeBackwardIsReported() {
        Tensor x = Tensor.vector(0.5f, 2f).requiresGrad(true), t = Tensor.vector(1, 1);
        Tensor loss = Losses.smoothL1Loss(x, t);
        t.fill(0f);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("smoothL1Loss"), e.getMessage());
    }

    @Test
    void mseBroadcastsTargetAndSumsItsGradient() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor t = Tensor.vector(1, 1).requiresGrad(true);
        Tensor loss = Losses.mseLoss(x, t, Reduction.SUM);
        assertEquals(0 + 1 + 4 + 9, loss.item(), 0f);
        loss.backward();
        // d/dt Σ (x − t)² = −2 Σ_rows (x − t)
        assertArrayEquals(new float[] {-2 * (0 + 2), -2 * (1 + 3)}, t.grad().toArray(), 0f);
    }

    @Test
    void lossObjectsApplyTheirOptions() {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, 4, 3), t = Tensor.vector(0, 2, 1, 2), w = Tensor.vector(0.5f, 1f, 2f);
        Loss ce = new CrossEntropyLoss().withWeight(w).withLabelSmoothing(0.1f).withIgnoreIndex(1).withReduction("sum");
        assertEquals(Losses.crossEntropy(x, t, w, 1, Reduction.SUM, 0.1f).item(), ce.apply(x, t).item(), 0f);
        Tensor lp = x.logSoftmax(1);
        assertEquals(Losses.nllLoss(lp, t, w, -100, Reduction.MEAN).item(), new NLLLoss().withWeight(w).apply(lp, t).item(), 0f);
        Tensor y = Tensor.randn(g, 4, 3);
        assertEquals(Losses.huberLoss(x, y, Reduction.SUM, 0.5f).item(), new HuberLoss().withDelta(0.5f).withReduction("sum").apply(x, y).item(), 0f);
        assertEquals(Losses.smoothL1Loss(x, y, Reduction.MEAN, 0.5f).item(), new SmoothL1Loss().withBeta(0.5f).apply(x, y).item(), 0f);
        assertEquals(Losses.mseLoss(x, y, Reduction.SUM).item(), new MSELoss("sum").apply(x, y).item(), 0f);
        assertArrayEquals(Losses.l1Loss(x, y, Reduction.NONE).toArray(), new L1Loss(Reduction.NONE).apply(x, y).toArray(), 0f);
        Tensor p = x.sigmoid(), q = Tensor.rand(g, 4, 3);
        assertEquals(Losses.binaryCrossEntropy(p, q, w, Reduction.MEAN).item(), new BCELoss().withWeight(w).apply(p, q).item(), 0f);
        assertEquals(Losses.binaryCrossEntropyWithLogits(x, q, null, w, Reduction.MEAN).item(),
                new BCEWithLogitsLoss().withPosWeight(w).apply(x, q).item(), 0f);
        assertEquals(Losses.klDiv(lp, q, Reduction.BATCHMEAN, false).item(), new KLDivLoss().withReduction("batchmean").apply(lp, q).item(), 0f);
    }

    @Test
    void toStringFollowsPyTorchRepr() {
        assertEquals("CrossEntropyLoss()", new CrossEntropyLoss().toString());
        assertEquals("CrossEntropyLoss(weight=<tensor [3]>, ignore_index=1, reduction='sum', label_smoothing=0.1)",
                new CrossEntropyLoss(Tensor.ones(3), 1, Reduction.SUM, 0.1f).toString());
        assertEquals("NLLLoss(reduction='none')", new NLLLoss().withReduction(Reduction.NONE).toString());
        assertEquals("MSELoss()", new MSELoss().toString());
        assertEquals("L1Loss(reduction='sum')", new L1Loss("sum").toString());
        assertEquals("SmoothL1Loss(beta=0.5)", new SmoothL1Loss().withBeta(0.5f).toString());
        assertEquals("HuberLoss(reduction='none', delta=2.0)", new HuberLoss(Reduction.NONE, 2f).toString());
        assertEquals("BCELoss()", new BCELoss().toString());
        assertEquals("BCEWithLogitsLoss(pos_weight=<tensor [4]>)", new BCEWithLogitsLoss().withPosWeight(Tensor.ones(4)).toString());
        assertEquals("KLDivLoss(reduction='batchmean', log_target=True)", new KLDivLoss(Reduction.BATCHMEAN, true).toString());
    }
}
