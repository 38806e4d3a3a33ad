package dev.anneal.tune;

import dev.anneal.train.checkpoint.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The range a parameter is drawn from. Samplers work on an internal double: the value itself for
 * floats and ints, the choice index for categoricals (Optuna's internal representation).
 */
public sealed interface Distribution permits FloatDistribution, IntDistribution, CategoricalDistribution {
    /** The internal double of a value of this distribution. */
    double toInternal(Object value);

    /** The user-facing value of an internal double: Double, Integer, or the categorical choice. */
    Object toExternal(double internal);

    /** True if the distribution has exactly one value (it is then returned without sampling). */
    boolean single();

    /** True if the value lies in this distribution. */
    boolean contains(Object value);

    /** A JSON-ready description; {@link #fromJson} reads it back. */
    Map<String, Object> toJson();

    static Distribution fromJson(Object o) {
        if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException("Distribution: expected a JSON object, got " + o);
        Object type = m.get("type");
        if ("float".equals(type)) {
            double step = m.get("step") == null ? Double.NaN : num(m, "step");
            return new FloatDistribution(num(m, "low"), num(m, "high"), Boolean.TRUE.equals(m.get("log")), step);
        }
        if ("int".equals(type))
            return new IntDistribution((int) num(m, "low"), (int) num(m, "high"), Boolean.TRUE.equals(m.get("log")), (int) num(m, "step"));
        if ("categorical".equals(type) && m.get("choices") instanceof List<?> l) return new CategoricalDistribution(new ArrayList<>(l));
        throw new IllegalArgumentException("Distribution: unknown description " + Json.write(o));
    }

    private static double num(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n)) throw new IllegalArgumentException("Distribution: '" + key + "' is not a number in " + Json.write(m));
        return n.doubleValue();
    }

    static Map<String, Object> json(String type, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
