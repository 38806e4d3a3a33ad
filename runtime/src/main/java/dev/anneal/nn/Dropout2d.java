package dev.anneal.nn;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.nn.init.Init;
import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Shape;

/**
 * Channel dropout for [N, C, H, W] input: in training each whole channel of each sample is zeroed
 * with probability p and the rest scaled by 1/(1−p); in eval mode the identity (Tompson et al., 2015).
 * A 3-D input is read as [N, C, L] and each (sample, channel) row is dropped, as PyTorch 1.13 does
 * (it warns that a later release will read it as unbatched [C, H, W]).
 */
public final class Dropout2d extends Module {
    private final double p;
    private final Generator gen;

    public Dropout2d(double p, Generator gen) {
        this.p = Dropout.checkProbability("Dropout2d", p);
        if (gen == null) throw new IllegalArgumentException("Dropout2d: generator is null (omit it to use Init.defaultGenerator())");
        this.gen = registerGenerator("generator", gen);
    }

    /** Masks come from {@link Init#defaultGenerator()}. */
    public Dropout2d(double p) {
        this(p, Init.defaultGenerator());
    }

    /** p = 0.5. */
    public Dropout2d() {
        this(0.5);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 3 && x.rank() != 4)
            throw new IllegalArgumentException("Dropout2d: expected input [N, C, H, W] or [N, C, L], got shape " + Shape.str(x.shape()));
        if (!isTraining() || p == 0) return x;
        if (p == 1) return x.mul(0f);
        int[] maskShape = x.shape();
        for (int d = 2; d < maskShape.length; d++) maskShape[d] = 1; // one draw per (sample, channel)
        float scale = Dropout.keepScale(p);
        double keep = 1 - p;
        float[] mask = new float[Shape.numel(maskShape)];
        for (int i = 0; i < mask.length; i++) mask[i] = gen.nextDouble() < keep ? scale : 0f;
        return x.mul(Functions.wrap(mask, maskShape));
    }

    public double p() {
        return p;
    }

    @Override
    public String toString() {
        return "Dropout2d(p=" + p + ")";
    }
}
