package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import java.util.Arrays;

/**
 * What {@link StatefulOptimizer#update} sees for one parameter: the parameter (to change in
 * place), a private copy of its gradient, the group's options, the framework-kept step count and
 * lazily created state that is saved and restored with the optimizer. Valid only during the call.
 */
public final class ParamUpdate {
    private final ParamGroup group;
    private final Tensor param;
    private final ParamState state;
    private final int position;
    private Tensor gradCopy;

    ParamUpdate(ParamGroup group, Tensor param, ParamState state, int position) {
        this.group = group;
        this.param = param;
        this.state = state;
        this.position = position;
    }

    /**
     * The parameter itself. Change it with in-place ops ({@code addInPlace}, {@code mulInPlace},
     * {@code copyFrom}); an out-of-place result assigned to a local changes nothing.
     */
    public Tensor param() {
        return param;
    }

    /** A copy of the gradient: changing it cannot corrupt a gradient that other code reads or shares. */
    public Tensor grad() {
        if (gradCopy == null) gradCopy = Tensor.of(param.grad().toArray(), param.shape());
        return gradCopy;
    }

    /** How many updates this parameter has had, this one included (1 on the first): use it for bias correction. */
    public long step() {
        return state.step;
    }

    /** The parameter's position, counted across groups (the key of its saved state). */
    public int position() {
        return position;
    }

    /** A number option of this parameter's group. */
    public double option(String name) {
        return group.getDouble(name);
    }

    /** A boolean option of this parameter's group. */
    public boolean flag(String name) {
        return group.getBoolean(name);
    }

    /** State tensor shaped like the parameter, created as zeros on first use. */
    public Tensor state(String name) {
        return state(name, 0f);
    }

    /** State tensor shaped like the parameter, filled with initial on first use. */
    public Tensor state(String name, float initial) {
        checkName(name, true);
        return state.tensors.computeIfAbsent(name, k -> Tensor.full(initial, param.shape()));
    }

    public boolean hasState(String name) {
        return state.tensors.containsKey(name) || state.scalars.containsKey(name);
    }

    /** A saved number, initial until first set. */
    public double scalar(String name, double initial) {
        checkName(name, false);
        return state.scalars.getOrDefault(name, initial);
    }

    public void setScalar(String name, double value) {
        checkName(name, false);
        state.scalars.put(name, value);
    }

    private void checkName(String name, boolean tensor) {
        if (name == null || name.isEmpty() || name.equals("step"))
            throw new IllegalArgumentException("ParamUpdate: state name '" + name + "' is empty or reserved (the framework keeps \"step\")");
        if (tensor ? state.scalars.containsKey(name) : state.tensors.containsKey(name))
            throw new IllegalArgumentException("ParamUpdate: state '" + name + "' is already a " + (tensor ? "number" : "tensor"));
    }

    // ------------------------------------------------------------ for the fused built-ins

    ParamGroup group() {
        return group;
    }

    Tensor rawGrad() {
        return param.grad();
    }

    /** The backing array of a state tensor (always contiguous from offset 0), created on first use. */
    float[] array(String name) {
        return state(name).storageData();
    }

    boolean hasTensor(String name) {
        return state.tensors.containsKey(name);
    }

    @Override
    public String toString() {
        return "ParamUpdate(position " + position + ", shape " + Arrays.toString(param.shape()) + ", step " + state.step + ")";
    }
}
