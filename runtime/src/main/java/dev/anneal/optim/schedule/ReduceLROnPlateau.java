package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import dev.anneal.optim.ParamGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Multiplies each group's lr by factor (not below its minLr) once a monitored metric has not
 * improved for more than patience steps, then waits cooldown steps before counting again.
 * "Improved" means below best·(1 − threshold) ("min", "rel"), below best − threshold ("min", "abs"),
 * or above best·(1 + threshold) / best + threshold in "max" mode. A reduction smaller than eps is
 * skipped. Step it with the metric, usually once per epoch after validation.
 * Build with {@link #builder(Optimizer)}.
 */
public final class ReduceLROnPlateau {
    private final Optimizer optimizer;
    private double factor;
    private double[] minLrs;
    private int patience;
    private int cooldown;
    private int cooldownCounter;
    private String mode;
    private double threshold;
    private String thresholdMode;
    private double best;
    private int numBadEpochs;
    private double modeWorse;
    private double eps;
    private int lastEpoch;
    private double[] lastLr;

    private ReduceLROnPlateau(Builder b) {
        optimizer = Objects.requireNonNull(b.optimizer, "ReduceLROnPlateau: optimizer is null");
        if (!(b.factor < 1.0)) throw new IllegalArgumentException("ReduceLROnPlateau: factor should be < 1.0, got " + b.factor);
        List<ParamGroup> groups = optimizer.paramGroups();
        minLrs = LRScheduler.perGroup("ReduceLROnPlateau", "minLr", b.minLr, groups.size());
        checkModes(b.mode, b.thresholdMode);
        factor = b.factor;
        patience = b.patience;
        cooldown = b.cooldown;
        mode = b.mode;
        threshold = b.threshold;
        thresholdMode = b.thresholdMode;
        modeWorse = mode.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        eps = b.eps;
        lastEpoch = 0;
        reset();
        lastLr = currentLrs();
    }

    private static void checkModes(String mode, String thresholdMode) {
        if (!"min".equals(mode) && !"max".equals(mode))
            throw new IllegalArgumentException("ReduceLROnPlateau: mode must be 'min' or 'max', got '" + mode + "'");
        if (!"rel".equals(thresholdMode) && !"abs".equals(thresholdMode))
            throw new IllegalArgumentException("ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got '" + thresholdMode + "'");
    }

    public static Builder builder(Optimizer optimizer) {
        return new Builder(optimizer);
    }

    private void reset() {
        best = modeWorse;
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    private double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) lrs[i] = groups.get(i).lr();
        return lrs;
    }

    /** Records one value of the monitored metric and reduces the lrs if it has stopped improving. */
    public void step(double metric) {
        lastEpoch = lastEpoch + 1;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0; // bad epochs during cooldown do not count
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double old = groups.get(i).lr();
            double lr = Math.max(old * factor, minLrs[i]);
            if (old - lr > eps) groups.get(i).setLr(lr);
        }
    }

    private boolean isBetter(double a, double best) {
        if (mode.equals("min")) return thresholdMode.equals("rel") ? a < best * (1. - threshold) : a < best - threshold;
        return thresholdMode.equals("rel") ? a > best * (threshold + 1.) : a > best + threshold;
    }

    /** The lr of each group after the latest step (the current lrs before any step). */
    public List<Double> getLastLr() {
        return StateDicts.list(lastLr);
    }

    /** The number of steps taken. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The best metric seen so far (±infinity before any step). */
    public double best() {
        return best;
    }

    public int numBadEpochs() {
        return numBadEpochs;
    }

    public boolean inCooldown() {
        return cooldownCounter > 0;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The scheduler's fields under PyTorch's names. */
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("factor", factor);
        s.put("min_lrs", StateDicts.list(minLrs));
        s.put("patience", patience);
        s.put("cooldown", cooldown);
        s.put("cooldown_counter", cooldownCounter);
        s.put("mode", mode);
        s.put("threshold", threshold);
        s.put("threshold_mode", thresholdMode);
        s.put("best", best);
        s.put("num_bad_epochs", numBadEpochs);
        s.put("mode_worse", modeWorse);
        s.put("eps", eps);
        s.put("last_epoch", lastEpoch);
        s.put("_last_lr", StateDicts.list(lastLr));
        return s;
    }

    /** Restores fields saved by {@link #stateDict()}; a bad entry is an error and changes nothing. */
    public void loadStateDict(Map<String, Object> state) {
        StateDicts.Reader r = new StateDicts.Reader("ReduceLROnPlateau", Objects.requireNonNull(state, "ReduceLROnPlateau: state is null"));
        double f = r.number("factor");
        double[] mins = r.doubles("min_lrs");
        int pat = r.integer("patience"), cool = r.integer("cooldown"), coolCounter = r.integer("cooldown_counter");
        String m = r.string("mode"), tm = r.string("threshold_mode");
        double th = r.number("threshold"), b = r.number("best"), e = r.number("eps");
        int bad = r.integer("num_bad_epochs"), last = r.integer("last_epoch");
        double[] ll = r.doubles("_last_lr");
        checkModes(m, tm);
        factor = f;
        minLrs = mins;
        patience = pat;
        cooldown = cool;
        cooldownCounter = coolCounter;
        mode = m;
        threshold = th;
        thresholdMode = tm;
        best = b;
        numBadEpochs = bad;
        modeWorse = m.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        eps = e;
        lastEpoch = last;
        lastLr = ll;
    }

    /** ReduceLROnPlateau's options; defaults are PyTorch's. */
    public static final class Builder {
        private final Optimizer optimizer;
        private String mode = "min";
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private String thresholdMode = "rel";
        private int cooldown = 0;
        private double[] minLr = {0};
        private double eps = 1e-8;

        private Builder(Optimizer optimizer) {
            this.optimizer = optimizer;
        }

        /** "min" (default: lower is better) or "max". */
        public Builder mode(String v) { mode = v; return this; }
        /** new lr = lr·factor; must be &lt; 1. */
        public Builder factor(double v) { factor = v; return this; }
        public Builder patience(int v) { patience = v; return this; }
        public Builder threshold(double v) { threshold = v; return this; }
        /** "rel" (default) or "abs". */
        public Builder thresholdMode(String v) { thresholdMode = v; return this; }
        public Builder cooldown(int v) { cooldown = v; return this; }
        /** A lower bound on the lr: one value or one per group. */
        public Builder minLr(double... v) { minLr = v.clone(); return this; }
        public Builder eps(double v) { eps = v; return this; }

        public ReduceLROnPlateau build() {
            return new ReduceLROnPlateau(this);
        }
    }
}
