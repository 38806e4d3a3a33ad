package dev.anneal.nn.loss;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;
import java.util.Arrays;

/**
 * Element-wise losses l(x_i, t_i) and their reduction as one primitive: one pass forward, one pass
 * backward, with the per-element derivatives given by the loss (so each can follow PyTorch's own
 * backward formula at kinks and clamps).
 */
final class Pointwise {
    private Pointwise() {}

    /** One element-wise loss: its value and partial derivatives at element i (i indexes any per-element options). */
    interface Rule {
        double value(int i, double x, double t);

        double dInput(int i, double x, double t);

        /** NaN-free callers may ignore this; only called when the target requires grad. */
        double dTarget(int i, double x, double t);
    }

    /** Input and target broadcast to one shape (PyTorch broadcasts these losses' arguments). */
    static Tensor[] broadcast(String op, Tensor input, Tensor target) {
        if (input == null || target == null) throw new IllegalArgumentException(op + ": input and target must not be null");
        if (Arrays.equals(input.shape(), target.shape())) return new Tensor[] {input, target};
        int[] s;
        try {
            s = Shape.broadcast(op, input.shape(), target.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": input " + Shape.str(input.shape()) + " and target " + Shape.str(target.shape())
                    + " cannot be broadcast to one shape");
        }
        return new Tensor[] {input.expand(s), target.expand(s)};
    }

    /** Input and target of exactly one shape (as PyTorch's binary cross entropy losses require). */
    static void sameShape(String op, Tensor input, Tensor target) {
        if (input == null || target == null) throw new IllegalArgumentException(op + ": input and target must not be null");
        if (!Arrays.equals(input.shape(), target.shape()))
            throw new IllegalArgumentException(op + ": input " + Shape.str(input.shape()) + " and target " + Shape.str(target.shape())
                    + " must have the same shape");
    }

    /** An option tensor (weight, pos_weight) broadcast to shape, as a flat array; null stays null. */
    static float[] expandOption(String op, String name, Tensor option, int[] shape) {
        if (option == null) return null;
        int[] s;
        try {
            s = Shape.broadcast(op, shape, option.shape());
        } catch (IllegalArgumentException e) {
            s = null;
        }
        if (s == null || !Arrays.equals(s, shape))
            throw new IllegalArgumentException(op + ": " + name + " of shape " + Shape.str(option.shape())
                    + " cannot be broadcast to the input's shape " + Shape.str(shape));
        return option.expand(shape).toArray();
    }

    /** Applies rule to every element of input and target (of one shape) and reduces; one graph node. */
    static Tensor apply(String op, Tensor input, Tensor target, Reduction red, Rule rule) {
        return apply(op, input, target, red, rule, input.rank() == 0 ? 1 : input.size(0));
    }

    /** As above; batch is what batchmean divides by (the un-broadcast input's dim 0). */
    static Tensor apply(String op, Tensor input, Tensor target, Reduction red, Rule rule, int batch) {
        int[] shape = input.shape();
        float[] x = ClassLoss.read(input), t = ClassLoss.read(target);
        int n = x.length;
        float[] out;
        double sum = 0;
        if (red == Reduction.NONE) {
            out = new float[n];
            for (int i = 0; i < n; i++) out[i] = (float) rule.value(i, x[i], t[i]);
        } else {
            for (int i = 0; i < n; i++) sum += rule.value(i, x[i], t[i]);
            out = new float[] {(float) (sum / divisor(red, batch, n))};
        }
        boolean targetGrad = target.requiresGrad();
        return Functions.custom(op, out, red == Reduction.NONE ? shape : new int[0], new Tensor[] {input, target}, grad -> {
            float[] g = red == Reduction.NONE ? ClassLoss.read(grad) : null;
            double scale = red == Reduction.NONE ? 1 : grad.item() / divisor(red, batch, n);
            float[] gx = input.requiresGrad() ? new float[n] : null, gt = targetGrad ? new float[n] : null;
            for (int i = 0; i < n; i++) {
                double s = g == null ? scale : g[i];
                if (gx != null) gx[i] = (float) (s * rule.dInput(i, x[i], t[i]));
                if (gt != null) gt[i] = (float) (s * rule.dTarget(i, x[i], t[i]));
            }
            return new Tensor[] {gx == null ? null : Functions.wrap(gx, shape), gt == null ? null : Functions.wrap(gt, shape)};
        }, input, target); // backward reads both: an in-place change before it is reported
    }

    /** What the sum is divided by: 1 (sum), the element count (mean; 0 gives NaN), dim 0 (batchmean, PyTorch's kl_div). */
    private static double divisor(Reduction red, int batch, int n) {
        switch (red) {
            case MEAN: return n;
            case BATCHMEAN: return batch;
            default: return 1;
        }
    }
}
