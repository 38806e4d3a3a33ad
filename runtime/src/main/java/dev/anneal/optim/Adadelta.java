package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.OptimizerKernels;
import java.util.List;
import java.util.Map;

/**
 * Adadelta (Zeiler 2012): steps scaled by the ratio of running RMS of past updates to running RMS
 * of gradients; torch.optim.Adadelta. Options: lr 1.0, rho 0.9 (in [0, 1]), eps 1e-6,
 * weight_decay 0, maximize false. State: "square_avg", "acc_delta".
 */
public final class Adadelta extends StatefulOptimizer {
    static final Hyperparameters SPEC = Hyperparameters.of("Adadelta")
            .number("lr", 1.0, 0)
            .number("rho", 0.9, 0, 1, true)
            .number("eps", 1e-6, 0)
            .number("weight_decay", 0, 0)
            .flag("maximize", false);

    public Adadelta(List<Tensor> params) {
        this(params, Map.of());
    }

    public Adadelta(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public Adadelta(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        double rho = u.option("rho");
        float lr = (float) u.option("lr"), eps = (float) u.option("eps"), wd = (float) u.option("weight_decay");
        boolean maximize = u.flag("maximize");
        float[] sq = u.array("square_avg"), acc = u.array("acc_delta");
        fused(u, (p, po, g, go, n) -> OptimizerKernels.adadelta(p, po, g, go, sq, acc, n, lr, (float) rho, (float) (1 - rho), eps, wd,
                maximize));
    }
}
