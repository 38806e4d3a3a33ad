package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.OptimizerKernels;
import java.util.List;
import java.util.Map;

/**
 * NAdam (Dozat 2016): Adam with Nesterov momentum and a momentum schedule
 * μ_t = β1·(1 − ½·0.96^(t·momentum_decay)); torch.optim.NAdam (1.13 has no maximize). Options:
 * lr 2e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0, momentum_decay 4e-3. State:
 * "exp_avg", "exp_avg_sq", and "mu_product" (∏μ, kept in float32 as torch keeps it).
 */
public final class NAdam extends StatefulOptimizer {
    static final Hyperparameters SPEC = Hyperparameters.of("NAdam")
            .number("lr", 2e-3, 0)
            .number("beta1", 0.9, 0, 1, false)
            .number("beta2", 0.999, 0, 1, false)
            .number("eps", 1e-8, 0)
            .number("weight_decay", 0, 0)
            .number("momentum_decay", 4e-3, 0);

    public NAdam(List<Tensor> params) {
        this(params, Map.of());
    }

    public NAdam(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public NAdam(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        double lr = u.option("lr"), beta1 = u.option("beta1"), beta2 = u.option("beta2"), md = u.option("momentum_decay");
        long t = u.step();
        double bc2 = 1 - Math.pow(beta2, t);
        double mu = beta1 * (1. - 0.5 * Math.pow(0.96, t * md));
        double muNext = beta1 * (1. - 0.5 * Math.pow(0.96, (t + 1) * md));
        float product = (float) u.scalar("mu_product", 1.0) * (float) mu;
        float productNext = product * (float) mu * (float) muNext;
        u.setScalar("mu_product", (double) product);
        float cGrad = (float) (-lr * (1. - mu) / (1. - product)), cAvg = (float) (-lr * muNext / (1. - productNext));
        float eps = (float) u.option("eps"), wd = (float) u.option("weight_decay");
        float[] m = u.array("exp_avg"), v = u.array("exp_avg_sq");
        fused(u, (p, po, g, go, n) -> OptimizerKernels.nadam(p, po, g, go, m, v, n, (float) beta1, (float) (1 - beta1), (float) beta2,
                (float) (1 - beta2), (float) bc2, eps, wd, cGrad, cAvg));
    }
}
