package dev.anneal.nn;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Matmul;
import dev.anneal.kernels.Parallel;
import dev.anneal.kernels.ReduceOp;
import dev.anneal.kernels.Reduction;
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
        return forward(x, false);
    }

    /**
     * x·Wᵀ + b, or with relu max(x·Wᵀ + b, 0) (Linear then ReLU as one op: the activation is applied
     * to the fresh output in place and its gradient mask is folded into this backward, with the
     * same values as the two layers one after the other). The caller must not hand the fused
     * output to code that may change it in place: backward reads it for the ReLU mask.
     */
    Tensor forward(Tensor x, boolean relu) {
        if (x.rank() == 0 || x.size(-1) != inFeatures)
            throw new IllegalArgumentException("Linear: input of shape " + Shape.str(x.shape()) + " does not end in in_features = "
                    + inFeatures + " (expected [..., " + inFeatures + "])");
        // fused: one GEMM into rows pre-filled with the bias, and three kernels in backward,
        // instead of matmul + broadcast add (an extra pass and a sum-to-shape in backward)
        int[] shape = x.shape();
        int rows = 1, in = inFeatures, out = outFeatures;
        for (int d = 0; d < shape.length - 1; d++) rows *= shape[d];
        float[] xd = x.isContiguous() ? x.storageData() : x.toArray();
        int xo = x.isContiguous() ? x.layoutView().offset() : 0;
        float[] wd = weight.isContiguous() ? weight.storageData() : weight.toArray();
        int wo = weight.isContiguous() ? weight.layoutView().offset() : 0;
        float[] y = new float[rows * out];
        if (bias != null) fillRows(bias.toArray(), y, rows);
        Matmul.gemm(false, true, rows, out, in, xd, xo, in, wd, wo, in, y, 0, out, bias != null);
        if (relu) reluInPlace(y);
        shape[shape.length - 1] = out;
        int n = rows;
        Tensor[] inputs = bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias};
        return Functions.custom(relu ? "linearRelu" : "linear", y, shape, inputs, g -> {
            boolean direct = !relu && g.isContiguous();
            float[] gd = direct ? g.storageData() : g.toArray();
            int go = direct ? g.layoutView().offset() : 0;
            // ReLU's backward: the gradient where the output is positive, else 0 (gd is a fresh copy)
            if (relu) maskByPositive(gd, y);
            Tensor[] grads = new Tensor[inputs.length];
            boolean needX = x.requiresGrad(), needW = weight.requiresGrad(), needB = bias != null && bias.requiresGrad();
            Runnable inputGrad = () -> {
                float[] gx = new float[n * in];
                Matmul.gemm(false, false, n, in, out, gd, go, out, wd, wo, in, gx, 0, in, false);
                grads[0] = Functions.wrap(gx, x.shape());
            };
            Runnable paramGrads = () -> {
                if (needW) {
                    float[] gw = new float[out * in];
                    Matmul.gemm(true, false, out, in, n, gd, go, out, xd, xo, in, gw, 0, in, false);
                    grads[1] = Functions.freshGradient(gw, out, in);
                }
                if (needB) grads[2] = Functions.freshGradient(Reduction.reduce(ReduceOp.SUM, gd, go, 1, n, out), out);
            };
            if (needX && (needW || needB) && concurrentGrads((long) n * in * out)) {
                // the two products have the same size: one per thread, each computed exactly as alone
                Parallel.forRange(2, 1, (from, to) -> {
                    for (int t = from; t < to; t++) (t == 0 ? inputGrad : paramGrads).run();
                });
            } else {
                if (needX) inputGrad.run();
                paramGrads.run();
            }
            return grads;
        }, x, weight);
    }

    // The loops below are methods of their own so that forward and its backward have none: a loop
    // gets the method holding it compiled on the stack (OSR) as well as normally, each time with
    // everything it inlines (forward was compiled 5 times, 125 KB, in the first second of training).

    private static void fillRows(float[] row, float[] y, int rows) {
        for (int r = 0; r < rows; r++) System.arraycopy(row, 0, y, r * row.length, row.length);
    }

    /** max(v, 0), which turns -0.0 into 0.0 and keeps NaN, as ReLU's rule does. */
    private static void reluInPlace(float[] y) {
        for (int i = 0; i < y.length; i++) y[i] = Math.max(y[i], 0f);
    }

    /** ReLU's backward: the gradient where the output is positive, else 0. */
    private static void maskByPositive(float[] g, float[] y) {
        for (int i = 0; i < g.length; i++) g[i] = y[i] > 0f ? g[i] : 0f;
    }

    /**
     * Whether backward runs the input-gradient and weight-gradient products (equal in size) side
     * by side: when each is worth a fork-join (about 1M multiply-adds, some 10 µs) and, beyond two
     * threads, too small for the product to split itself.
     */
    private static boolean concurrentGrads(long work) {
        int threads = Parallel.threads();
        return work >= (1L << 20) && (threads == 2 || (threads > 2 && work < (1L << 22)));
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
        return "Linear(in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False") + ")";
    }
}
