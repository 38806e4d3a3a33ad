package dev.anneal.nn;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.nn.functional.Norm;

/**
 * Batch normalization over the channel dim 1 (PyTorch's _BatchNorm): learnable weight (ones) and
 * bias (zeros) when affine; buffers running_mean (zeros), running_var (ones) and
 * num_batches_tracked when tracking running statistics. In training the batch statistics are used
 * and the running ones updated with momentum, or with a cumulative average (1/num_batches_tracked)
 * when momentum is null; in eval the running statistics are used when tracked.
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine, trackRunningStats;
    private final Tensor weight, bias, runningMean, runningVar, numBatchesTracked;

    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        String me = getClass().getSimpleName();
        if (numFeatures <= 0) throw new IllegalArgumentException(me + ": num_features must be positive, got " + numFeatures);
        if (!(eps > 0)) throw new IllegalArgumentException(me + ": eps must be positive, got " + eps);
        if (momentum != null && !(momentum >= 0 && momentum <= 1))
            throw new IllegalArgumentException(me + ": momentum must be in [0, 1] or null (cumulative average), got " + momentum);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(numFeatures)) : null;
        runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(numFeatures)) : null;
        numBatchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Tensor.scalar(0)) : null;
    }

    /** Throws IllegalArgumentException when the input's rank does not fit this layer. */
    protected abstract void checkInput(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        if (input == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": input is null");
        checkInput(input);
        if (input.size(1) != numFeatures)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input " + dev.anneal.tensor.Shape.str(input.shape())
                    + " has " + input.size(1) + " channels, expected " + numFeatures);
        boolean update = isTraining() && trackRunningStats;
        double factor = 0;
        if (update) {
            float tracked = numBatchesTracked.item() + 1;
            factor = momentum == null ? 1.0 / tracked : momentum;
        }
        boolean batchStats = isTraining() || runningMean == null;
        Tensor rm = isTraining() && !trackRunningStats ? null : runningMean;
        Tensor rv = isTraining() && !trackRunningStats ? null : runningVar;
        Tensor out = Norm.batchNorm(input, rm, rv, weight, bias, batchStats, factor, eps);
        if (update) {
            try (GradMode.NoGrad ignored = GradMode.noGrad()) {
                numBatchesTracked.fill(numBatchesTracked.item() + 1);
            }
        }
        return out;
    }

    public int numFeatures() { return numFeatures; }
    public double eps() { return eps; }
    /** The momentum, or null for a cumulative average. */
    public Double momentum() { return momentum; }
    /** The scale, or null when not affine. */
    public Tensor weight() { return weight; }
    public Tensor bias() { return bias; }
    /** Running mean buffer, or null when not tracking. */
    public Tensor runningMean() { return runningMean; }
    public Tensor runningVar() { return runningVar; }
    public Tensor numBatchesTracked() { return numBatchesTracked; }

    /** As PyTorch: {@code BatchNorm2d(32, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)}. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + numFeatures + ", eps=" + PyRepr.floatRepr(eps) + ", momentum="
                + (momentum == null ? "None" : PyRepr.floatRepr(momentum)) + ", affine=" + PyRepr.bool(affine)
                + ", track_running_stats=" + PyRepr.bool(trackRunningStats) + ")";
    }
}
