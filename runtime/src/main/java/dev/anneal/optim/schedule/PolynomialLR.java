package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import java.util.Map;

/** Decays each group's lr polynomially to 0 over totalIters steps: lr = base·(1 − min(epoch, T)/T)^power. */
public final class PolynomialLR extends LRScheduler {
    private int totalIters;
    private double power;

    /** totalIters 5, power 1 (PyTorch's defaults). */
    public PolynomialLR(Optimizer optimizer) {
        this(optimizer, 5, 1.0, -1);
    }

    public PolynomialLR(Optimizer optimizer, int totalIters, double power) {
        this(optimizer, totalIters, power, -1);
    }

    public PolynomialLR(Optimizer optimizer, int totalIters, double power, int lastEpoch) {
        super(optimizer);
        if (totalIters < 1) throw new IllegalArgumentException("PolynomialLR: totalIters must be >= 1, got " + totalIters);
        this.totalIters = totalIters;
        this.power = power;
        initialize(lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0 || lastEpoch > totalIters) return lrs;
        double decay = Math.pow((1.0 - (double) lastEpoch / totalIters) / (1.0 - (double) (lastEpoch - 1) / totalIters), power);
        for (int i = 0; i < lrs.length; i++) lrs[i] *= decay;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++)
            lrs[i] = baseLrs[i] * Math.pow(1.0 - (double) Math.min(totalIters, lastEpoch) / totalIters, power);
        return lrs;
    }

    @Override
    protected void writeState(Map<String, Object> s) {
        s.put("total_iters", totalIters);
        s.put("power", power);
    }

    @Override
    protected void readOwnState(StateDicts.Reader r) {
        totalIters = r.integer("total_iters");
        power = r.number("power");
    }
}
