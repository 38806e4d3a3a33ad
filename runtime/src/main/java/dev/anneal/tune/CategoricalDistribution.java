package dev.anneal.tune;

import dev.anneal.train.checkpoint.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One of a list of choices: null, String, Boolean, Integer/Long or Float/Double (what a study file
 * can hold). Choices compare by their JSON text, so 32 and 32L are the same choice, as after a resume.
 */
public final class CategoricalDistribution implements Distribution {
    private final List<Object> choices;
    private final List<String> keys;

    public CategoricalDistribution(List<?> choices) {
        if (choices == null || choices.isEmpty()) throw new IllegalArgumentException("CategoricalDistribution: needs at least one choice");
        List<String> k = new ArrayList<>();
        for (Object c : choices) {
            if (!(c == null || c instanceof String || c instanceof Boolean || c instanceof Integer || c instanceof Long
                    || c instanceof Float || c instanceof Double))
                throw new IllegalArgumentException("CategoricalDistribution: choice " + c + " is a " + c.getClass().getName()
                        + "; expected null, String, Boolean, Integer, Long, Float or Double");
            String key = Json.write(c);
            if (k.contains(key)) throw new IllegalArgumentException("CategoricalDistribution: duplicate choice " + key + " in " + choices);
            k.add(key);
        }
        this.choices = Collections.unmodifiableList(new ArrayList<>(choices));
        this.keys = List.copyOf(k);
    }

    public List<Object> choices() {
        return choices;
    }

    /** Index of a choice, or -1. */
    public int indexOf(Object value) {
        try {
            return keys.indexOf(Json.write(value));
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    @Override
    public double toInternal(Object value) {
        int i = indexOf(value);
        if (i < 0) throw new IllegalArgumentException("CategoricalDistribution: " + value + " is not among " + keys);
        return i;
    }

    @Override
    public Object toExternal(double internal) {
        return choices.get((int) internal);
    }

    @Override
    public boolean single() {
        return choices.size() == 1;
    }

    @Override
    public boolean contains(Object value) {
        return indexOf(value) >= 0;
    }

    @Override
    public Map<String, Object> toJson() {
        return Distribution.json("categorical", "choices", choices);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalDistribution c && c.keys.equals(keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    @Override
    public String toString() {
        return "CategoricalDistribution" + keys;
    }
}
