package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import java.util.Map;

/** Multiplies each group's lr by gamma every stepSize steps: lr = base·gamma^⌊epoch/stepSize⌋. */
public final class StepLR extends LRScheduler {
    private int stepSize;
    private double gamma;

    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1, -1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        this(optimizer, stepSize, gamma, -1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma, int lastEpoch) {
        super(optimizer);
        if (stepSize < 1) throw new IllegalArgumentException("StepLR: stepSize must be >= 1, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialize(lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0 || Math.floorMod(lastEpoch, stepSize) != 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        return lrs;
    }

    @Override
    protected void writeState(Map<String, Object> s) {
        s.put("step_size", stepSize);
        s.put("gamma", gamma);
    }

    @Override
    protected void readOwnState(StateDicts.Reader r) {
        stepSize = r.integer("step_size");
        gamma = r.number("gamma");
    }
}
