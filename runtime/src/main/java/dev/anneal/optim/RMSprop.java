package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.OptimizerKernels;
import java.util.List;
import java.util.Map;

/**
 * RMSprop (Hinton's lecture 6e): steps divided by a running root-mean-square of the gradient,
 * optionally centered (minus the running mean) and with momentum; torch.optim.RMSprop.
 * Options: lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered false,
 * maximize false. State: "square_avg", "grad_avg" (centered), "momentum_buffer" (momentum).
 */
public final class RMSprop extends StatefulOptimizer {
    static final Hyperparameters SPEC = Hyperparameters.of("RMSprop")
            .number("lr", 1e-2, 0)
            .number("alpha", 0.99, 0)
            .number("eps", 1e-8, 0)
            .number("weight_decay", 0, 0)
            .number("momentum", 0, 0)
            .flag("centered", false)
            .flag("maximize", false);

    public RMSprop(List<Tensor> params) {
        this(params, Map.of());
    }

    public RMSprop(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public RMSprop(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        double alpha = u.option("alpha");
        float lr = (float) u.option("lr"), eps = (float) u.option("eps"), wd = (float) u.option("weight_decay");
        float momentum = (float) u.option("momentum");
        boolean centered = u.flag("centered"), maximize = u.flag("maximize");
        float[] sq = u.array("square_avg");
        float[] gAvg = centered ? u.array("grad_avg") : null, buf = momentum > 0f ? u.array("momentum_buffer") : null;
        fused(u, (p, po, g, go, n) -> OptimizerKernels.rmsprop(p, po, g, go, sq, gAvg, buf, n, lr, (float) alpha, (float) (1 - alpha), eps,
                wd, momentum, centered, maximize));
    }
}
