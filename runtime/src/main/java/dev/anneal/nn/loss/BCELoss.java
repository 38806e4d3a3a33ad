package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;

/** Binary cross entropy of probabilities with fixed options (torch.nn.BCELoss); see {@link Losses#binaryCrossEntropy}. */
public final class BCELoss implements Loss {
    private final Tensor weight;
    private final Reduction reduction;

    /** PyTorch's defaults: no weight, mean. */
    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Tensor weight, Reduction reduction) {
        this.weight = weight;
        this.reduction = Reduction.check("BCELoss", reduction, false);
    }

    public BCELoss withWeight(Tensor w) { return new BCELoss(w, reduction); }
    public BCELoss withReduction(Reduction r) { return new BCELoss(weight, r); }
    public BCELoss withReduction(String r) { return withReduction(Reduction.of(r)); }

    public Tensor weight() { return weight; }
    public Reduction reduction() { return reduction; }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction);
    }

    @Override
    public String toString() {
        return new Repr("BCELoss").tensor("weight", weight).reduction(reduction, Reduction.MEAN).toString();
    }
}
