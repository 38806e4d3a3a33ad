package dev.anneal.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of an optimizer, as PyTorch's {@code state_dict()}: the algorithm's name, each
 * group's options plus {@code "params"} (a {@code List<Integer>} of parameter positions counted
 * across groups), and per-parameter state keyed by position. Option values are Double, Boolean or
 * String; state values are {@code Long} ("step"), {@code Double} (scalars such as NAdam's
 * "mu_product") or {@code Tensor} (own copies, shaped like the parameter).
 */
public record OptimizerState(String optimizer, List<Map<String, Object>> groups, Map<Integer, Map<String, Object>> state) {
    public OptimizerState {
        if (optimizer == null) throw new IllegalArgumentException("OptimizerState: optimizer name is null");
        if (groups == null || state == null) throw new IllegalArgumentException("OptimizerState: groups and state must not be null");
        List<Map<String, Object>> g = new ArrayList<>();
        for (Map<String, Object> m : groups) g.add(Collections.unmodifiableMap(new LinkedHashMap<>(m)));
        groups = Collections.unmodifiableList(g);
        Map<Integer, Map<String, Object>> s = new TreeMap<>();
        state.forEach((k, v) -> s.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        state = Collections.unmodifiableMap(s);
    }
}
