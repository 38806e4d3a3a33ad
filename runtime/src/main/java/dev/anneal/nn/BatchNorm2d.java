package dev.anneal.nn;

import dev.anneal.autograd.Tensor;

/** Batch normalization of [N, C, H, W] input per channel (torch.nn.BatchNorm2d); see {@link BatchNorm}. */
public final class BatchNorm2d extends BatchNorm {
    /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** momentum null means a cumulative moving average. */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(Tensor input) {
        if (input.rank() != 4)
            throw new IllegalArgumentException("BatchNorm2d: expected a 4-D [N, C, H, W] input, got shape "
                    + dev.anneal.tensor.Shape.str(input.shape()));
    }
}
