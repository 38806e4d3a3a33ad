package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.OptimizerKernels;
import java.util.List;
import java.util.Map;

/**
 * RAdam (Liu et al. 2020): Adam whose adaptive step is switched on, and rectified, once the
 * variance of the adaptive rate is tractable (ρ_t &gt; 5); torch.optim.RAdam (1.13 has no
 * maximize). Options: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0. State:
 * "exp_avg", "exp_avg_sq".
 */
public final class RAdam extends StatefulOptimizer {
    static final Hyperparameters SPEC = Hyperparameters.of("RAdam")
            .number("lr", 1e-3, 0)
            .number("beta1", 0.9, 0, 1, false)
            .number("beta2", 0.999, 0, 1, false)
            .number("eps", 1e-8, 0)
            .number("weight_decay", 0, 0);

    public RAdam(List<Tensor> params) {
        this(params, Map.of());
    }

    public RAdam(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public RAdam(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        double lr = u.option("lr"), beta1 = u.option("beta1"), beta2 = u.option("beta2");
        long t = u.step();
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / bc2;
        boolean rectify = rhoT > 5.;
        float rect = rectify ? (float) Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0f;
        float eps = (float) u.option("eps"), wd = (float) u.option("weight_decay");
        float[] m = u.array("exp_avg"), v = u.array("exp_avg_sq");
        fused(u, (p, po, g, go, n) -> OptimizerKernels.radam(p, po, g, go, m, v, n, (float) lr, (float) beta1, (float) (1 - beta1),
                (float) beta2, (float) (1 - beta2), (float) bc1, (float) Math.sqrt(bc2), eps, wd, rectify, rect));
    }
}
