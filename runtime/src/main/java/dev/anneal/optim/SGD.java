package dev.anneal.optim;

import static dev.anneal.optim.Hyperparameters.INF;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.OptimizerKernels;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum (dampening, Nesterov), L2 weight decay added
 * to the gradient, and maximize; torch.optim.SGD. Options: lr (required), momentum 0,
 * dampening 0, weight_decay 0, nesterov false, maximize false. State: "momentum_buffer" (with momentum).
 */
public final class SGD extends StatefulOptimizer {
    static final Hyperparameters SPEC = Hyperparameters.of("SGD")
            .number("lr", Double.NaN, 0)
            .number("momentum", 0, 0)
            .number("dampening", 0, -INF)
            .number("weight_decay", 0, 0)
            .flag("nesterov", false)
            .flag("maximize", false)
            .rule("Nesterov momentum requires a momentum and zero dampening",
                    o -> !(Boolean) o.get("nesterov") || ((Double) o.get("momentum") > 0 && (Double) o.get("dampening") == 0));

    public SGD(List<Tensor> params, double lr) {
        this(params, Map.of("lr", lr));
    }

    public SGD(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public SGD(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        float lr = (float) u.option("lr"), wd = (float) u.option("weight_decay"), momentum = (float) u.option("momentum");
        float keep = (float) (1 - u.option("dampening"));
        boolean nesterov = u.flag("nesterov"), maximize = u.flag("maximize");
        boolean first = momentum != 0f && !u.hasTensor("momentum_buffer");
        float[] buf = momentum != 0f ? u.array("momentum_buffer") : null;
        fused(u, (p, po, g, go, n) -> OptimizerKernels.sgd(p, po, g, go, buf, n, lr, wd, momentum, keep, nesterov, maximize, first));
    }
}
