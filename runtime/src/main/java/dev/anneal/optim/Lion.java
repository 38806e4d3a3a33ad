package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.OptimizerKernels;
import java.util.List;
import java.util.Map;

/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", Algorithm 2): the step
 * is lr·sign(β1·m + (1−β1)·g), then m ← β2·m + (1−β2)·g; weight decay is decoupled (p ← p·(1 − lr·wd)).
 * Not in PyTorch 1.13. Options: lr 1e-4, beta1 0.9, beta2 0.99, weight_decay 0, maximize false.
 * State: "exp_avg".
 */
public final class Lion extends StatefulOptimizer {
    static final Hyperparameters SPEC = Hyperparameters.of("Lion")
            .number("lr", 1e-4, 0)
            .number("beta1", 0.9, 0, 1, false)
            .number("beta2", 0.99, 0, 1, false)
            .number("weight_decay", 0, 0)
            .flag("maximize", false);

    public Lion(List<Tensor> params) {
        this(params, Map.of());
    }

    public Lion(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public Lion(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        double lr = u.option("lr"), beta1 = u.option("beta1"), beta2 = u.option("beta2");
        float decay = (float) (1 - lr * u.option("weight_decay"));
        boolean maximize = u.flag("maximize");
        float[] m = u.array("exp_avg");
        fused(u, (p, po, g, go, n) -> OptimizerKernels.lion(p, po, g, go, m, n, (float) lr, decay, (float) beta1, (float) (1 - beta1),
                (float) beta2, (float) (1 - beta2), maximize));
    }
}
