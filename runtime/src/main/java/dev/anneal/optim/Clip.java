package dev.anneal.optim;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Gradient clipping in place, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (PyTorch 1.13). */
public final class Clip {
    private Clip() {}

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} with the 2-norm and no error on a non-finite norm. */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /**
     * Scales all gradients by min(1, maxNorm/(total + 1e-6)), where total is the normType-norm of the
     * per-parameter gradient norms (= the norm of all gradients concatenated); returns total.
     * normType may be {@code Double.POSITIVE_INFINITY} (largest |g|). Parameters without a gradient are
     * skipped; with none, returns 0. A NaN or infinite total is an error when errorIfNonfinite (nothing
     * is changed), else it is applied as is (a NaN total makes every gradient NaN, as in PyTorch).
     * Computed in float32, as PyTorch does for float gradients.
     */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (params == null) throw new IllegalArgumentException("clipGradNorm: params is null");
        if (Double.isNaN(normType)) throw new IllegalArgumentException("clipGradNorm: normType is NaN");
        List<Tensor> grads = grads("clipGradNorm", params);
        if (grads.isEmpty()) return 0.0;
        float[] norms = new float[grads.size()];
        for (int i = 0; i < norms.length; i++) {
            Tensor g = grads.get(i);
            float[] data = g.isContiguous() ? g.storageData() : g.toArray();
            int off = g.isContiguous() ? g.layoutView().offset() : 0;
            norms[i] = vectorNorm(data, off, g.numel(), normType);
        }
        float total = vectorNorm(norms, 0, norms.length, normType);
        if (errorIfNonfinite && !Float.isFinite(total))
            throw new IllegalStateException("clipGradNorm: the total norm of order " + normType + " of the gradients is " + total
                    + ", so it cannot be clipped; pass errorIfNonfinite=false to scale the gradients by the non-finite norm anyway");
        // PyTorch computes max_norm / (total + 1e-6) as reciprocal(total + 1e-6) * max_norm in float32
        float coef = (1f / (total + 1e-6f)) * (float) maxNorm;
        if (coef > 1f) coef = 1f; // NaN stays NaN, as torch.clamp
        if (coef != 1f) {
            try (GradMode.NoGrad scope = GradMode.noGrad()) {
                for (Tensor g : grads) g.mulInPlace(coef);
            }
        }
        return total;
    }

    /** Clamps every gradient element into [−clipValue, clipValue] in place; parameters without a gradient are skipped. */
    public static void clipGradValue(Iterable<Tensor> params, double clipValue) {
        if (params == null) throw new IllegalArgumentException("clipGradValue: params is null");
        if (Double.isNaN(clipValue)) throw new IllegalArgumentException("clipGradValue: clipValue is NaN");
        float c = (float) clipValue;
        List<Tensor> grads = grads("clipGradValue", params);
        try (GradMode.NoGrad scope = GradMode.noGrad()) {
            for (Tensor g : grads) g.copyFrom(g.clamp(-c, c));
        }
    }

    private static List<Tensor> grads(String op, Iterable<Tensor> params) {
        List<Tensor> grads = new ArrayList<>();
        int i = 0;
        for (Tensor p : params) {
            if (p == null) throw new IllegalArgumentException(op + ": parameter " + i + " is null");
            if (p.grad() != null) grads.add(p.grad());
            i++;
        }
        return grads;
    }

    /** ‖x‖_p of n elements as torch.norm: p = ∞ max|x|, −∞ min|x|, 0 the count of non-zeros, else (Σ|x|^p)^(1/p). */
    static float vectorNorm(float[] x, int off, int n, double p) {
        if (p == Double.POSITIVE_INFINITY || p == Double.NEGATIVE_INFINITY) {
            boolean max = p > 0;
            float r = max ? 0f : Float.POSITIVE_INFINITY;
            for (int i = off; i < off + n; i++) {
                float a = Math.abs(x[i]);
                if (Float.isNaN(a)) return Float.NaN;
                r = max ? Math.max(r, a) : Math.min(r, a);
            }
            return r;
        }
        double s = 0;
        if (p == 0) {
            for (int i = off; i < off + n; i++) s += x[i] != 0 ? 1 : 0; // NaN counts as non-zero
            return (float) s;
        }
        if (p == 1) {
            for (int i = off; i < off + n; i++) s += Math.abs(x[i]);
            return (float) s;
        }
        if (p == 2) {
            for (int i = off; i < off + n; i++) s += (double) x[i] * x[i];
            return (float) Math.sqrt(s);
        }
        for (int i = off; i < off + n; i++) s += Math.pow(Math.abs(x[i]), p);
        return (float) Math.pow(s, 1.0 / p);
    }
}
