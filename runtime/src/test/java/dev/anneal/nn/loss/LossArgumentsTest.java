package dev.anneal.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.anneal.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments are rejected with messages naming the op, the values and what was expected. */
class LossArgumentsTest {
    private static void assertMessage(String expected, Executable op) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op);
        assertEquals(expected, e.getMessage());
    }

    private static Tensor targets(float... v) {
        return Tensor.vector(v);
    }

    @Test
    void crossEntropyShapes() {
        assertMessage("crossEntropy: input [8, 10] and target [9]: batch sizes differ",
                () -> Losses.crossEntropy(Tensor.zeros(8, 10), Tensor.zeros(9)));
        assertMessage("crossEntropy: input [2, 3, 4, 4] and target [2, 4, 5]: expected a class-index target of shape [2, 4, 4]"
                + " or a probability target of the input's shape", () -> Losses.crossEntropy(Tensor.zeros(2, 3, 4, 4), Tensor.zeros(2, 4, 5)));
        assertMessage("crossEntropy: input must have a class dimension ([C] or [N, C, d1, ...]), got a scalar",
                () -> Losses.crossEntropy(Tensor.scalar(1), Tensor.scalar(0)));
        assertMessage("nllLoss: input [4, 3] and target [4, 3]: expected a class-index target of shape [4]",
                () -> Losses.nllLoss(Tensor.zeros(4, 3), Tensor.zeros(4, 3)));
    }

    @Test
    void crossEntropyTargetsAndWeights() {
        Tensor x = Tensor.zeros(4, 10);
        assertMessage("crossEntropy: target 12 at position 3 is out of range for 10 classes",
                () -> Losses.crossEntropy(x, targets(1, 2, 3, 12)));
        assertMessage("crossEntropy: target -1 at position 0 is out of range for 10 classes",
                () -> Losses.crossEntropy(x, targets(-1, 2, 3, 4)));
        assertMessage("crossEntropy: target 2.5 at position 1 is not a whole-number class index",
                () -> Losses.crossEntropy(x, targets(1, 2.5f, 3, 4)));
        assertMessage("crossEntropy: target NaN at position 2 is not a whole-number class index",
                () -> Losses.crossEntropy(x, targets(1, 2, Float.NaN, 4)));
        assertMessage("crossEntropy: weight has shape [5], expected one weight per class: [10]",
                () -> Losses.crossEntropy(x, targets(1, 2, 3, 4), Tensor.ones(5), -100, Reduction.MEAN, 0f));
        assertMessage("crossEntropy: label smoothing must be between 0.0 and 1.0, got 1.5",
                () -> Losses.crossEntropy(x, targets(1, 2, 3, 4), null, -100, Reduction.MEAN, 1.5f));
        assertMessage("crossEntropy: ignore index 0 is not supported with probability targets (target has the input's shape [4, 10])",
                () -> Losses.crossEntropy(x, Tensor.zeros(4, 10), null, 0, Reduction.MEAN, 0f));
        assertMessage("nllLoss: target 7 at position 0 is out of range for 3 classes (ignore index 5)",
                () -> Losses.nllLoss(Tensor.zeros(1, 3), targets(7), null, 5, Reduction.SUM));
    }

    @Test
    void reductions() {
        assertEquals(Reduction.BATCHMEAN, Reduction.of("batchmean"));
        assertEquals(Reduction.NONE, Reduction.of("none"));
        assertMessage("reduction: \"avg\" is not a valid reduction; expected \"none\", \"mean\", \"sum\" or (for klDiv) \"batchmean\"",
                () -> Reduction.of("avg"));
        assertMessage("mseLoss: reduction batchmean is only defined for klDiv; expected none, mean or sum",
                () -> Losses.mseLoss(Tensor.zeros(2), Tensor.zeros(2), Reduction.BATCHMEAN));
        assertMessage("crossEntropy: reduction is null; expected NONE, MEAN or SUM",
                () -> Losses.crossEntropy(Tensor.zeros(2, 3), targets(0, 1), null, -100, null, 0f));
        assertMessage("CrossEntropyLoss: reduction batchmean is only defined for klDiv; expected none, mean or sum",
                () -> new CrossEntropyLoss().withReduction("batchmean"));
    }

    @Test
    void elementwiseLosses() {
        assertMessage("mseLoss: input [3, 2] and target [4] cannot be broadcast to one shape",
                () -> Losses.mseLoss(Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertMessage("binaryCrossEntropy: input [3] and target [3, 1] must have the same shape",
                () -> Losses.binaryCrossEntropy(Tensor.zeros(3), Tensor.zeros(3, 1)));
        assertMessage("binaryCrossEntropy: input 1.5 at position 1 is outside [0, 1]; it expects probabilities (for logits use "
                + "binaryCrossEntropyWithLogits)", () -> Losses.binaryCrossEntropy(Tensor.vector(0.5f, 1.5f), Tensor.zeros(2)));
        assertMessage("binaryCrossEntropy: input NaN at position 0 is outside [0, 1]; it expects probabilities (for logits use "
                + "binaryCrossEntropyWithLogits)", () -> Losses.binaryCrossEntropy(Tensor.vector(Float.NaN), Tensor.zeros(1)));
        assertMessage("binaryCrossEntropyWithLogits: posWeight of shape [3] cannot be broadcast to the input's shape [2, 4]",
                () -> Losses.binaryCrossEntropyWithLogits(Tensor.zeros(2, 4), Tensor.zeros(2, 4), null, Tensor.ones(3), Reduction.MEAN));
        assertMessage("binaryCrossEntropy: weight of shape [2, 4] cannot be broadcast to the input's shape [4]",
                () -> Losses.binaryCrossEntropy(Tensor.zeros(4), Tensor.zeros(4), Tensor.ones(2, 4), Reduction.MEAN));
        assertMessage("smoothL1Loss: beta must be non-negative, got -1.0",
                () -> Losses.smoothL1Loss(Tensor.zeros(2), Tensor.zeros(2), Reduction.MEAN, -1f));
        assertMessage("huberLoss: delta must be positive, got 0.0",
                () -> Losses.huberLoss(Tensor.zeros(2), Tensor.zeros(2), Reduction.MEAN, 0f));
        assertMessage("HuberLoss: delta must be positive, got -2.0", () -> new HuberLoss(Reduction.SUM, -2f));
        assertMessage("klDiv: input and target must not be null", () -> Losses.klDiv(null, Tensor.zeros(1)));
    }
}
