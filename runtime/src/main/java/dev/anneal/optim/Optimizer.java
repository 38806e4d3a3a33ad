package dev.anneal.optim;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Updates parameters from their gradients. Holds parameter groups, each with its own
 * hyperparameters; schedulers adjust a group's "lr" between steps.
 *
 * <p>The built-in algorithms and user-written ones extend {@link StatefulOptimizer}, which adds
 * validated hyperparameters, per-parameter state and {@code stateDict()}/{@code loadStateDict()}.
 */
public abstract class Optimizer {
    protected final List<ParamGroup> groups = new ArrayList<>();

    /** The groups, in the order they were given; options are live (a scheduler may set "lr"). */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** One update of every parameter that has a gradient. */
    public abstract void step();

    /**
     * Evaluates the closure (which typically zeroes gradients, runs the model, calls backward and
     * returns the loss), then takes one step; returns the closure's loss, as PyTorch's
     * {@code step(closure)}.
     */
    public Tensor step(Supplier<Tensor> closure) {
        if (closure == null) throw new IllegalArgumentException(getClass().getSimpleName() + ".step: closure is null");
        Tensor loss = closure.get();
        step();
        return loss;
    }

    /**
     * Sets every parameter's gradient to zero, in place. This is PyTorch 1.13's default
     * ({@code set_to_none=False}); PyTorch 2 changed the default to none.
     */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /** Zeroes every parameter's gradient in place, or with setToNone drops it (the next backward allocates afresh). */
    public void zeroGrad(boolean setToNone) {
        try (GradMode.NoGrad scope = GradMode.noGrad()) {
            for (ParamGroup g : groups)
                for (Tensor p : g.params()) {
                    if (p.grad() == null) continue;
                    if (setToNone) p.setGrad(null);
                    else p.grad().zero();
                }
        }
    }
}
