package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;

/** Mean squared error with a fixed reduction (torch.nn.MSELoss); see {@link Losses#mseLoss}. */
public final class MSELoss implements Loss {
    private final Reduction reduction;

    /** PyTorch's default: mean. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        this.reduction = Reduction.check("MSELoss", reduction, false);
    }

    public MSELoss(String reduction) {
        this(Reduction.of(reduction));
    }

    public Reduction reduction() { return reduction; }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Losses.mseLoss(input, target, reduction);
    }

    @Override
    public String toString() {
        return new Repr("MSELoss").reduction(reduction, Reduction.MEAN).toString();
    }
}
