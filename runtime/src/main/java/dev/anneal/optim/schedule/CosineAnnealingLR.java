package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import java.util.Map;

/**
 * Cosine annealing from the base lr to etaMin over tMax steps and back up over the next tMax
 * (SGDR without restarts, Loshchilov &amp; Hutter 2016), in PyTorch's recursive chainable form:
 * lr_t = etaMin + (lr_{t−1} − etaMin)·(1 + cos(πt/T))/(1 + cos(π(t−1)/T)).
 */
public final class CosineAnnealingLR extends LRScheduler {
    private int tMax;
    private double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0, -1);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        this(optimizer, tMax, etaMin, -1);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin, int lastEpoch) {
        super(optimizer);
        if (tMax < 1) throw new IllegalArgumentException("CosineAnnealingLR: tMax must be >= 1, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialize(lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        if (stepCount == 1 && lastEpoch > 0) return closedFormLr(); // resumed: no previous lr to recurse from
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            // at the trough the ratio below is 0/0: step up by the first increment instead
            for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            return lrs;
        }
        double ratio = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax));
        for (int i = 0; i < lrs.length; i++) lrs[i] = ratio * (lrs[i] - etaMin) + etaMin;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        return lrs;
    }

    @Override
    protected void writeState(Map<String, Object> s) {
        s.put("T_max", tMax);
        s.put("eta_min", etaMin);
    }

    @Override
    protected void readOwnState(StateDicts.Reader r) {
        tMax = r.integer("T_max");
        etaMin = r.number("eta_min");
    }
}
