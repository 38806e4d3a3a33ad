package dev.anneal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneal.autograd.Tensor;
import org.junit.jupiter.api.Test;

/** Diverged models produce NaN logits; accuracy must rank NaN as torch.topk/argmax do (above every number), not count it a hit. */
class MetricsNaNTest {
    private static final float NAN = Float.NaN;

    @Test
    void nanLogitsRankAboveNumbersAsInPyTorch() {
        // torch: argmax rows -> [0, 1, 2]; topk(2) rows -> [0,1], [1,2], [2,1]
        Tensor logits = Tensor.of(new float[] {NAN, NAN, NAN, 1f, NAN, 2f, 1f, 2f, 3f}, 3, 3);
        assertEquals(1, Metrics.correct(logits, Tensor.of(new float[] {0, 0, 0}, 3)));
        assertEquals(3, Metrics.correct(logits, Tensor.of(new float[] {0, 1, 2}, 3)));
        assertEquals(0, Metrics.correct(logits, Tensor.of(new float[] {2, 2, 1}, 3)));
        assertEquals(2.0 / 3, Metrics.topK(logits, Tensor.of(new float[] {1, 2, 0}, 3), 2), 1e-12);
        ConfusionMatrix cm = Metrics.confusion(logits, Tensor.of(new float[] {0, 1, 2}, 3), 3);
        assertEquals(1, cm.count(0, 0));
        assertEquals(1, cm.count(1, 1));
        assertEquals(1, cm.count(2, 2));
    }
}
