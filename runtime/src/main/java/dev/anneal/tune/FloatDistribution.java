package dev.anneal.tune;

import java.util.Map;

/**
 * Floats in [low, high], uniform or log-uniform, optionally on a grid low + k·step. As in Optuna,
 * a high that is not on the grid is lowered to the last grid point, and log excludes step.
 */
public record FloatDistribution(double low, double high, boolean log, double step) implements Distribution {
    public FloatDistribution {
        if (!Double.isFinite(low) || !Double.isFinite(high) || low > high)
            throw new IllegalArgumentException("FloatDistribution: need finite low <= high, got low=" + low + " high=" + high);
        if (log && low <= 0) throw new IllegalArgumentException("FloatDistribution: log needs low > 0, got low=" + low);
        if (!Double.isNaN(step)) {
            if (log) throw new IllegalArgumentException("FloatDistribution: step and log cannot both be set (step=" + step + ")");
            if (!(step > 0)) throw new IllegalArgumentException("FloatDistribution: step must be positive, got " + step);
            // tolerate rounding in (high-low)/step, e.g. 0.3/0.1 = 2.9999999999999996
            double k = Math.floor((high - low) / step + 1e-9);
            if (Math.abs(low + k * step - high) > 1e-9 * step) high = low + k * step;
        }
    }

    /** Uniform (or log-uniform) over [low, high] with no grid. */
    public FloatDistribution(double low, double high, boolean log) {
        this(low, high, log, Double.NaN);
    }

    public boolean hasStep() {
        return !Double.isNaN(step);
    }

    @Override
    public double toInternal(Object value) {
        return ((Number) value).doubleValue();
    }

    @Override
    public Object toExternal(double internal) {
        return internal;
    }

    @Override
    public boolean single() {
        return low == high;
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof Number n)) return false;
        double v = n.doubleValue();
        return v >= low && v <= high;
    }

    @Override
    public Map<String, Object> toJson() {
        return Distribution.json("float", "low", low, "high", high, "log", log, "step", hasStep() ? step : null);
    }
}
