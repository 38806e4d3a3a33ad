package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.OptimizerKernels;
import java.util.List;
import java.util.Map;

/**
 * Adagrad (Duchi et al. 2011): steps scaled by the root of the summed squared gradients;
 * torch.optim.Adagrad. Options: lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0,
 * eps 1e-10, maximize false. State: "sum".
 */
public final class Adagrad extends StatefulOptimizer {
    static final Hyperparameters SPEC = Hyperparameters.of("Adagrad")
            .number("lr", 1e-2, 0)
            .number("lr_decay", 0, 0)
            .number("weight_decay", 0, 0)
            .number("initial_accumulator_value", 0, 0)
            .number("eps", 1e-10, 0)
            .flag("maximize", false);

    public Adagrad(List<Tensor> params) {
        this(params, Map.of());
    }

    public Adagrad(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public Adagrad(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        double lr = u.option("lr");
        float negClr = (float) -(lr / (1 + (u.step() - 1) * u.option("lr_decay")));
        float wd = (float) u.option("weight_decay"), eps = (float) u.option("eps");
        boolean maximize = u.flag("maximize");
        float[] sum = u.state("sum", (float) u.option("initial_accumulator_value")).storageData();
        fused(u, (p, po, g, go, n) -> OptimizerKernels.adagrad(p, po, g, go, sum, n, negClr, wd, eps, maximize));
    }
}
