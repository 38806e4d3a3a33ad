package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;

/** The Huber loss (torch.nn.HuberLoss) with fixed options; see {@link Losses#huberLoss}. */
public final class HuberLoss implements Loss {
    private final Reduction reduction;
    private final float delta;

    /** PyTorch's defaults: mean, delta = 1. */
    public HuberLoss() {
        this(Reduction.MEAN, 1f);
    }

    public HuberLoss(Reduction reduction, float delta) {
        this.reduction = Reduction.check("HuberLoss", reduction, false);
        this.delta = delta;
        if (!(delta > 0f)) throw new IllegalArgumentException("HuberLoss: delta must be positive, got " + delta);
    }

    public HuberLoss withReduction(Reduction r) { return new HuberLoss(r, delta); }
    public HuberLoss withReduction(String r) { return withReduction(Reduction.of(r)); }
    public HuberLoss withDelta(float v) { return new HuberLoss(reduction, v); }

    public Reduction reduction() { return reduction; }
    public float delta() { return delta; }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Losses.huberLoss(input, target, reduction, delta);
    }

    @Override
    public String toString() {
        return new Repr("HuberLoss").reduction(reduction, Reduction.MEAN).number("delta", delta, 1f).toString();
    }
}
