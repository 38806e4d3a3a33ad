package dev.anneal.optim.schedule;

import dev.anneal.optim.Optimizer;
import dev.anneal.optim.ParamGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after another: the i-th drives the lr from milestone i−1 (restarted there at
 * step 0) until milestone i. Typical use: a LinearLR warmup followed by a cosine decay.
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private int[] milestones;

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        this(optimizer, schedulers, milestones, -1);
    }

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones, int lastEpoch) {
        super(optimizer);
        if (schedulers == null || schedulers.isEmpty()) throw new IllegalArgumentException("SequentialLR: needs at least one scheduler");
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i) == null) throw new IllegalArgumentException("SequentialLR: scheduler " + i + " is null");
            if (schedulers.get(i).optimizer != optimizer)
                throw new IllegalArgumentException("SequentialLR: all schedulers must belong to the same optimizer, but scheduler " + i
                        + " drives a different optimizer than the one passed in");
            if (schedulers.get(i) instanceof ChainedScheduler)
                throw new IllegalArgumentException("SequentialLR: scheduler " + i + " is a ChainedScheduler, which cannot be restarted");
        }
        if (milestones == null || milestones.length != schedulers.size() - 1)
            throw new IllegalArgumentException("SequentialLR: expects one milestone fewer than schedulers, got " + schedulers.size()
                    + " schedulers and " + (milestones == null ? "no" : String.valueOf(milestones.length)) + " milestones");
        for (int i = 1; i < milestones.length; i++)
            if (milestones[i] < milestones[i - 1])
                throw new IllegalArgumentException("SequentialLR: milestones must be non-decreasing, got " + Arrays.toString(milestones));
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        this.lastEpoch = lastEpoch + 1;
        for (ParamGroup g : optimizer.paramGroups()) g.setLr(g.getDouble("initial_lr"));
        for (LRScheduler s : this.schedulers) s.lastEpoch -= 1;
        this.schedulers.get(0).initialStep();
        lastLr = this.schedulers.get(0).lastLr.clone();
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) idx++; // bisect_right
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.step(0);
        else s.step();
        lastLr = s.lastLr.clone();
    }

    /** Not supported (as in PyTorch): a sequence has no closed form. */
    @Override
    public void step(int epoch) {
        throw new UnsupportedOperationException("SequentialLR: step(epoch) is not supported; call step()");
    }

    @Override
    protected double[] computeLr() {
        throw new UnsupportedOperationException("SequentialLR: the lr comes from the active scheduler");
    }

    /** The schedulers, in order. */
    public List<LRScheduler> schedulers() {
        return schedulers;
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new java.util.LinkedHashMap<>();
        s.put("_milestones", StateDicts.list(milestones));
        s.put("last_epoch", lastEpoch);
        s.put("_last_lr", StateDicts.list(lastLr));
        List<Map<String, Object>> children = new ArrayList<>();
        for (LRScheduler c : schedulers) children.add(c.stateDict());
        s.put("_schedulers", children);
        return s;
    }

    @Override
    void readState(StateDicts.Reader r) {
        int[] m = r.integers("_milestones");
        int last = r.integer("last_epoch");
        double[] ll = r.doubles("_last_lr");
        List<Map<String, Object>> children = r.maps("_schedulers", schedulers.size());
        if (m.length != schedulers.size() - 1)
            throw new IllegalArgumentException("SequentialLR.loadStateDict: " + m.length + " milestones for " + schedulers.size() + " schedulers");
        milestones = m;
        lastEpoch = last;
        lastLr = ll;
        for (int i = 0; i < children.size(); i++)
            schedulers.get(i).readState(new StateDicts.Reader(schedulers.get(i).name(), children.get(i)));
    }
}
