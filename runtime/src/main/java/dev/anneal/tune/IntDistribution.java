package dev.anneal.tune;

import java.util.Map;

/**
 * Integers low, low+step, ..., ≤ high, uniform or log-uniform. As in Optuna, a high off the grid
 * is lowered to the last grid point, and log needs step 1 and low ≥ 1.
 */
public record IntDistribution(int low, int high, boolean log, int step) implements Distribution {
    public IntDistribution {
        if (low > high) throw new IllegalArgumentException("IntDistribution: need low <= high, got low=" + low + " high=" + high);
        if (step < 1) throw new IllegalArgumentException("IntDistribution: step must be at least 1, got " + step);
        if (log && (step != 1 || low < 1))
            throw new IllegalArgumentException("IntDistribution: log needs step 1 and low >= 1, got low=" + low + " step=" + step);
        high = (int) (low + ((long) high - low) / step * step);
    }

    @Override
    public double toInternal(Object value) {
        return ((Number) value).doubleValue();
    }

    @Override
    public Object toExternal(double internal) {
        return (int) Math.round(internal);
    }

    @Override
    public boolean single() {
        return low == high;
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof Number n)) return false;
        double v = n.doubleValue();
        return v >= low && v <= high && v == Math.rint(v) && ((long) v - low) % step == 0;
    }

    @Override
    public Map<String, Object> toJson() {
        return Distribution.json("int", "low", low, "high", high, "log", log, "step", step);
    }
}
