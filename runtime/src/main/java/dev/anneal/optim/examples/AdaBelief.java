package dev.anneal.optim.examples;

import dev.anneal.autograd.Tensor;
import dev.anneal.optim.Hyperparameters;
import dev.anneal.optim.ParamGroup;
import dev.anneal.optim.ParamUpdate;
import dev.anneal.optim.StatefulOptimizer;
import java.util.List;
import java.util.Map;

/**
 * AdaBelief (Zhuang et al. 2020, Algorithm 2, with decoupled weight decay as in adabelief-pytorch
 * 0.2): Adam whose second moment tracks the "belief" (g − m)² instead of g². Written only against
 * the public {@link StatefulOptimizer} API, as an example of a user-defined optimizer:
 * options are declared with defaults and ranges, state comes from {@link ParamUpdate#state}, the
 * bias-correction step from {@link ParamUpdate#step()}. Options: lr 1e-3, beta1 0.9,
 * beta2 0.999, eps 1e-16, weight_decay 0. State: "exp_avg", "exp_avg_var".
 */
public final class AdaBelief extends StatefulOptimizer {
    private static final Hyperparameters SPEC = Hyperparameters.of("AdaBelief")
            .number("lr", 1e-3, 0)
            .number("beta1", 0.9, 0, 1, false)
            .number("beta2", 0.999, 0, 1, false)
            .number("eps", 1e-16, 0)
            .number("weight_decay", 0, 0);

    public AdaBelief(List<Tensor> params) {
        this(params, Map.of());
    }

    public AdaBelief(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public AdaBelief(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        double lr = u.option("lr"), beta1 = u.option("beta1"), beta2 = u.option("beta2"), eps = u.option("eps");
        double wd = u.option("weight_decay");
        Tensor p = u.param(), g = u.grad();
        Tensor m = u.state("exp_avg"), s = u.state("exp_avg_var");
        if (wd != 0) p.mulInPlace((float) (1 - lr * wd));
        m.mulInPlace((float) beta1).addInPlace(g.mul((float) (1 - beta1)));
        Tensor residual = g.sub(m);
        s.mulInPlace((float) beta2).addInPlace(residual.mul(residual).mul((float) (1 - beta2))).addInPlace(Tensor.scalar((float) eps));
        double bc1 = 1 - Math.pow(beta1, u.step()), bc2 = 1 - Math.pow(beta2, u.step());
        Tensor denom = s.sqrt().div((float) Math.sqrt(bc2)).add((float) eps);
        p.addInPlace(m.div(denom).mul((float) (-lr / bc1)));
    }
}
