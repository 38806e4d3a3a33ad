package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import java.util.Collections;
import java.util.List;

/**
 * Multiplies each group's lr by a user function of the step at every step after the first:
 * lr_t = lr_{t−1}·f(t). The functions are not part of the state dict.
 */
public final class MultiplicativeLR extends LRScheduler {
    private final LrLambda[] lambdas;

    /** One function for every group. */
    public MultiplicativeLR(Optimizer optimizer, LrLambda lrLambda) {
        this(optimizer, Collections.nCopies(optimizer.paramGroups().size(), lrLambda), -1);
    }

    /** One function per group. */
    public MultiplicativeLR(Optimizer optimizer, List<LrLambda> lrLambdas) {
        this(optimizer, lrLambdas, -1);
    }

    public MultiplicativeLR(Optimizer optimizer, List<LrLambda> lrLambdas, int lastEpoch) {
        super(optimizer);
        lambdas = checkLambdas("MultiplicativeLR", optimizer, lrLambdas);
        initialize(lastEpoch);
    }

    static LrLambda[] checkLambdas(String owner, Optimizer optimizer, List<LrLambda> lrLambdas) {
        int groups = optimizer.paramGroups().size();
        if (lrLambdas == null) throw new IllegalArgumentException(owner + ": lrLambdas is null");
        if (lrLambdas.size() != groups)
            throw new IllegalArgumentException(owner + ": expected " + groups + " lr lambdas (one per param group), got " + lrLambdas.size());
        for (int i = 0; i < groups; i++)
            if (lrLambdas.get(i) == null) throw new IllegalArgumentException(owner + ": lr lambda " + i + " is null");
        return lrLambdas.toArray(new LrLambda[0]);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch > 0)
            for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] * lambdas[i].factor(lastEpoch);
        return lrs;
    }
}
