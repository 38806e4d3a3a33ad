package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.OptimizerKernels;
import java.util.List;
import java.util.Map;

/**
 * Adamax (Kingma &amp; Ba 2015, §7.1): Adam with the infinity norm in place of the second moment;
 * torch.optim.Adamax. Options: lr 2e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0,
 * maximize false. State: "exp_avg", "exp_inf".
 */
public final class Adamax extends StatefulOptimizer {
    static final Hyperparameters SPEC = Hyperparameters.of("Adamax")
            .number("lr", 2e-3, 0)
            .number("beta1", 0.9, 0, 1, false)
            .number("beta2", 0.999, 0, 1, false)
            .number("eps", 1e-8, 0)
            .number("weight_decay", 0, 0)
            .flag("maximize", false);

    public Adamax(List<Tensor> params) {
        this(params, Map.of());
    }

    public Adamax(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public Adamax(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        double beta1 = u.option("beta1"), beta2 = u.option("beta2");
        float negClr = (float) -(u.option("lr") / (1 - Math.pow(beta1, u.step())));
        float eps = (float) u.option("eps"), wd = (float) u.option("weight_decay");
        boolean maximize = u.flag("maximize");
        float[] m = u.array("exp_avg"), inf = u.array("exp_inf");
        fused(u, (p, po, g, go, n) -> OptimizerKernels.adamax(p, po, g, go, m, inf, n, negClr, (float) beta1, (float) (1 - beta1),
                (float) beta2, (float) (1 - beta2), eps, wd, maximize));
    }
}
