package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;

/** Negative log-likelihood of log-probabilities with fixed options (torch.nn.NLLLoss); see {@link Losses#nllLoss}. */
public final class NLLLoss implements Loss {
    private final Tensor weight;
    private final int ignoreIndex;
    private final Reduction reduction;

    /** PyTorch's defaults: no weights, ignore index −100, mean. */
    public NLLLoss() {
        this(null, Losses.IGNORE_INDEX, Reduction.MEAN);
    }

    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = Reduction.check("NLLLoss", reduction, false);
        if (weight != null && weight.rank() != 1)
            throw new IllegalArgumentException("NLLLoss: weight must be 1-D (one per class), got shape "
                    + dev.anneal.tensor.Shape.str(weight.shape()));
    }

    public NLLLoss withWeight(Tensor w) { return new NLLLoss(w, ignoreIndex, reduction); }
    public NLLLoss withIgnoreIndex(int i) { return new NLLLoss(weight, i, reduction); }
    public NLLLoss withReduction(Reduction r) { return new NLLLoss(weight, ignoreIndex, r); }
    public NLLLoss withReduction(String r) { return withReduction(Reduction.of(r)); }

    public Tensor weight() { return weight; }
    public int ignoreIndex() { return ignoreIndex; }
    public Reduction reduction() { return reduction; }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    @Override
    public String toString() {
        return new Repr("NLLLoss").tensor("weight", weight).integer("ignore_index", ignoreIndex, Losses.IGNORE_INDEX)
                .reduction(reduction, Reduction.MEAN).toString();
    }
}
