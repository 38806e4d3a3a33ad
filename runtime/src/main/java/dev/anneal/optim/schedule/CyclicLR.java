package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import dev.anneal.optim.ParamGroup;
import java.util.List;
import java.util.Map;

/**
 * Cyclical learning rates (Smith 2015): each group's lr moves linearly from baseLr up to maxLr over
 * stepSizeUp steps and back down over stepSizeDown, the amplitude scaled per cycle ("triangular": 1,
 * "triangular2": halved each cycle) or per iteration ("exp_range": gamma^iteration), or by a custom
 * {@link ScaleFn}. With cycleMomentum the group's "momentum" option moves inversely between
 * maxMomentum and baseMomentum. Meant to be stepped once per batch; not chainable.
 * Build with {@link #builder(Optimizer)}.
 */
public final class CyclicLR extends LRScheduler {
    /** Scales the cycle amplitude; receives the cycle number (from 1) or the iteration, as chosen by scaleMode. */
    @FunctionalInterface
    public interface ScaleFn {
        double scale(double x);
    }

    private double[] maxLrs;
    private double totalSize;
    private double stepRatio;
    private String mode;
    private double gamma;
    private final ScaleFn customScaleFn;
    private String scaleMode;
    private boolean cycleMomentum;
    private double[] baseMomenta;
    private double[] maxMomenta;

    private CyclicLR(Builder b) {
        super(b.optimizer);
        List<ParamGroup> groups = optimizer.paramGroups();
        if (b.baseLr == null || b.maxLr == null) throw new IllegalArgumentException("CyclicLR: baseLr and maxLr are required");
        double[] base = perGroup("CyclicLR", "baseLr", b.baseLr, groups.size());
        maxLrs = perGroup("CyclicLR", "maxLr", b.maxLr, groups.size());
        if (b.stepSizeUp < 1) throw new IllegalArgumentException("CyclicLR: stepSizeUp must be >= 1, got " + b.stepSizeUp);
        if (b.stepSizeDown != null && b.stepSizeDown < 0)
            throw new IllegalArgumentException("CyclicLR: stepSizeDown must be >= 0, got " + b.stepSizeDown);
        if (b.scaleFn == null && !List.of("triangular", "triangular2", "exp_range").contains(b.mode))
            throw new IllegalArgumentException("CyclicLR: mode must be 'triangular', 'triangular2' or 'exp_range' when no scaleFn is given, got '"
                    + b.mode + "'");
        if (!b.scaleMode.equals("cycle") && !b.scaleMode.equals("iterations"))
            throw new IllegalArgumentException("CyclicLR: scaleMode must be 'cycle' or 'iterations', got '" + b.scaleMode + "'");
        if (b.cycleMomentum)
            for (int i = 0; i < groups.size(); i++)
                if (!groups.get(i).has("momentum"))
                    throw new IllegalArgumentException("CyclicLR: cycleMomentum needs a 'momentum' option in every param group (group " + i
                            + " has " + groups.get(i).options().keySet() + "); use cycleMomentum(false)");
        double[] baseMomentum = b.cycleMomentum ? perGroup("CyclicLR", "baseMomentum", b.baseMomentum, groups.size()) : null;
        double[] maxMomentum = b.cycleMomentum ? perGroup("CyclicLR", "maxMomentum", b.maxMomentum, groups.size()) : null;

        if (b.lastEpoch == -1)
            for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(base[i]);
        double up = b.stepSizeUp;
        double down = b.stepSizeDown != null ? b.stepSizeDown : up;
        totalSize = up + down;
        stepRatio = up / totalSize;
        mode = b.mode;
        gamma = b.gamma;
        customScaleFn = b.scaleFn;
        scaleMode = b.scaleFn != null ? b.scaleMode : mode.equals("exp_range") ? "iterations" : "cycle";
        cycleMomentum = b.cycleMomentum;
        if (cycleMomentum) {
            if (b.lastEpoch == -1)
                for (int i = 0; i < groups.size(); i++) groups.get(i).set("momentum", baseMomentum[i]);
            baseMomenta = new double[groups.size()];
            for (int i = 0; i < baseMomenta.length; i++) baseMomenta[i] = groups.get(i).getDouble("momentum");
            maxMomenta = maxMomentum;
        }
        initialize(b.lastEpoch);
        baseLrs = base; // as PyTorch: the first step used "initial_lr", later ones use baseLr
    }

    public static Builder builder(Optimizer optimizer) {
        return new Builder(optimizer);
    }

    private double scale(double x) {
        if (customScaleFn != null) return customScaleFn.scale(x);
        switch (mode) {
            case "triangular": return 1.;
            case "triangular2": return 1 / Math.pow(2., x - 1);
            default: return Math.pow(gamma, x);
        }
    }

    @Override
    protected double[] computeLr() {
        double cycle = Math.floor(1 + lastEpoch / totalSize);
        double x = 1. + lastEpoch / totalSize - cycle;
        double scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double s = scale(scaleMode.equals("cycle") ? cycle : lastEpoch);
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            double baseHeight = (maxLrs[i] - baseLrs[i]) * scaleFactor;
            lrs[i] = baseLrs[i] + baseHeight * s;
        }
        if (cycleMomentum) {
            List<ParamGroup> groups = optimizer.paramGroups();
            for (int i = 0; i < baseMomenta.length && i < groups.size(); i++) {
                double baseHeight = (maxMomenta[i] - baseMomenta[i]) * scaleFactor;
                groups.get(i).set("momentum", maxMomenta[i] - baseHeight * s);
            }
        }
        return lrs;
    }

    @Override
    protected void writeState(Map<String, Object> st) {
        st.put("max_lrs", StateDicts.list(maxLrs));
        st.put("total_size", totalSize);
        st.put("step_ratio", stepRatio);
        st.put("mode", mode);
        st.put("gamma", gamma);
        st.put("scale_mode", scaleMode);
        st.put("cycle_momentum", cycleMomentum);
        if (cycleMomentum) {
            st.put("base_momentums", StateDicts.list(baseMomenta));
            st.put("max_momentums", StateDicts.list(maxMomenta));
        }
    }

    @Override
    protected void readOwnState(StateDicts.Reader r) {
        double[] max = r.doubles("max_lrs");
        double total = r.number("total_size"), ratio = r.number("step_ratio");
        String m = r.string("mode"), sm = r.string("scale_mode");
        double g = r.number("gamma");
        boolean cycle = r.bool("cycle_momentum");
        double[] bm = cycle ? r.doubles("base_momentums") : null, mm = cycle ? r.doubles("max_momentums") : null;
        maxLrs = max;
        totalSize = total;
        stepRatio = ratio;
        mode = m;
        scaleMode = sm;
        gamma = g;
        cycleMomentum = cycle;
        baseMomenta = bm;
        maxMomenta = mm;
    }

    /** CyclicLR's options; defaults are PyTorch's. */
    public static final class Builder {
        private final Optimizer optimizer;
        private double[] baseLr, maxLr;
        private int stepSizeUp = 2000;
        private Integer stepSizeDown;
        private String mode = "triangular";
        private double gamma = 1.;
        private ScaleFn scaleFn;
        private String scaleMode = "cycle";
        private boolean cycleMomentum = true;
        private double[] baseMomentum = {0.8};
        private double[] maxMomentum = {0.9};
        private int lastEpoch = -1;

        private Builder(Optimizer optimizer) {
            this.optimizer = optimizer;
        }

        /** The lower lr bound: one value or one per group (required). */
        public Builder baseLr(double... v) { baseLr = v.clone(); return this; }
        /** The upper lr bound: one value or one per group (required). */
        public Builder maxLr(double... v) { maxLr = v.clone(); return this; }
        public Builder stepSizeUp(int v) { stepSizeUp = v; return this; }
        /** Defaults to stepSizeUp. */
        public Builder stepSizeDown(int v) { stepSizeDown = v; return this; }
        /** "triangular" (default), "triangular2" or "exp_range"; ignored with a scaleFn. */
        public Builder mode(String v) { mode = v; return this; }
        public Builder gamma(double v) { gamma = v; return this; }
        /** A custom amplitude scale in [0, 1], replacing mode. */
        public Builder scaleFn(ScaleFn v) { scaleFn = v; return this; }
        /** What scaleFn receives: "cycle" (default) or "iterations". */
        public Builder scaleMode(String v) { scaleMode = v; return this; }
        public Builder cycleMomentum(boolean v) { cycleMomentum = v; return this; }
        public Builder baseMomentum(double... v) { baseMomentum = v.clone(); return this; }
        public Builder maxMomentum(double... v) { maxMomentum = v.clone(); return this; }
        /** The index of the last batch when resuming (-1: start). */
        public Builder lastEpoch(int v) { lastEpoch = v; return this; }

        public CyclicLR build() {
            return new CyclicLR(this);
        }
    }
}
