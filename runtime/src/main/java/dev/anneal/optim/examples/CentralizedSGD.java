package dev.anneal.optim.examples;

import dev.anneal.autograd.Tensor;
import dev.anneal.optim.Hyperparameters;
import dev.anneal.optim.ParamGroup;
import dev.anneal.optim.ParamUpdate;
import dev.anneal.optim.StatefulOptimizer;
import java.util.List;
import java.util.Map;

/**
 * SGD with gradient centralization (Yong et al. 2020): for a weight of rank ≥ 2 the gradient
 * (after L2 decay) has its mean over all dims but the first removed, then heavy-ball momentum is
 * applied as in torch.optim.SGD. Written only against the public {@link StatefulOptimizer} API,
 * as an example: the gradient from {@link ParamUpdate#grad()} is a copy, so centralizing it in
 * place cannot disturb the parameter's real gradient. Options: lr (required), momentum 0,
 * weight_decay 0. State: "momentum_buffer" (with momentum).
 */
public final class CentralizedSGD extends StatefulOptimizer {
    private static final Hyperparameters SPEC = Hyperparameters.of("CentralizedSGD")
            .number("lr", Double.NaN, 0)
            .number("momentum", 0, 0)
            .number("weight_decay", 0, 0);

    public CentralizedSGD(List<Tensor> params, double lr) {
        this(params, Map.of("lr", lr));
    }

    public CentralizedSGD(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public CentralizedSGD(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        double lr = u.option("lr"), momentum = u.option("momentum"), wd = u.option("weight_decay");
        Tensor p = u.param(), d = u.grad();
        if (wd != 0) d.addInPlace(p.mul((float) wd));
        if (d.rank() > 1) {
            int[] dims = new int[d.rank() - 1];
            for (int i = 0; i < dims.length; i++) dims[i] = i + 1;
            d.addInPlace(d.mean(dims, true).neg());
        }
        if (momentum != 0) {
            boolean first = !u.hasState("momentum_buffer");
            Tensor buf = u.state("momentum_buffer");
            if (first) buf.copyFrom(d);
            else buf.mulInPlace((float) momentum).addInPlace(d);
            d = buf;
        }
        p.addInPlace(d.mul((float) -lr));
    }
}
