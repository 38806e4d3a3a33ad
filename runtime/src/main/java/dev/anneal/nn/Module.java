package dev.anneal.nn;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A piece of a model: named parameters (trainable tensors), buffers (state that is saved but
 * not trained, such as BatchNorm's running statistics) and child modules, each registered under
 * a name so that the whole tree can be walked, saved and loaded by dotted names
 * ({@code "0.weight"}, {@code "block.bn.running_mean"}), as in PyTorch.
 *
 * <p>Subclasses implement {@link #forward}; callers use {@link #invoke} (in Kotlin: {@code model(x)}),
 * which also lets {@link #summary} observe every layer.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Generator> generators = new LinkedHashMap<>();
    private boolean training = true;

    /** The computation; use {@link #invoke} to run a module. */
    public abstract Tensor forward(Tensor input);

    /** Runs forward (and notifies an active {@link #summary} recorder). */
    public final Tensor invoke(Tensor input) {
        Tensor out = forward(input);
        SummaryRecorder.record(this, out);
        return out;
    }

    // ---------------------------------------------------------------- registration

    /** Registers t as a parameter (it gets requiresGrad) and returns it. */
    protected final Tensor registerParameter(String name, Tensor t) {
        checkName(name);
        if (t != null && !t.isLeaf())
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name
                    + "' must be a leaf tensor (detach() it first), it was computed by " + t.gradFnName());
        parameters.put(name, t == null ? null : t.requiresGrad(true));
        return t;
    }

    /** Registers a buffer: saved in the state dict and moved with the module, never trained. */
    protected final Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        buffers.put(name, t);
        return t;
    }

    protected final <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        if (m == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": child module '" + name + "' is null");
        children.put(name, m);
        return m;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' must be non-empty without dots");
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": '" + name + "' is already registered");
    }

    /**
     * Registers a random source the module draws from during forward (dropout masks), so that
     * checkpoints can save and restore its state and a resumed run draws the same numbers.
     */
    protected final Generator registerGenerator(String name, Generator g) {
        if (g == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": generator '" + name + "' is null");
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' must be non-empty without dots");
        generators.put(name, g);
        return g;
    }

    /** Dotted name → generator, each generator once (a shared default generator appears under its first name). */
    public Map<String, Generator> namedGenerators() {
        Map<String, Generator> out = new LinkedHashMap<>();
        java.util.Set<Generator> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Map.Entry<String, Module> m : namedModules().entrySet())
            for (Map.Entry<String, Generator> g : m.getValue().generators.entrySet())
                if (seen.add(g.getValue())) out.put(m.getKey().isEmpty() ? g.getKey() : m.getKey() + "." + g.getKey(), g.getValue());
        return out;
    }

    /**
     * Registers a buffer on this module from outside it, as PyTorch's public register_buffer
     * (pruning attaches its "weight_mask" this way, so that the mask is saved with the weights).
     */
    public final Tensor addBuffer(String name, Tensor t) {
        if (t == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": buffer '" + name + "' is null");
        return registerBuffer(name, t);
    }

    /** Unregisters a buffer (it leaves the state dict) and returns it. */
    public final Tensor removeBuffer(String name) {
        if (!buffers.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no buffer named '" + name + "' (has " + buffers.keySet() + ")");
        return buffers.remove(name);
    }

    /** Replaces the tensor of a registered buffer (e.g. a running statistic); shapes must match. */
    protected final void setBuffer(String name, Tensor t) {
        if (!buffers.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no buffer named '" + name + "'");
        buffers.put(name, t);
    }

    // ---------------------------------------------------------------- modes

    /** Training mode (dropout active, batch statistics used); returns this. */
    public Module train() {
        return train(true);
    }

    /** Evaluation mode (dropout off, running statistics used); returns this. */
    public Module eval() {
        return train(false);
    }

    public Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    // ---------------------------------------------------------------- walking the tree

    /** Every parameter of this module and its descendants, each once, in registration order. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Dotted name → parameter; a tensor shared by two modules appears once, under its first name. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return out;
    }

    /** Dotted name → buffer. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false, Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean params, java.util.Set<Tensor> seen) {
        for (Map.Entry<String, Tensor> e : (params ? parameters : buffers).entrySet())
            if (e.getValue() != null && seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        for (Map.Entry<String, Module> c : children.entrySet()) c.getValue().collect(prefix + c.getKey() + ".", out, params, seen);
    }

    /** Direct children by name. */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** This module ("") and every descendant, by dotted name, depth first. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        ArrayList<Object[]> stack = new ArrayList<>();
        stack.add(new Object[] {"", this});
        while (!stack.isEmpty()) {
            Object[] top = stack.remove(stack.size() - 1);
            String name = (String) top[0];
            Module m = (Module) top[1];
            out.put(name, m);
            List<Map.Entry<String, Module>> kids = new ArrayList<>(m.children.entrySet());
            for (int i = kids.size() - 1; i >= 0; i--)
                stack.add(new Object[] {name.isEmpty() ? kids.get(i).getKey() : name + "." + kids.get(i).getKey(), kids.get(i).getValue()});
        }
        return out;
    }

    /** Number of parameter elements; trainableOnly counts only those with requiresGrad. */
    public long parameterCount(boolean trainableOnly) {
        long n = 0;
        for (Tensor p : parameters()) if (!trainableOnly || p.requiresGrad()) n += p.numel();
        return n;
    }

    /** Stops training every parameter of this module (requiresGrad false); returns this. */
    public Module freeze() {
        for (Tensor p : parameters()) p.requiresGrad(false);
        return this;
    }

    public Module unfreeze() {
        for (Tensor p : parameters()) p.requiresGrad(true);
        return this;
    }

    // ---------------------------------------------------------------- state dict

    /**
     * Parameters and buffers by dotted name, as detached tensors sharing storage with the
     * module (copy them to keep a snapshot), in registration order.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateEntries("", out);
        return out;
    }

    private void stateEntries(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Tensor> e : parameters.entrySet())
            if (e.getValue() != null) out.put(prefix + e.getKey(), e.getValue().detach());
        for (Map.Entry<String, Tensor> e : buffers.entrySet())
            if (e.getValue() != null) out.put(prefix + e.getKey(), e.getValue().detach());
        for (Map.Entry<String, Module> c : children.entrySet()) c.getValue().stateEntries(prefix + c.getKey() + ".", out);
    }

    /**
     * Copies values into this module's parameters and buffers. Everything is checked before
     * anything is written, so a failed load leaves the module untouched. With strict, missing and
     * unexpected keys are errors; shape mismatches always are.
     */
    public void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor mine = own.get(e.getKey());
            if (mine == null) unexpected.add(e.getKey());
            else if (e.getValue() == null || !Arrays.equals(mine.shape(), e.getValue().shape()))
                mismatched.add(e.getKey() + " (checkpoint " + (e.getValue() == null ? "null" : Shape.str(e.getValue().shape()))
                        + ", model " + Shape.str(mine.shape()) + ")");
        }
        boolean bad = !mismatched.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()));
        if (bad) {
            StringBuilder msg = new StringBuilder("loadStateDict: state does not fit " + getClass().getSimpleName() + ":");
            if (!missing.isEmpty() && strict) msg.append("\n  missing keys: ").append(missing);
            if (!unexpected.isEmpty() && strict) msg.append("\n  unexpected keys: ").append(unexpected);
            if (!mismatched.isEmpty()) msg.append("\n  shape mismatches: ").append(mismatched);
            throw new IllegalArgumentException(msg.toString());
        }
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) e.getValue().copyFrom(src);
            }
        }
    }

    // ---------------------------------------------------------------- summary

    /**
     * One screen describing the model: each leaf layer with its output shape for a batch of the
     * given input shape, and its parameter count; totals at the bottom. Runs one forward pass in
     * eval mode without recording a graph, then restores the previous mode.
     */
    public String summary(int... inputShape) {
        return SummaryRecorder.summarize(this, inputShape);
    }

    /** Name of the layer for summaries: the class name and its settings, e.g. {@code Linear(784, 256)}. */
    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    /** Parameters registered directly on this module (not its children), by name. */
    protected final Map<String, Tensor> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }
}
