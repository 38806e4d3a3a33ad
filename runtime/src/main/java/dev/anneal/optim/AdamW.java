package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019): each step first multiplies the
 * parameter by 1 − lr·weight_decay instead of adding weight_decay·p to the gradient;
 * torch.optim.AdamW. Options as {@link Adam} but weight_decay defaults to 0.01.
 */
public final class AdamW extends StatefulOptimizer {
    static final Hyperparameters SPEC = Adam.adamOptions("AdamW", 1e-3, 1e-2);

    public AdamW(List<Tensor> params) {
        this(params, Map.of());
    }

    public AdamW(List<Tensor> params, Map<String, Object> options) {
        super(SPEC, params, options);
    }

    public AdamW(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(SPEC, defaults, groups);
    }

    @Override
    protected void update(ParamUpdate u) {
        Adam.adamStep(u, true);
    }
}
