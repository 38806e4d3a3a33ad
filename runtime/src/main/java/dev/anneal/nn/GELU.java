package dev.anneal.nn;

import dev.anneal.autograd.Tensor;

/** x·Φ(x) elementwise, exactly ("none") or by the tanh approximation ("tanh") (Hendrycks and Gimpel, 2016). */
public final class GELU extends Module {
    private final String approximate;

    public GELU(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate))
            throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        this.approximate = approximate;
    }

    /** The exact form. */
    public GELU() {
        this("none");
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.gelu(approximate);
    }

    @Override
    public String toString() {
        return "GELU(approximate='" + approximate + "')";
    }
}
