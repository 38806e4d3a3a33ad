package dev.anneal.nn;

import dev.anneal.autograd.Tensor;

/** Batch normalization of [N, C] or [N, C, L] input per channel (torch.nn.BatchNorm1d); see {@link BatchNorm}. */
public final class BatchNorm1d extends BatchNorm {
    /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** momentum null means a cumulative moving average. */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(Tensor input) {
        if (input.rank() != 2 && input.rank() != 3)
            throw new IllegalArgumentException("BatchNorm1d: expected a 2-D [N, C] or 3-D [N, C, L] input, got shape "
                    + dev.anneal.tensor.Shape.str(input.shape()));
    }
}
