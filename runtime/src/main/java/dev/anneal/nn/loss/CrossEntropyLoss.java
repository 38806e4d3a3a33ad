package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;

/** Cross entropy from logits with fixed options (torch.nn.CrossEntropyLoss); see {@link Losses#crossEntropy}. */
public final class CrossEntropyLoss implements Loss {
    private final Tensor weight;
    private final int ignoreIndex;
    private final Reduction reduction;
    private final float labelSmoothing;

    /** PyTorch's defaults: no weights, ignore index −100, mean, no smoothing. */
    public CrossEntropyLoss() {
        this(null, Losses.IGNORE_INDEX, Reduction.MEAN, 0f);
    }

    public CrossEntropyLoss(Tensor weight, int ignoreIndex, Reduction reduction, float labelSmoothing) {
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = Reduction.check("CrossEntropyLoss", reduction, false);
        this.labelSmoothing = ClassLoss.checkSmoothing("CrossEntropyLoss", labelSmoothing);
        if (weight != null && weight.rank() != 1)
            throw new IllegalArgumentException("CrossEntropyLoss: weight must be 1-D (one per class), got shape "
                    + dev.anneal.tensor.Shape.str(weight.shape()));
    }

    public CrossEntropyLoss withWeight(Tensor w) { return new CrossEntropyLoss(w, ignoreIndex, reduction, labelSmoothing); }
    public CrossEntropyLoss withIgnoreIndex(int i) { return new CrossEntropyLoss(weight, i, reduction, labelSmoothing); }
    public CrossEntropyLoss withReduction(Reduction r) { return new CrossEntropyLoss(weight, ignoreIndex, r, labelSmoothing); }
    public CrossEntropyLoss withReduction(String r) { return withReduction(Reduction.of(r)); }
    public CrossEntropyLoss withLabelSmoothing(float e) { return new CrossEntropyLoss(weight, ignoreIndex, reduction, e); }

    public Tensor weight() { return weight; }
    public int ignoreIndex() { return ignoreIndex; }
    public Reduction reduction() { return reduction; }
    public float labelSmoothing() { return labelSmoothing; }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    @Override
    public String toString() {
        return new Repr("CrossEntropyLoss").tensor("weight", weight).integer("ignore_index", ignoreIndex, Losses.IGNORE_INDEX)
                .reduction(reduction, Reduction.MEAN).number("label_smoothing", labelSmoothing, 0f).toString();
    }
}
