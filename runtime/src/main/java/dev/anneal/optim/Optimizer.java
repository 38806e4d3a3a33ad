package dev.anneal.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Updates parameters from their gradients. Holds parameter groups, each with its own
 * hyperparameters; schedulers adjust a group's "lr" between steps.
 */
public abstract class Optimizer {
    protected final List<ParamGroup> groups = new ArrayList<>();

    /** The groups, in the order they were given; options are live (a scheduler may set "lr"). */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** One update of every parameter that has a gradient. */
    public abstract void step();
}
