package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;

/** Mean absolute error with a fixed reduction (torch.nn.L1Loss); see {@link Losses#l1Loss}. */
public final class L1Loss implements Loss {
    private final Reduction reduction;

    /** PyTorch's default: mean. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        this.reduction = Reduction.check("L1Loss", reduction, false);
    }

    public L1Loss(String reduction) {
        this(Reduction.of(reduction));
    }

    public Reduction reduction() { return reduction; }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Losses.l1Loss(input, target, reduction);
    }

    @Override
    public String toString() {
        return new Repr("L1Loss").reduction(reduction, Reduction.MEAN).toString();
    }
}
