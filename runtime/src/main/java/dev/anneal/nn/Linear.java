package dev.anneal.nn;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.init.Init;
import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Shape;

/** Affine map y = x·Wᵀ + b over the last dim, with weight [out_features, in_features] as in PyTorch. */
public final class Linear extends Module {
    private final int inFeatures, outFeatures;
    private final Tensor weight, bias;

    /**
     * Initialised as PyTorch 1.13's reset_parameters: weight by kaiming_uniform with a = √5 and
     * bias likewise, both U(−1/√in, 1/√in), drawn from gen (weight first).
     */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        if (inFeatures < 0 || outFeatures < 0)
            throw new IllegalArgumentException("Linear: in_features and out_features must be non-negative, got " + inFeatures
                    + " and " + outFeatures);
        if (gen == null) throw new IllegalArgumentException("Linear: generator is null (omit it to use Init.defaultGenerator())");
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        Init.kaimingUniform(weight, Math.sqrt(5), "fan_in", "leaky_relu", gen);
        if (bias) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform(this.bias, -bound, bound, gen);
        }
    }

    /** Drawn from {@link Init#defaultGenerator()}. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Init.defaultGenerator());
    }

    public Linear(int inFeatures, int outFeatures, Generator gen) {
        this(inFeatures, outFeatures, true, gen);
    }

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Init.defaultGenerator());
    }

    /** Uses the given leaf tensors themselves (not copies) as weight [out, in] and bias [out] (or null). */
    public Linear(Tensor weight, Tensor bias) {
        if (weight == null || weight.rank() != 2)
            throw new IllegalArgumentException("Linear: weight must be a matrix [out_features, in_features], got "
                    + (weight == null ? "null" : Shape.str(weight.shape())));
        this.outFeatures = weight.size(0);
        this.inFeatures = weight.size(1);
        if (bias != null && (bias.rank() != 1 || bias.size(0) != outFeatures))
            throw new IllegalArgumentException("Linear: bias must have shape [" + outFeatures + "] to match weight "
                    + Shape.str(weight.shape()) + ", got " + Shape.str(bias.shape()));
        this.weight = registerParameter("weight", weight);
        this.bias = bias == null ? null : registerParameter("bias", bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 0 || x.size(-1) != inFeatures)
            throw new IllegalArgumentException("Linear: input of shape " + Shape.str(x.shape()) + " does not end in in_features = "
                    + inFeatures + " (expected [..., " + inFeatures + "])");
        Tensor y = x.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public String toString() {
        return "Linear(in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null) + ")";
    }
}
