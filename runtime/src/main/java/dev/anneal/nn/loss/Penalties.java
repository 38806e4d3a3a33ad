package dev.anneal.nn.loss;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.nn.Module;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Regularization penalties over a set of parameters, to add to a loss ({@code loss.add(Penalties.l2(ps).mul(1e-4f))}),
 * and ways to pick those parameters from a module by name. Each penalty is one differentiable primitive.
 */
public final class Penalties {
    private Penalties() {}

    /** Σ|w| over every element of every tensor (the gradient at 0 is 0, as sign(0)). */
    public static Tensor l1(Collection<Tensor> params) {
        return penalty("l1Penalty", params, false);
    }

    /**
     * Σw² over every element of every tensor, without a factor ½: the form of the usual PyTorch tutorial
     * ({@code sum(p.pow(2).sum() for p in params)}); its gradient is 2w.
     */
    public static Tensor l2(Collection<Tensor> params) {
        return penalty("l2Penalty", params, true);
    }

    private static Tensor penalty(String op, Collection<Tensor> params, boolean squared) {
        if (params == null) throw new IllegalArgumentException(op + ": params is null");
        Tensor[] ps = params.toArray(new Tensor[0]);
        double sum = 0;
        for (int k = 0; k < ps.length; k++) {
            if (ps[k] == null) throw new IllegalArgumentException(op + ": parameter " + k + " of " + ps.length + " is null");
            for (float v : ClassLoss.read(ps[k])) sum += squared ? (double) v * v : Math.abs(v);
        }
        return Functions.custom(op, new float[] {(float) sum}, new int[0], ps, grad -> {
            float g = grad.item();
            Tensor[] out = new Tensor[ps.length];
            for (int k = 0; k < ps.length; k++) {
                if (!ps[k].requiresGrad()) continue;
                float[] v = ClassLoss.read(ps[k]), d = new float[v.length];
                for (int i = 0; i < v.length; i++) d[i] = squared ? 2 * v[i] * g : Math.signum(v[i]) * g;
                out[k] = Functions.wrap(d, ps[k].shape());
            }
            return out;
        }, ps); // saved: changing a parameter in place before backward is reported
    }

    /**
     * The module's parameters named like weights — the last part of the dotted name starts with "weight"
     * ("0.weight", "rnn.weight_ih_l0") — with at least 2 dims, so biases and normalization scales are left out.
     */
    public static List<Tensor> weightsOnly(Module module) {
        return select(module, (name, p) -> {
            String last = name.substring(name.lastIndexOf('.') + 1);
            return last.startsWith("weight") && p.rank() >= 2;
        });
    }

    /** The module's parameters whose dotted name and tensor satisfy keep, in registration order. */
    public static List<Tensor> select(Module module, BiPredicate<String, Tensor> keep) {
        if (module == null) throw new IllegalArgumentException("Penalties.select: module is null");
        List<Tensor> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet())
            if (keep.test(e.getKey(), e.getValue())) out.add(e.getValue());
        return out;
    }
}
