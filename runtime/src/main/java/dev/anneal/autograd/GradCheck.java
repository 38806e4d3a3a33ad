package dev.anneal.autograd;

import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Shape;
import java.util.Locale;
import java.util.function.Function;

/**
 * Compares the gradients backward computes with central finite differences.
 *
 * <p>Everything is float32, so instead of the full Jacobian it checks one random projection:
 * for a fixed random cotangent v, d(v·f)/dx from backward against (v·f(x+h) − v·f(x−h)) / 2h,
 * with the dot products summed in double. The step is the actual float difference of the
 * perturbed inputs, not the requested one.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Settings; {@link #DEFAULT} suits functions of moderate curvature on inputs of order 1. */
    public record Options(double eps, double atol, double rtol, long seed) {
        public static final Options DEFAULT = new Options(1e-3, 1e-3, 1e-2, 1234L);
    }

    /** Throws {@link AssertionError} naming the input, element, analytic and numeric values at the first mismatch. */
    public static void check(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        check(fn, Options.DEFAULT, inputs);
    }

    public static void check(Function<Tensor[], Tensor> fn, Options opt, Tensor... inputs) {
        int k = inputs.length;
        Tensor[] leaves = new Tensor[k];
        for (int i = 0; i < k; i++) leaves[i] = Tensor.wrap(inputs[i].toArray(), inputs[i].shape()).requiresGrad(inputs[i].requiresGrad());
        Tensor out = fn.apply(leaves);
        Generator gen = new Generator(opt.seed());
        Tensor v = Tensor.randn(gen, out.shape());
        boolean any = false;
        for (Tensor l : leaves) any |= l.requiresGrad();
        if (!any) throw new IllegalArgumentException("gradcheck: no input requires grad; mark the inputs to check with requiresGrad(true)");
        if (!out.requiresGrad())
            throw new AssertionError("gradcheck: the output does not depend on any input that requires grad");
        out.backward(v);
        float[] cot = v.toArray();
        for (int i = 0; i < k; i++) {
            if (!leaves[i].requiresGrad()) continue;
            Tensor analyticT = leaves[i].grad();
            float[] analytic = analyticT == null ? new float[leaves[i].numel()] : analyticT.toArray();
            float[] data = leaves[i].storageData();
            for (int j = 0; j < data.length; j++) {
                float x0 = data[j];
                float xp = (float) (x0 + opt.eps()), xm = (float) (x0 - opt.eps());
                double fp, fm;
                try (GradMode.NoGrad ignored = GradMode.noGrad()) {
                    data[j] = xp;
                    fp = dot(cot, fn.apply(leaves));
                    data[j] = xm;
                    fm = dot(cot, fn.apply(leaves));
                } finally {
                    data[j] = x0;
                }
                double numeric = (fp - fm) / ((double) xp - xm);
                double a = analytic[j];
                if (!(Math.abs(a - numeric) <= opt.atol() + opt.rtol() * Math.abs(numeric)))
                    throw new AssertionError(String.format(Locale.ROOT,
                            "gradcheck: input %d (shape %s), element %d: analytic %.6g vs numeric %.6g (atol %.1g, rtol %.1g)",
                            i, Shape.str(leaves[i].shape()), j, a, numeric, opt.atol(), opt.rtol()));
            }
        }
    }

    private static double dot(float[] v, Tensor y) {
        float[] f = y.toArray();
        double s = 0;
        for (int i = 0; i < f.length; i++) s += (double) v[i] * f[i];
        return s;
    }
}
