package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import java.util.Map;

/** Multiplies each group's lr by gamma every step: lr = base·gamma^epoch. */
public final class ExponentialLR extends LRScheduler {
    private double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        this(optimizer, gamma, -1);
    }

    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch) {
        super(optimizer);
        this.gamma = gamma;
        initialize(lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * Math.pow(gamma, lastEpoch);
        return lrs;
    }

    @Override
    protected void writeState(Map<String, Object> s) {
        s.put("gamma", gamma);
    }

    @Override
    protected void readOwnState(StateDicts.Reader r) {
        gamma = r.number("gamma");
    }
}
