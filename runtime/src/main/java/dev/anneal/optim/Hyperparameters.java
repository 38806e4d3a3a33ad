package dev.anneal.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The per-group options an optimizer accepts: each with its default and valid range, plus rules
 * across options. Resolving a group's options fills in defaults and rejects unknown names, wrong
 * types and out-of-range values with a message naming the optimizer, the option and the range.
 *
 * <p>Example: {@code Hyperparameters.of("AdaBelief").number("lr", 1e-3, 0, INF, true).flag("amsgrad", false)}.
 */
public final class Hyperparameters {
    /** Stands for "no upper bound" in {@link #number}. */
    public static final double INF = Double.POSITIVE_INFINITY;

    private record Rule(String message, Predicate<Map<String, Object>> holds) {}

    private sealed interface Option permits NumberOption, FlagOption {}

    private record NumberOption(String name, Double def, double min, double max, boolean maxInclusive) implements Option {}

    private record FlagOption(String name, boolean def) implements Option {}

    private final String optimizer;
    private final Map<String, Option> options = new LinkedHashMap<>();
    private final List<Rule> rules = new ArrayList<>();

    private Hyperparameters(String optimizer) {
        this.optimizer = optimizer;
    }

    /** An empty declaration for the optimizer of that name (used in error messages and state dicts). */
    public static Hyperparameters of(String optimizer) {
        if (optimizer == null || optimizer.isBlank()) throw new IllegalArgumentException("Hyperparameters: optimizer name is empty");
        return new Hyperparameters(optimizer);
    }

    /**
     * A number option valid in [min, max] (or [min, max) when not maxInclusive); pass
     * {@code Double.NaN} as the default to make it required.
     */
    public Hyperparameters number(String name, double def, double min, double max, boolean maxInclusive) {
        checkNew(name);
        NumberOption o = new NumberOption(name, Double.isNaN(def) ? null : def, min, max, maxInclusive);
        if (o.def != null && !inRange(o, o.def))
            throw new IllegalArgumentException(optimizer + ": default of '" + name + "' (" + def + ") is outside " + range(o));
        options.put(name, o);
        return this;
    }

    /** A number option valid in [min, ∞). */
    public Hyperparameters number(String name, double def, double min) {
        return number(name, def, min, INF, true);
    }

    /** A boolean option. */
    public Hyperparameters flag(String name, boolean def) {
        checkNew(name);
        options.put(name, new FlagOption(name, def));
        return this;
    }

    /** A condition across options that every group must satisfy; message says what is wrong. */
    public Hyperparameters rule(String message, Predicate<Map<String, Object>> holds) {
        rules.add(new Rule(message, holds));
        return this;
    }

    private void checkNew(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException(optimizer + ": option name is empty");
        if (name.equals("params")) throw new IllegalArgumentException(optimizer + ": 'params' is reserved for the group's parameters");
        if (options.containsKey(name)) throw new IllegalArgumentException(optimizer + ": option '" + name + "' is declared twice");
    }

    public String optimizer() {
        return optimizer;
    }

    /** The declared option names, in declaration order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(options.keySet()));
    }

    /** The declared defaults (required options absent). */
    public Map<String, Object> defaults() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Option o : options.values()) {
            if (o instanceof NumberOption n && n.def != null) out.put(n.name, n.def);
            if (o instanceof FlagOption f) out.put(f.name, f.def);
        }
        return out;
    }

    /**
     * Options for one group: declared defaults, overridden by {@code base} (the optimizer's
     * defaults), overridden by {@code overrides}; validated. Numbers come back as Double.
     */
    public Map<String, Object> resolve(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> out = defaults();
        if (base != null) base.forEach((k, v) -> out.put(k, checkValue(k, v)));
        if (overrides != null) overrides.forEach((k, v) -> out.put(k, checkValue(k, v)));
        validate(out);
        return out;
    }

    /**
     * Throws IllegalArgumentException unless options holds every declared name with a valid value.
     * Names the optimizer does not declare are left alone: schedulers keep their own options in
     * the groups ("initial_lr", "max_lr", ...), as in PyTorch. (Typos are caught earlier, when
     * options are given to a constructor or addParamGroup, by {@link #resolve}.)
     */
    public void validate(Map<String, Object> values) {
        for (Map.Entry<String, Object> e : values.entrySet())
            if (options.containsKey(e.getKey())) checkValue(e.getKey(), e.getValue());
        for (Option o : options.values()) {
            String name = o instanceof NumberOption n ? n.name : ((FlagOption) o).name;
            if (!values.containsKey(name))
                throw new IllegalArgumentException(optimizer + ": option '" + name + "' is required"
                        + (o instanceof NumberOption n ? " (expected " + range(n) + ")" : ""));
        }
        for (Rule r : rules)
            if (!r.holds.test(values)) throw new IllegalArgumentException(optimizer + ": " + r.message + " (options " + values + ")");
    }

    /** Checks one option value (name known, right type, in range); returns it with numbers as Double. */
    public Object checkValue(String name, Object v) {
        Option o = options.get(name);
        if (o == null)
            throw new IllegalArgumentException(optimizer + ": unknown option '" + name + "' (options: " + String.join(", ", options.keySet()) + ")");
        if (o instanceof FlagOption) {
            if (!(v instanceof Boolean))
                throw new IllegalArgumentException(optimizer + ": option '" + name + "' must be a boolean, got " + describe(v));
            return v;
        }
        NumberOption n = (NumberOption) o;
        if (!(v instanceof Number num))
            throw new IllegalArgumentException(optimizer + ": option '" + name + "' must be a number, got " + describe(v));
        double d = num.doubleValue();
        if (!inRange(n, d)) throw new IllegalArgumentException(optimizer + ": invalid " + name + ": " + d + " (expected " + range(n) + ")");
        return d;
    }

    private static String describe(Object v) {
        return v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")";
    }

    private static boolean inRange(NumberOption o, double v) {
        return v >= o.min && (o.maxInclusive ? v <= o.max : v < o.max);
    }

    private static String range(NumberOption o) {
        String lo = fmt(o.min) + " <= " + o.name;
        if (o.max == INF) return lo;
        return lo + (o.maxInclusive ? " <= " : " < ") + fmt(o.max);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
