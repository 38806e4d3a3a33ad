package dev.anneal.nn;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.nn.init.Init;
import dev.anneal.tensor.Generator;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the survivors are
 * scaled by 1/(1−p) so the expected value is unchanged; in eval mode the identity
 * (Srivastava et al., 2014).
 */
public final class Dropout extends Module {
    private final double p;
    private final Generator gen;

    /** Masks come from gen, so the same seed gives the same masks. */
    public Dropout(double p, Generator gen) {
        this.p = checkProbability("Dropout", p);
        if (gen == null) throw new IllegalArgumentException("Dropout: generator is null (omit it to use Init.defaultGenerator())");
        this.gen = registerGenerator("generator", gen);
    }

    /** Masks come from {@link Init#defaultGenerator()}. */
    public Dropout(double p) {
        this(p, Init.defaultGenerator());
    }

    /** p = 0.5. */
    public Dropout() {
        this(0.5);
    }

    static double checkProbability(String layer, double p) {
        if (!(p >= 0 && p <= 1))
            throw new IllegalArgumentException(layer + ": dropout probability has to be between 0 and 1, but got " + p);
        return p;
    }

    /** The multiplier of kept elements, 1/(1−p) rounded to float as PyTorch's mask holds it. */
    static float keepScale(double p) {
        return (float) (1.0 / (1.0 - p));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        if (p == 1) return x.mul(0f);
        float scale = keepScale(p);
        double keep = 1 - p;
        float[] mask = new float[x.numel()];
        for (int i = 0; i < mask.length; i++) mask[i] = gen.nextDouble() < keep ? scale : 0f;
        return x.mul(Functions.wrap(mask, x.shape()));
    }

    public double p() {
        return p;
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
