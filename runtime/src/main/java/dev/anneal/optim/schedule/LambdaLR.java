package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import java.util.Collections;
import java.util.List;

/**
 * Sets each group's lr to its base lr times a user function of the step: lr = base·f(epoch).
 * The functions are not part of the state dict: rebuild the scheduler with the same functions.
 */
public final class LambdaLR extends LRScheduler {
    private final LrLambda[] lambdas;

    /** One function for every group. */
    public LambdaLR(Optimizer optimizer, LrLambda lrLambda) {
        this(optimizer, Collections.nCopies(optimizer.paramGroups().size(), lrLambda), -1);
    }

    /** One function per group. */
    public LambdaLR(Optimizer optimizer, List<LrLambda> lrLambdas) {
        this(optimizer, lrLambdas, -1);
    }

    public LambdaLR(Optimizer optimizer, List<LrLambda> lrLambdas, int lastEpoch) {
        super(optimizer);
        lambdas = MultiplicativeLR.checkLambdas("LambdaLR", optimizer, lrLambdas);
        initialize(lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * lambdas[i].factor(lastEpoch);
        return lrs;
    }
}
