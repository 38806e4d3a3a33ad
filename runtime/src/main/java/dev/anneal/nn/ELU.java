package dev.anneal.nn;

import dev.anneal.autograd.Tensor;

/** x for x > 0, alpha·(exp(x) − 1) otherwise, elementwise (Clevert et al., 2015). */
public final class ELU extends Module {
    private final float alpha;

    public ELU(float alpha) {
        this.alpha = alpha;
    }

    /** alpha = 1. */
    public ELU() {
        this(1f);
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.elu(alpha);
    }

    @Override
    public String toString() {
        return "ELU(alpha=" + alpha + ")";
    }
}
