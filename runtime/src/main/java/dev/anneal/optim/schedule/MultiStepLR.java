package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import java.util.Arrays;
import java.util.Map;

/**
 * Multiplies each group's lr by gamma at each milestone step (by gamma^k for a milestone listed k
 * times): lr = base·gamma^(number of milestones ≤ epoch).
 */
public final class MultiStepLR extends LRScheduler {
    private int[] milestones; // sorted, with repeats
    private double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones) {
        this(optimizer, milestones, 0.1, -1);
    }

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        this(optimizer, milestones, gamma, -1);
    }

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma, int lastEpoch) {
        super(optimizer);
        if (milestones == null) throw new IllegalArgumentException("MultiStepLR: milestones is null");
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialize(lastEpoch);
    }

    private int count(int epoch) {
        int c = 0;
        for (int m : milestones) if (m == epoch) c++;
        return c;
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        int k = count(lastEpoch);
        if (k == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] * Math.pow(gamma, k);
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0;
        for (int m : milestones) if (m <= lastEpoch) passed++;
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * Math.pow(gamma, passed);
        return lrs;
    }

    @Override
    protected void writeState(Map<String, Object> s) {
        s.put("milestones", StateDicts.list(milestones));
        s.put("gamma", gamma);
    }

    @Override
    protected void readOwnState(StateDicts.Reader r) {
        int[] m = r.integers("milestones");
        gamma = r.number("gamma");
        Arrays.sort(m);
        milestones = m;
    }
}
