package dev.anneal.nn;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.DropoutMask;
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
        return forward(x, false);
    }

    /**
     * Dropout of x, or with relu of relu(x) (ReLU then Dropout as one op: one pass forward and one
     * backward instead of two, with the same values as the two layers one after the other).
     */
    Tensor forward(Tensor x, boolean relu) {
        if (!isTraining() || p == 0) return relu ? x.relu() : x;
        if (p == 1) return (relu ? x.relu() : x).mul(0f);
        int n = x.numel();
        float[] mask = keepMask(gen, n, 1 - p, keepScale(p));
        float[] xd = x.isContiguous() ? x.storageData() : x.toArray();
        int xo = x.isContiguous() ? x.layoutView().offset() : 0;
        float[] y = new float[n];
        DropoutMask.apply(xd, xo, mask, y, n, relu);
        int[] shape = x.shape();
        return Functions.custom(relu ? "reluDropout" : "dropout", y, shape, new Tensor[] {x}, g -> {
            float[] gd = g.isContiguous() ? g.storageData() : g.toArray();
            int go = g.isContiguous() ? g.layoutView().offset() : 0;
            float[] gx = new float[n];
            DropoutMask.backward(gd, go, xd, xo, mask, gx, n, relu);
            return new Tensor[] {Functions.wrap(gx, shape)};
        }, relu ? new Tensor[] {x} : new Tensor[0]);
    }

    /**
     * n multipliers: scale with probability keep, else 0. Each 64-bit draw of gen gives two
     * 32-bit uniforms (one per element, high half first), compared with keep·2³² (resolution 2⁻³²).
     */
    static float[] keepMask(Generator gen, int n, double keep, float scale) {
        float[] mask = new float[n];
        long[] state = gen.getState();
        state[0] = DropoutMask.fill(state[0], mask, n, DropoutMask.threshold(keep), scale);
        gen.setState(state);
        return mask;
    }

    public double p() {
        return p;
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
