package dev.anneal.optim;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The base of every optimizer here, and the API for writing your own: declare the group options
 * in a {@link Hyperparameters}, implement {@link #update(ParamUpdate)} for one parameter, and the
 * framework does the rest —
 * <ul>
 *   <li>{@link #step()} runs with autograd off, skips parameters without a gradient and frozen ones
 *       ({@code requiresGrad} false), and validates every group's options before changing anything;</li>
 *   <li>each parameter's state (tensors and numbers from {@link ParamUpdate#state}/{@link ParamUpdate#scalar},
 *       and the step count from {@link ParamUpdate#step()}) is created on first use, keyed by the
 *       parameter's position across groups, and saved/restored by {@link #stateDict()}/{@link #loadStateDict};</li>
 *   <li>{@link ParamUpdate#grad()} is a copy, so an update cannot corrupt a shared gradient.</li>
 * </ul>
 * See {@link dev.anneal.optim.examples.AdaBelief} and {@link dev.anneal.optim.examples.CentralizedSGD}
 * for complete examples written against this API alone.
 */
public abstract class StatefulOptimizer extends Optimizer {
    private final Hyperparameters spec;
    private final Map<String, Object> defaults;
    private final TreeMap<Integer, ParamState> state = new TreeMap<>();

    /** One group of params; options override the declared defaults. */
    protected StatefulOptimizer(Hyperparameters spec, List<Tensor> params, Map<String, Object> options) {
        this.spec = requireSpec(spec);
        this.defaults = Collections.unmodifiableMap(spec.resolve(options, null));
        addParamGroup(params, null);
    }

    /** Several groups, each overriding some of {@code defaults} (which override the declared ones). */
    protected StatefulOptimizer(Hyperparameters spec, Map<String, Object> defaults, List<ParamGroup> groups) {
        this.spec = requireSpec(spec);
        Map<String, Object> base = defaults == null ? Map.of() : defaults;
        // a required option (SGD's lr) may come per group, so check the defaults without requiring it
        Map<String, Object> merged = spec.defaults();
        base.forEach((k, v) -> merged.put(k, spec.checkValue(k, v)));
        this.defaults = Collections.unmodifiableMap(merged);
        if (groups == null || groups.isEmpty()) throw new IllegalArgumentException(spec.optimizer() + ": no parameter groups given");
        List<ParamGroup> built = new ArrayList<>();
        for (ParamGroup g : groups) {
            if (g == null) throw new IllegalArgumentException(spec.optimizer() + ": a parameter group is null");
            built.add(new ParamGroup(g.params(), spec.resolve(this.defaults, g.options())));
        }
        checkDisjoint(built);
        this.groups.addAll(built);
    }

    private static Hyperparameters requireSpec(Hyperparameters spec) {
        if (spec == null) throw new IllegalArgumentException("StatefulOptimizer: hyperparameter declaration is null");
        return spec;
    }

    /** The option declaration (names, defaults, ranges). */
    public final Hyperparameters hyperparameters() {
        return spec;
    }

    /** The options a new group gets unless it overrides them. */
    public final Map<String, Object> defaults() {
        return defaults;
    }

    /** Adds a group (e.g. layers unfrozen later); options override {@link #defaults()}. */
    public final ParamGroup addParamGroup(List<Tensor> params, Map<String, Object> options) {
        ParamGroup g = new ParamGroup(params, spec.resolve(defaults, options));
        List<ParamGroup> all = new ArrayList<>(groups);
        all.add(g);
        checkDisjoint(all);
        groups.add(g);
        return g;
    }

    public final ParamGroup addParamGroup(ParamGroup group) {
        if (group == null) throw new IllegalArgumentException(spec.optimizer() + ".addParamGroup: group is null");
        return addParamGroup(group.params(), group.options());
    }

    private void checkDisjoint(List<ParamGroup> all) {
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int gi = 0; gi < all.size(); gi++)
            for (Tensor p : all.get(gi).params()) {
                Integer prev = seen.put(p, gi);
                if (prev != null)
                    throw new IllegalArgumentException(spec.optimizer() + ": a parameter of shape " + Shape.str(p.shape())
                            + " appears in group " + prev + " and group " + gi + "; each parameter belongs to one group");
            }
    }

    /** Updates one parameter that has a gradient; called with autograd off. */
    protected abstract void update(ParamUpdate u);

    @Override
    public final void step() {
        for (int gi = 0; gi < groups.size(); gi++) {
            try {
                spec.validate(groups.get(gi).options());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(spec.optimizer() + ".step: group " + gi + ": " + e.getMessage(), e);
            }
        }
        try (GradMode.NoGrad scope = GradMode.noGrad()) {
            int position = 0;
            for (ParamGroup g : groups) {
                for (Tensor p : g.params()) {
                    int at = position++;
                    if (!p.requiresGrad() || p.grad() == null || p.numel() == 0) continue;
                    ParamState s = state.computeIfAbsent(at, k -> new ParamState());
                    s.step++;
                    update(new ParamUpdate(g, p, s, at));
                }
            }
        }
    }

    // ------------------------------------------------------------------ state dict

    /** Every group's options and every parameter's state, as copies (training on does not change the snapshot). */
    public final OptimizerState stateDict() {
        List<Map<String, Object>> gs = new ArrayList<>();
        int position = 0;
        for (ParamGroup g : groups) {
            Map<String, Object> m = g.options();
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < g.params().size(); i++) idx.add(position++);
            m.put("params", Collections.unmodifiableList(idx));
            gs.add(m);
        }
        Map<Integer, Map<String, Object>> st = new TreeMap<>();
        state.forEach((k, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", s.step);
            s.tensors.forEach((name, t) -> m.put(name, copy(t)));
            s.scalars.forEach(m::put);
            st.put(k, m);
        });
        return new OptimizerState(spec.optimizer(), gs, st);
    }

    /**
     * Restores options and state saved by {@link #stateDict()} from an optimizer of the same kind
     * over parameters of the same shapes, in the same group layout. Everything is checked first;
     * on an error nothing has changed.
     */
    public final void loadStateDict(OptimizerState saved) {
        String who = spec.optimizer() + ".loadStateDict";
        if (saved == null) throw new IllegalArgumentException(who + ": state is null");
        if (!saved.optimizer().equals(spec.optimizer()))
            throw new IllegalArgumentException(who + ": the state was saved by " + saved.optimizer() + ", not " + spec.optimizer());
        if (saved.groups().size() != groups.size())
            throw new IllegalArgumentException(who + ": the state has " + saved.groups().size() + " parameter groups, this optimizer has "
                    + groups.size());
        List<Tensor> flat = new ArrayList<>();
        List<Map<String, Object>> newOptions = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            Map<String, Object> sg = new LinkedHashMap<>(saved.groups().get(gi));
            List<Tensor> params = groups.get(gi).params();
            if (!(sg.remove("params") instanceof List<?> idx))
                throw new IllegalArgumentException(who + ": group " + gi + " has no \"params\" list of positions");
            if (idx.size() != params.size())
                throw new IllegalArgumentException(who + ": group " + gi + " has " + idx.size() + " parameters in the state, "
                        + params.size() + " here");
            for (int i = 0; i < idx.size(); i++)
                if (!Integer.valueOf(flat.size() + i).equals(idx.get(i)))
                    throw new IllegalArgumentException(who + ": group " + gi + " lists parameter position " + idx.get(i) + " at index " + i
                            + ", expected " + (flat.size() + i) + " (positions count across groups in order)");
            flat.addAll(params);
            try {
                // options the algorithm declares are validated; others (a scheduler's "initial_lr") come back as saved
                Map<String, Object> declared = new LinkedHashMap<>(), extra = new LinkedHashMap<>();
                java.util.List<String> names = spec.names();
                sg.forEach((k, v) -> (names.contains(k) ? declared : extra).put(k, v));
                Map<String, Object> resolved = spec.resolve(null, declared);
                for (Map.Entry<String, Object> x : extra.entrySet()) {
                    Object v = x.getValue();
                    if (!(v instanceof Number || v instanceof Boolean || v instanceof String))
                        throw new IllegalArgumentException("option '" + x.getKey() + "' is " + v + ", expected a number, boolean or string");
                    resolved.put(x.getKey(), v);
                }
                newOptions.add(resolved);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(who + ": group " + gi + ": " + e.getMessage(), e);
            }
        }
        TreeMap<Integer, ParamState> newState = new TreeMap<>();
        for (Map.Entry<Integer, Map<String, Object>> e : saved.state().entrySet()) {
            Integer at = e.getKey();
            if (at == null || at < 0 || at >= flat.size())
                throw new IllegalArgumentException(who + ": state for parameter position " + at + ", but there are " + flat.size()
                        + " parameters");
            int[] shape = flat.get(at).shape();
            ParamState ps = new ParamState();
            if (!(e.getValue().get("step") instanceof Long step) || step < 0)
                throw new IllegalArgumentException(who + ": state of parameter " + at + " needs \"step\" as a non-negative Long, got "
                        + e.getValue().get("step"));
            ps.step = step;
            for (Map.Entry<String, Object> v : e.getValue().entrySet()) {
                String name = v.getKey();
                if (name.equals("step")) continue;
                if (v.getValue() instanceof Tensor t) {
                    if (!Arrays.equals(t.shape(), shape))
                        throw new IllegalArgumentException(who + ": state '" + name + "' of parameter " + at + " has shape "
                                + Shape.str(t.shape()) + ", the parameter has shape " + Shape.str(shape));
                    ps.tensors.put(name, copy(t));
                } else if (v.getValue() instanceof Double d) {
                    ps.scalars.put(name, d);
                } else {
                    throw new IllegalArgumentException(who + ": state '" + name + "' of parameter " + at + " is "
                            + (v.getValue() == null ? "null" : v.getValue().getClass().getSimpleName()) + ", expected Tensor or Double");
                }
            }
            newState.put(at, ps);
        }
        for (int gi = 0; gi < groups.size(); gi++) newOptions.get(gi).forEach(groups.get(gi)::set);
        state.clear();
        state.putAll(newState);
    }

    private static Tensor copy(Tensor t) {
        return Functions.wrap(t.toArray(), t.shape());
    }

    // ------------------------------------------------------------------ fused updates

    /** A fused kernel over a contiguous parameter block and its gradient. */
    @FunctionalInterface
    interface FusedKernel {
        void run(float[] p, int po, float[] g, int go, int n);
    }

    /**
     * Runs a fused kernel directly on the parameter's and gradient's buffers when both are
     * contiguous; otherwise on contiguous copies, then writes the parameter back.
     */
    static void fused(ParamUpdate u, FusedKernel k) {
        Tensor p = u.param(), g = u.rawGrad();
        int n = p.numel();
        if (p.isContiguous() && g.isContiguous() && !p.sharesStorageWith(g)) {
            k.run(p.storageData(), p.layoutView().offset(), g.storageData(), g.layoutView().offset(), n);
            // an in-place write through the buffer: bump the storage version so autograd notices
            int[] zero = new int[p.rank()];
            p.set(p.item(zero), zero);
        } else {
            float[] pc = p.toArray();
            k.run(pc, 0, g.toArray(), 0, n);
            p.copyFrom(Functions.wrap(pc, p.shape()));
        }
    }
}
