package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import java.util.Map;

/**
 * Scales each group's lr by a factor moving linearly from startFactor to endFactor over totalIters
 * steps, then constant (a warmup when startFactor &lt; endFactor):
 * lr = base·(start + (end − start)·min(epoch, T)/T).
 */
public final class LinearLR extends LRScheduler {
    private double startFactor;
    private double endFactor;
    private int totalIters;

    /** startFactor 1/3, endFactor 1, totalIters 5 (PyTorch's defaults). */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5, -1);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        this(optimizer, startFactor, endFactor, totalIters, -1);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters, int lastEpoch) {
        super(optimizer);
        // PyTorch 1.13 accepts startFactor 0 and then divides by zero on the second step; refuse it here.
        if (!(startFactor > 0 && startFactor <= 1))
            throw new IllegalArgumentException("LinearLR: startFactor must be in (0, 1], got " + startFactor);
        if (!(endFactor >= 0 && endFactor <= 1))
            throw new IllegalArgumentException("LinearLR: endFactor must be in [0, 1], got " + endFactor);
        if (totalIters < 1) throw new IllegalArgumentException("LinearLR: totalIters must be >= 1, got " + totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialize(lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] *= startFactor;
            return lrs;
        }
        if (lastEpoch > totalIters) return lrs;
        // ratio of consecutive closed-form factors
        double f = 1. + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
        for (int i = 0; i < lrs.length; i++) lrs[i] *= f;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++)
            lrs[i] = baseLrs[i] * (startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters);
        return lrs;
    }

    @Override
    protected void writeState(Map<String, Object> s) {
        s.put("start_factor", startFactor);
        s.put("end_factor", endFactor);
        s.put("total_iters", totalIters);
    }

    @Override
    protected void readOwnState(StateDicts.Reader r) {
        startFactor = r.number("start_factor");
        endFactor = r.number("end_factor");
        totalIters = r.integer("total_iters");
    }
}
