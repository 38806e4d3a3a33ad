package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import java.util.Map;

/** Scales each group's lr by factor for the first totalIters steps, then restores it. */
public final class ConstantLR extends LRScheduler {
    private double factor;
    private int totalIters;

    /** factor 1/3, totalIters 5 (PyTorch's defaults). */
    public ConstantLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 5, -1);
    }

    public ConstantLR(Optimizer optimizer, double factor, int totalIters) {
        this(optimizer, factor, totalIters, -1);
    }

    public ConstantLR(Optimizer optimizer, double factor, int totalIters, int lastEpoch) {
        super(optimizer);
        if (!(factor >= 0 && factor <= 1))
            throw new IllegalArgumentException("ConstantLR: factor must be between 0 and 1, got " + factor);
        this.factor = factor;
        this.totalIters = totalIters;
        initialize(lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] *= factor;
        } else if (lastEpoch == totalIters) {
            for (int i = 0; i < lrs.length; i++) lrs[i] *= 1.0 / factor;
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * (factor + (lastEpoch >= totalIters ? 1 - factor : 0.0));
        return lrs;
    }

    @Override
    protected void writeState(Map<String, Object> s) {
        s.put("factor", factor);
        s.put("total_iters", totalIters);
    }

    @Override
    protected void readOwnState(StateDicts.Reader r) {
        factor = r.number("factor");
        totalIters = r.integer("total_iters");
    }
}
