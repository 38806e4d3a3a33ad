package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import dev.anneal.optim.ParamGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sets the "lr" of every group of one optimizer from a step counter, as PyTorch 1.13's
 * {@code _LRScheduler}.
 *
 * <p>The counter is {@link #lastEpoch()}: construction performs the first step (counter 0) and each
 * {@link #step()} advances it by one. Whether a step stands for an epoch or a batch is up to the
 * caller; the scheduler only counts calls (OneCycleLR and CyclicLR are usually stepped per batch,
 * the others per epoch). Call {@code optimizer.step()} before {@code scheduler.step()}.
 *
 * <p>Most schedules are chainable: {@link #step()} computes the new lr from the group's current lr,
 * so several schedulers may act on one optimizer and outside changes to the lr are kept. Each group
 * receives an "initial_lr" option at construction (the base lr); resuming with {@code lastEpoch ≠ -1}
 * requires the groups to carry it already.
 *
 * <p>{@link #stateDict()} holds the scheduler's own fields under PyTorch's names (values are Double,
 * Integer, Boolean, String, or lists of those; composite schedulers nest their children's maps).
 * Group options such as the current lr live in the optimizer and are saved with it.
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected double[] baseLrs = new double[0];
    int lastEpoch;
    int stepCount;
    protected double[] lastLr = new double[0];

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, getClass().getSimpleName() + ": optimizer is null");
    }

    /** The tail of PyTorch's constructor: records "initial_lr", the base lrs, and takes the first step. */
    protected final void initialize(int lastEpoch) {
        List<ParamGroup> groups = optimizer.paramGroups();
        if (lastEpoch < -1)
            throw new IllegalArgumentException(name() + ": lastEpoch must be -1 (start) or a step index >= 0, got " + lastEpoch);
        if (lastEpoch == -1) {
            for (ParamGroup g : groups)
                if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
        } else {
            for (int i = 0; i < groups.size(); i++)
                if (!groups.get(i).has("initial_lr"))
                    throw new IllegalArgumentException(name() + ": param group " + i + " has no 'initial_lr' option; resuming with lastEpoch="
                            + lastEpoch + " needs the groups of an optimizer a scheduler already ran on (or restored from its state dict)");
        }
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) baseLrs[i] = groups.get(i).getDouble("initial_lr");
        this.lastEpoch = lastEpoch;
        initialStep();
    }

    /** Resets the step count and takes a step (also used by SequentialLR to restart a child). */
    void initialStep() {
        stepCount = 0;
        step();
    }

    /** Advances the counter by one and sets each group's lr (the chainable form). */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(computeLr());
    }

    /**
     * Jumps to an explicit step index, using the closed form where the schedule has one (PyTorch's
     * deprecated {@code step(epoch)}; SequentialLR uses it to restart a schedule at 0).
     */
    public void step(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        double[] lrs = closedFormLr();
        apply(lrs != null ? lrs : computeLr());
    }

    /** The lr of each group for the current {@code lastEpoch}, from the groups' current lrs (PyTorch's get_lr). */
    protected abstract double[] computeLr();

    /** The lrs as a function of {@code lastEpoch} and the base lrs alone, or null when the schedule has none. */
    protected double[] closedFormLr() {
        return null;
    }

    final void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        int n = Math.min(groups.size(), lrs.length);
        for (int i = 0; i < n; i++) groups.get(i).setLr(lrs[i]);
        lastLr = currentLrs();
    }

    /** The current lr of each group. */
    protected final double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) lrs[i] = groups.get(i).lr();
        return lrs;
    }

    /** The lr of each group as set by the latest step. */
    public List<Double> getLastLr() {
        return StateDicts.list(lastLr);
    }

    /** The index of the latest step (0 right after construction). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The base lr of each group (its "initial_lr"). */
    public List<Double> baseLrs() {
        return StateDicts.list(baseLrs);
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    String name() {
        return getClass().getSimpleName();
    }

    /** The scheduler's fields (not the optimizer's), under PyTorch's names. */
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("base_lrs", StateDicts.list(baseLrs));
        s.put("last_epoch", lastEpoch);
        s.put("_step_count", stepCount);
        s.put("_last_lr", StateDicts.list(lastLr));
        writeState(s);
        return s;
    }

    /** Adds the subclass's fields to a state dict. */
    protected void writeState(Map<String, Object> state) {}

    /**
     * Restores fields saved by {@link #stateDict()}; restore the optimizer's state too (it holds the
     * current lrs). A missing or mistyped entry is an error and leaves this scheduler unchanged.
     */
    public final void loadStateDict(Map<String, Object> state) {
        Objects.requireNonNull(state, name() + ".loadStateDict: state is null");
        Map<String, Object> backup = stateDict();
        try {
            readState(new StateDicts.Reader(name(), state));
        } catch (RuntimeException e) {
            readState(new StateDicts.Reader(name(), backup));
            throw e;
        }
    }

    /** Reads the fields {@link #stateDict()} wrote. */
    void readState(StateDicts.Reader r) {
        baseLrs = r.doubles("base_lrs");
        lastEpoch = r.integer("last_epoch");
        stepCount = r.integer("_step_count");
        lastLr = r.doubles("_last_lr");
        readOwnState(r);
    }

    /** Reads the subclass's fields. */
    protected void readOwnState(StateDicts.Reader r) {}

    static double[] perGroup(String owner, String what, double[] values, int groups) {
        if (values.length == 1 && groups != 1) {
            double[] out = new double[groups];
            java.util.Arrays.fill(out, values[0]);
            return out;
        }
        if (values.length != groups)
            throw new IllegalArgumentException(owner + ": expected " + groups + " values for " + what + " (one per param group), got "
                    + values.length);
        return values.clone();
    }
}
