package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;

/** The smooth L1 loss (torch.nn.SmoothL1Loss) with fixed options; see {@link Losses#smoothL1Loss}. */
public final class SmoothL1Loss implements Loss {
    private final Reduction reduction;
    private final float beta;

    /** PyTorch's defaults: mean, beta = 1. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, 1f);
    }

    public SmoothL1Loss(Reduction reduction, float beta) {
        this.reduction = Reduction.check("SmoothL1Loss", reduction, false);
        this.beta = beta;
        if (!(beta >= 0f)) throw new IllegalArgumentException("SmoothL1Loss: beta must be non-negative, got " + beta);
    }

    public SmoothL1Loss withReduction(Reduction r) { return new SmoothL1Loss(r, beta); }
    public SmoothL1Loss withReduction(String r) { return withReduction(Reduction.of(r)); }
    public SmoothL1Loss withBeta(float v) { return new SmoothL1Loss(reduction, v); }

    public Reduction reduction() { return reduction; }
    public float beta() { return beta; }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Losses.smoothL1Loss(input, target, reduction, beta);
    }

    @Override
    public String toString() {
        return new Repr("SmoothL1Loss").reduction(reduction, Reduction.MEAN).number("beta", beta, 1f).toString();
    }
}
