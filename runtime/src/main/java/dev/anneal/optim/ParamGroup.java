package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters that share hyperparameters: the lr, weight decay, betas, momentum... of one group,
 * as in PyTorch's {@code param_groups}. Values are Double, Boolean or String; schedulers change
 * "lr" between steps.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    public ParamGroup(List<Tensor> params, Map<String, Object> options) {
        if (params == null || params.isEmpty()) throw new IllegalArgumentException("ParamGroup: a group needs at least one parameter");
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p == null) throw new IllegalArgumentException("ParamGroup: parameter " + i + " is null");
            if (!p.isLeaf())
                throw new IllegalArgumentException("ParamGroup: parameter " + i + " is not a leaf tensor (computed by "
                        + p.gradFnName() + "); optimizers update leaves");
            for (int j = 0; j < i; j++)
                if (params.get(j) == p) throw new IllegalArgumentException("ParamGroup: parameter " + i + " appears twice (also at " + j + ")");
        }
        this.params = Collections.unmodifiableList(new ArrayList<>(params));
        if (options != null) options.forEach(this::set);
    }

    public List<Tensor> params() {
        return params;
    }

    public double lr() {
        return getDouble("lr");
    }

    public void setLr(double lr) {
        set("lr", lr);
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public Object get(String name) {
        Object v = options.get(name);
        if (v == null && !options.containsKey(name))
            throw new IllegalArgumentException("ParamGroup: no option '" + name + "' (has " + options.keySet() + ")");
        return v;
    }

    public double getDouble(String name) {
        Object v = get(name);
        if (!(v instanceof Number n))
            throw new IllegalArgumentException("ParamGroup: option '" + name + "' is " + v + ", not a number");
        return n.doubleValue();
    }

    public boolean getBoolean(String name) {
        Object v = get(name);
        if (!(v instanceof Boolean b))
            throw new IllegalArgumentException("ParamGroup: option '" + name + "' is " + v + ", not a boolean");
        return b;
    }

    /** Sets an option; numbers are stored as Double. */
    public void set(String name, Object value) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("ParamGroup: option name is empty");
        if (value instanceof Number n) value = n.doubleValue();
        else if (value != null && !(value instanceof Boolean) && !(value instanceof String))
            throw new IllegalArgumentException("ParamGroup: option '" + name + "' must be a number, boolean or string, got "
                    + value.getClass().getSimpleName());
        options.put(name, value);
    }

    /** A copy of the options, in insertion order. */
    public Map<String, Object> options() {
        return new LinkedHashMap<>(options);
    }
}
