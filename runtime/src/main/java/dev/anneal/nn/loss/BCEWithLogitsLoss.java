package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;

/**
 * Binary cross entropy of logits with fixed options (torch.nn.BCEWithLogitsLoss); see
 * {@link Losses#binaryCrossEntropyWithLogits}.
 */
public final class BCEWithLogitsLoss implements Loss {
    private final Tensor weight;
    private final Tensor posWeight;
    private final Reduction reduction;

    /** PyTorch's defaults: no weight, no positive weight, mean. */
    public BCEWithLogitsLoss() {
        this(null, null, Reduction.MEAN);
    }

    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, Reduction reduction) {
        this.weight = weight;
        this.posWeight = posWeight;
        this.reduction = Reduction.check("BCEWithLogitsLoss", reduction, false);
    }

    public BCEWithLogitsLoss withWeight(Tensor w) { return new BCEWithLogitsLoss(w, posWeight, reduction); }
    public BCEWithLogitsLoss withPosWeight(Tensor p) { return new BCEWithLogitsLoss(weight, p, reduction); }
    public BCEWithLogitsLoss withReduction(Reduction r) { return new BCEWithLogitsLoss(weight, posWeight, r); }
    public BCEWithLogitsLoss withReduction(String r) { return withReduction(Reduction.of(r)); }

    public Tensor weight() { return weight; }
    public Tensor posWeight() { return posWeight; }
    public Reduction reduction() { return reduction; }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }

    @Override
    public String toString() {
        return new Repr("BCEWithLogitsLoss").tensor("weight", weight).tensor("pos_weight", posWeight)
                .reduction(reduction, Reduction.MEAN).toString();
    }
}
