package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.OptimizerKernels;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015) with optional AMSGrad and L2 weight decay added to the gradient;
 * torch.optim.Adam. Options: lr 1e-3, beta1 0.9, beta2 0.999 (PyTorch's betas), eps 1e-8,
 * weight_decay 0, amsgrad false, maximize false. State: "exp_avg", "exp_avg_sq", "max_exp_avg_sq".
 */
public final class Adam extends StatefulOptimizer {
    static final Hyperparameters SPEC = adamOptions("Adam", 1e-3, 0);

    static Hyperparameters adamOptions(String name, double lr, double weightDecay) {
        return Hyperparameters.of(name)
                .number("lr", lr, 0)
                .number("beta1", 0.9, 0, 1, false)
                .number("beta2", 0.999, 0, 1, false)
                .number("eps", 1e-8, 0)
                .number("weight_decay", weightDecay, 0)
                .flag("amsgrad", false)
                .flag("maximize", false);
    }

    public Adam(List<Tensor> params) {
        this(params, Map.of());
    }

    public Adam(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public Adam(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        adamStep(u, false);
    }

    /** One Adam or AdamW update: decoupled decay multiplies the parameter by 1 − lr·wd instead of adding wd·p to the gradient. */
    static void adamStep(ParamUpdate u, boolean decoupled) {
        double lr = u.option("lr"), beta1 = u.option("beta1"), beta2 = u.option("beta2"), wd = u.option("weight_decay");
        float eps = (float) u.option("eps");
        boolean amsgrad = u.flag("amsgrad"), maximize = u.flag("maximize");
        long t = u.step();
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        float negStep = (float) -(lr / bc1), bc2Sqrt = (float) Math.sqrt(bc2);
        float decay = decoupled ? (float) (1 - lr * wd) : 1f, l2 = decoupled ? 0f : (float) wd;
        float[] m = u.array("exp_avg"), v = u.array("exp_avg_sq"), vmax = amsgrad ? u.array("max_exp_avg_sq") : null;
        fused(u, (p, po, g, go, n) -> OptimizerKernels.adam(p, po, g, go, m, v, vmax, n, decay, l2, (float) beta1, (float) (1 - beta1),
                (float) beta2, (float) (1 - beta2), negStep, bc2Sqrt, eps, amsgrad, maximize));
    }
}
