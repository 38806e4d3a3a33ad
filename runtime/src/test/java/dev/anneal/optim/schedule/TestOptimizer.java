package dev.anneal.optim.schedule;

import dev.anneal.autograd.Tensor;
import dev.anneal.optim.Optimizer;
import dev.anneal.optim.ParamGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An optimizer whose step does nothing: schedulers only need its groups. */
final class TestOptimizer extends Optimizer {
    @Override
    public void step() {}

    TestOptimizer group(Map<String, Object> options) {
        groups.add(new ParamGroup(List.of(Tensor.zeros(2).requiresGrad(true)), options));
        return this;
    }

    /** Two SGD-like groups as in gen_schedules.py: lr 0.1 / 0.02, momentum 0.9 / 0.8. */
    static TestOptimizer sgd() {
        return new TestOptimizer().group(opts("lr", 0.1, "momentum", 0.9)).group(opts("lr", 0.02, "momentum", 0.8));
    }

    /** Two Adam-like groups: lr 0.1 / 0.02, betas (0.9, 0.999) / (0.85, 0.99). */
    static TestOptimizer adam() {
        return new TestOptimizer().group(opts("lr", 0.1, "beta1", 0.9, "beta2", 0.999))
                .group(opts("lr", 0.02, "beta1", 0.85, "beta2", 0.99));
    }

    static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
