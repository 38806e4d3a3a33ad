package dev.anneal.nn;

import dev.anneal.autograd.Tensor;

/** x for x ≥ 0, negativeSlope·x otherwise, elementwise. */
public final class LeakyReLU extends Module {
    private final float negativeSlope;

    public LeakyReLU(float negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    /** PyTorch's default slope 0.01. */
    public LeakyReLU() {
        this(0.01f);
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.leakyRelu(negativeSlope);
    }

    public float negativeSlope() {
        return negativeSlope;
    }

    @Override
    public String toString() {
        return "LeakyReLU(negative_slope=" + negativeSlope + ")";
    }
}
