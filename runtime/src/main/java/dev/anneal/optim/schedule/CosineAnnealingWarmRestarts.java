package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import java.util.Map;

/**
 * Cosine annealing with warm restarts (SGDR, Loshchilov &amp; Hutter 2016):
 * lr = etaMin + (base − etaMin)·(1 + cos(π·T_cur/T_i))/2, where T_cur counts steps since the last
 * restart and the period T_i starts at t0 and is multiplied by tMult at each restart.
 * {@link #step(double)} accepts a fractional epoch (e.g. epoch + batch/batches).
 */
public final class CosineAnnealingWarmRestarts extends LRScheduler {
    private int t0;
    private long tI;
    private int tMult;
    private double etaMin;
    private double tCur;

    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0) {
        this(optimizer, t0, 1, 0.0, -1);
    }

    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin) {
        this(optimizer, t0, tMult, etaMin, -1);
    }

    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin, int lastEpoch) {
        super(optimizer);
        if (t0 <= 0) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: expected a positive integer t0, got " + t0);
        if (tMult < 1) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: expected an integer tMult >= 1, got " + tMult);
        this.t0 = t0;
        this.tI = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tCur = lastEpoch;
        initialize(lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
        return lrs;
    }

    /** One step further; a restart happens when T_cur reaches T_i. */
    @Override
    public void step() {
        if (lastEpoch < 0) {
            step(0.0);
            return;
        }
        int epoch = lastEpoch + 1;
        tCur = tCur + 1;
        if (tCur >= tI) {
            tCur = tCur - tI;
            tI = tI * tMult;
        }
        lastEpoch = epoch;
        apply(computeLr());
    }

    @Override
    public void step(int epoch) {
        step((double) epoch);
    }

    /** Jumps to a (possibly fractional) epoch ≥ 0, placing it within its restart period. */
    public void step(double epoch) {
        if (!(epoch >= 0)) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: expected a non-negative epoch, got " + epoch);
        if (epoch >= t0) {
            if (tMult == 1) {
                tCur = epoch % t0;
            } else {
                // n restarts have happened when t0·(tMult^n − 1)/(tMult − 1) ≤ epoch
                int n = (int) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
                long pow = 1;
                for (int k = 0; k < n; k++) pow *= tMult;
                tCur = epoch - (double) (t0 * (pow - 1)) / (tMult - 1);
                tI = t0 * pow;
            }
        } else {
            tI = t0;
            tCur = epoch;
        }
        lastEpoch = (int) Math.floor(epoch);
        apply(computeLr());
    }

    @Override
    protected void writeState(Map<String, Object> s) {
        s.put("T_0", t0);
        s.put("T_i", tI);
        s.put("T_mult", tMult);
        s.put("eta_min", etaMin);
        s.put("T_cur", tCur);
    }

    @Override
    protected void readOwnState(StateDicts.Reader r) {
        t0 = r.integer("T_0");
        tI = r.longInteger("T_i");
        tMult = r.integer("T_mult");
        etaMin = r.number("eta_min");
        tCur = r.number("T_cur");
    }
}
