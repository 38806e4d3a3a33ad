package dev.anneal.optim.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Steps several chainable schedulers of one optimizer together, so their factors multiply
 * (e.g. a ConstantLR warmup on top of an ExponentialLR decay).
 */
public final class ChainedScheduler extends LRScheduler {
    private final List<LRScheduler> schedulers;

    public ChainedScheduler(List<LRScheduler> schedulers) {
        super(first(schedulers).optimizer);
        for (int i = 1; i < schedulers.size(); i++) {
            if (schedulers.get(i) == null) throw new IllegalArgumentException("ChainedScheduler: scheduler " + i + " is null");
            if (schedulers.get(i).optimizer != optimizer)
                throw new IllegalArgumentException("ChainedScheduler: all schedulers must belong to the same optimizer, but schedulers 0 and "
                        + i + " drive different optimizers");
        }
        this.schedulers = List.copyOf(schedulers);
        lastLr = currentLrs();
    }

    private static LRScheduler first(List<LRScheduler> schedulers) {
        if (schedulers == null || schedulers.isEmpty()) throw new IllegalArgumentException("ChainedScheduler: needs at least one scheduler");
        if (schedulers.get(0) == null) throw new IllegalArgumentException("ChainedScheduler: scheduler 0 is null");
        return schedulers.get(0);
    }

    @Override
    public void step() {
        for (LRScheduler s : schedulers) s.step();
        lastLr = currentLrs();
    }

    /** Not supported (as in PyTorch). */
    @Override
    public void step(int epoch) {
        throw new UnsupportedOperationException("ChainedScheduler: step(epoch) is not supported; call step()");
    }

    @Override
    protected double[] computeLr() {
        throw new UnsupportedOperationException("ChainedScheduler: the lr comes from the chained schedulers");
    }

    /** The step index of the first scheduler in the chain. */
    @Override
    public int lastEpoch() {
        return schedulers.get(0).lastEpoch();
    }

    public List<LRScheduler> schedulers() {
        return schedulers;
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new java.util.LinkedHashMap<>();
        s.put("_last_lr", StateDicts.list(lastLr));
        List<Map<String, Object>> children = new ArrayList<>();
        for (LRScheduler c : schedulers) children.add(c.stateDict());
        s.put("_schedulers", children);
        return s;
    }

    @Override
    void readState(StateDicts.Reader r) {
        double[] ll = r.doubles("_last_lr");
        List<Map<String, Object>> children = r.maps("_schedulers", schedulers.size());
        lastLr = ll;
        for (int i = 0; i < children.size(); i++)
            schedulers.get(i).readState(new StateDicts.Reader(schedulers.get(i).name(), children.get(i)));
    }
}
