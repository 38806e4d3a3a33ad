package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import dev.anneal.optim.ParamGroup;
import java.util.List;
import java.util.Map;

/**
 * The 1cycle policy (Smith &amp; Topin 2017): the lr rises from maxLr/divFactor to maxLr over the first
 * pctStart of totalSteps, then anneals (cosine or linear) to initial/finalDivFactor; with threePhase
 * it first returns symmetrically to the initial lr. Momentum, when cycled, moves inversely between
 * maxMomentum and baseMomentum. Meant to be stepped once per batch; not chainable.
 *
 * <p>Reads and writes these group options: "lr", "initial_lr", "max_lr", "min_lr", and with
 * cycleMomentum "max_momentum", "base_momentum" and the cycled one: "beta1" when every group has it
 * (Adam-like optimizers keep betas as "beta1"/"beta2"), else "momentum".
 * Build with {@link #builder(Optimizer)}.
 */
public final class OneCycleLR extends LRScheduler {
    private int totalSteps;
    private double pctStart;
    private String annealStrategy;
    private boolean threePhase;
    private boolean cycleMomentum;
    private boolean useBeta1;
    private Phase[] phases;

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {}

    private OneCycleLR(Builder b) {
        super(b.optimizer);
        List<ParamGroup> groups = optimizer.paramGroups();
        if (b.totalSteps == null && b.epochs == null && b.stepsPerEpoch == null)
            throw new IllegalArgumentException("OneCycleLR: define either totalSteps or (epochs and stepsPerEpoch)");
        if (b.totalSteps != null) {
            if (b.totalSteps <= 0) throw new IllegalArgumentException("OneCycleLR: expected a positive integer totalSteps, got " + b.totalSteps);
            totalSteps = b.totalSteps;
        } else {
            if (b.epochs == null || b.epochs <= 0) throw new IllegalArgumentException("OneCycleLR: expected a positive integer epochs, got " + b.epochs);
            if (b.stepsPerEpoch == null || b.stepsPerEpoch <= 0)
                throw new IllegalArgumentException("OneCycleLR: expected a positive integer stepsPerEpoch, got " + b.stepsPerEpoch);
            totalSteps = Math.multiplyExact(b.epochs, b.stepsPerEpoch);
        }
        if (!(b.pctStart >= 0 && b.pctStart <= 1))
            throw new IllegalArgumentException("OneCycleLR: expected pctStart between 0 and 1, got " + b.pctStart);
        if (!b.annealStrategy.equals("cos") && !b.annealStrategy.equals("linear"))
            throw new IllegalArgumentException("OneCycleLR: annealStrategy must be 'cos' or 'linear', got '" + b.annealStrategy + "'");
        if (b.maxLr == null) throw new IllegalArgumentException("OneCycleLR: maxLr is required");
        pctStart = b.pctStart;
        annealStrategy = b.annealStrategy;
        threePhase = b.threePhase;
        phases = phases(totalSteps, pctStart, threePhase);
        double[] maxLrs = perGroup("OneCycleLR", "maxLr", b.maxLr, groups.size());
        cycleMomentum = b.cycleMomentum;
        double[] maxMomenta = null, baseMomenta = null;
        if (cycleMomentum) {
            useBeta1 = groups.stream().allMatch(g -> g.has("beta1"));
            if (!useBeta1 && !groups.stream().allMatch(g -> g.has("momentum")))
                throw new IllegalArgumentException("OneCycleLR: cycleMomentum needs every param group to have a 'momentum' or 'beta1' option "
                        + "(group 0 has " + groups.get(0).options().keySet() + "); use cycleMomentum(false)");
            maxMomenta = perGroup("OneCycleLR", "maxMomentum", b.maxMomentum, groups.size());
            baseMomenta = perGroup("OneCycleLR", "baseMomentum", b.baseMomentum, groups.size());
        }
        if (b.lastEpoch == -1) {
            for (int i = 0; i < groups.size(); i++) {
                ParamGroup g = groups.get(i);
                g.set("initial_lr", maxLrs[i] / b.divFactor);
                g.set("max_lr", maxLrs[i]);
                g.set("min_lr", g.getDouble("initial_lr") / b.finalDivFactor);
                if (cycleMomentum) {
                    g.set(useBeta1 ? "beta1" : "momentum", maxMomenta[i]);
                    g.set("max_momentum", maxMomenta[i]);
                    g.set("base_momentum", baseMomenta[i]);
                }
            }
        }
        initialize(b.lastEpoch);
    }

    private static Phase[] phases(int total, double pct, boolean three) {
        if (three)
            return new Phase[] {
                new Phase(pct * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(2 * pct * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                new Phase(total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum")};
        return new Phase[] {
            new Phase(pct * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
            new Phase(total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum")};
    }

    public static Builder builder(Optimizer optimizer) {
        return new Builder(optimizer);
    }

    private double anneal(double start, double end, double pct) {
        if (annealStrategy.equals("cos")) return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
        return (end - start) * pct + start;
    }

    @Override
    protected double[] computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps)
            throw new IllegalStateException("OneCycleLR: tried to step " + (stepNum + 1) + " times; the specified number of total steps is "
                    + totalSteps);
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int gi = 0; gi < lrs.length; gi++) {
            ParamGroup g = groups.get(gi);
            double start = 0;
            for (int i = 0; i < phases.length; i++) {
                Phase p = phases[i];
                if (stepNum <= p.endStep || i == phases.length - 1) {
                    double pct = (stepNum - start) / (p.endStep - start);
                    lrs[gi] = anneal(g.getDouble(p.startLr), g.getDouble(p.endLr), pct);
                    if (cycleMomentum)
                        g.set(useBeta1 ? "beta1" : "momentum", anneal(g.getDouble(p.startMomentum), g.getDouble(p.endMomentum), pct));
                    break;
                }
                start = p.endStep;
            }
        }
        return lrs;
    }

    @Override
    protected void writeState(Map<String, Object> s) {
        s.put("total_steps", totalSteps);
        s.put("pct_start", pctStart);
        s.put("anneal_strategy", annealStrategy);
        s.put("three_phase", threePhase);
        s.put("cycle_momentum", cycleMomentum);
        s.put("use_beta1", useBeta1);
    }

    @Override
    protected void readOwnState(StateDicts.Reader r) {
        int total = r.integer("total_steps");
        double pct = r.number("pct_start");
        String strategy = r.string("anneal_strategy");
        boolean three = r.bool("three_phase");
        boolean cycle = r.bool("cycle_momentum");
        boolean beta1 = r.bool("use_beta1");
        if (!strategy.equals("cos") && !strategy.equals("linear"))
            throw new IllegalArgumentException("OneCycleLR.loadStateDict: anneal_strategy must be 'cos' or 'linear', got '" + strategy + "'");
        totalSteps = total;
        pctStart = pct;
        annealStrategy = strategy;
        threePhase = three;
        cycleMomentum = cycle;
        useBeta1 = beta1;
        phases = phases(totalSteps, pctStart, threePhase);
    }

    /** OneCycleLR's options; defaults are PyTorch's. */
    public static final class Builder {
        private final Optimizer optimizer;
        private double[] maxLr;
        private Integer totalSteps, epochs, stepsPerEpoch;
        private double pctStart = 0.3;
        private String annealStrategy = "cos";
        private boolean cycleMomentum = true;
        private double[] baseMomentum = {0.85};
        private double[] maxMomentum = {0.95};
        private double divFactor = 25.;
        private double finalDivFactor = 1e4;
        private boolean threePhase;
        private int lastEpoch = -1;

        private Builder(Optimizer optimizer) {
            this.optimizer = optimizer;
        }

        /** The peak lr: one value for all groups or one per group (required). */
        public Builder maxLr(double... v) { maxLr = v.clone(); return this; }
        public Builder totalSteps(int v) { totalSteps = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder stepsPerEpoch(int v) { stepsPerEpoch = v; return this; }
        public Builder pctStart(double v) { pctStart = v; return this; }
        /** "cos" (default) or "linear". */
        public Builder annealStrategy(String v) { annealStrategy = v; return this; }
        public Builder cycleMomentum(boolean v) { cycleMomentum = v; return this; }
        public Builder baseMomentum(double... v) { baseMomentum = v.clone(); return this; }
        public Builder maxMomentum(double... v) { maxMomentum = v.clone(); return this; }
        public Builder divFactor(double v) { divFactor = v; return this; }
        public Builder finalDivFactor(double v) { finalDivFactor = v; return this; }
        public Builder threePhase(boolean v) { threePhase = v; return this; }
        /** The index of the last batch when resuming (-1: start). */
        public Builder lastEpoch(int v) { lastEpoch = v; return this; }

        public OneCycleLR build() {
            return new OneCycleLR(this);
        }
    }
}
