package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;

/**
 * KL divergence of log-probabilities input from target with fixed options (torch.nn.KLDivLoss); see
 * {@link Losses#klDiv}. Use {@code new KLDivLoss(Reduction.BATCHMEAN, false)} for the mathematical KL per sample.
 */
public final class KLDivLoss implements Loss {
    private final Reduction reduction;
    private final boolean logTarget;

    /** PyTorch's defaults: mean over all elements, target given as probabilities. */
    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    public KLDivLoss(Reduction reduction, boolean logTarget) {
        this.reduction = Reduction.check("KLDivLoss", reduction, true);
        this.logTarget = logTarget;
    }

    public KLDivLoss withReduction(Reduction r) { return new KLDivLoss(r, logTarget); }
    public KLDivLoss withReduction(String r) { return withReduction(Reduction.of(r)); }
    public KLDivLoss withLogTarget(boolean on) { return new KLDivLoss(reduction, on); }

    public Reduction reduction() { return reduction; }
    public boolean logTarget() { return logTarget; }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Losses.klDiv(input, target, reduction, logTarget);
    }

    @Override
    public String toString() {
        return new Repr("KLDivLoss").reduction(reduction, Reduction.MEAN).flag("log_target", logTarget, false).toString();
    }
}
