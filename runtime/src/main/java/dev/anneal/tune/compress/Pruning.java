package dev.anneal.tune.compress;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.nn.Module;
import dev.anneal.optim.Optimizer;
import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Shape;
import dev.anneal.train.Callback;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pruning of parameters by masks, after torch.nn.utils.prune: magnitude (L1) and random
 * unstructured pruning per parameter or globally, structured pruning of whole channels by Ln norm
 * or at random, masks that compose over iterations, {@link #remove} to make them permanent.
 *
 * <p>Design (differs from PyTorch in storage, not in effect): the parameter keeps its name and
 * tensor and holds the effective weight orig ⊙ mask itself, so pruned entries are exactly 0 and
 * layers run their usual fused kernels; the mask is a buffer {@code <name>_mask} on the owning
 * module, so it is saved and loaded with the state dict. PyTorch instead keeps {@code weight_orig}
 * as the parameter and recomputes {@code weight} in a forward pre-hook. Gradient flow through the
 * product (zero gradient at pruned entries) and the weight staying pruned after optimizer steps
 * are obtained by {@link #maskGradients} before each step and {@link #applyMasks} after it, which
 * {@link #keepPruned()} (a Trainer callback) and {@link #step} do. For element-wise optimizers
 * (SGD, Adam, ...) the unpruned weights then evolve exactly as in PyTorch. Importance for a later
 * pruning step is the current effective weight (pruned entries count as 0), i.e. PyTorch's
 * {@code importance_scores=module.weight}; PyTorch's default uses weight_orig, which differs only
 * for structured pruning after unstructured pruning of the same parameter.
 */
public final class Pruning {
    private Pruning() {}

    /** The suffix of the mask buffer of a pruned parameter. */
    public static final String MASK_SUFFIX = "_mask";

    @FunctionalInterface
    private interface MaskRule {
        float[] next(float[] weight, int[] shape, float[] mask);
    }

    // ---------------------------------------------------------------- per-parameter methods

    /** Prunes the fraction amount of the unpruned entries of module.name with the smallest |w| (prune.l1_unstructured). */
    public static Module l1Unstructured(Module module, String name, double amount) {
        Amount a = Amount.fraction("l1Unstructured", amount);
        return prune("l1Unstructured", module, name, (w, s, m) -> Masks.l1Unstructured("l1Unstructured", w, m, a));
    }

    /** Prunes amount (a count) of the unpruned entries with the smallest |w|. */
    public static Module l1Unstructured(Module module, String name, int amount) {
        Amount a = Amount.count("l1Unstructured", amount);
        return prune("l1Unstructured", module, name, (w, s, m) -> Masks.l1Unstructured("l1Unstructured", w, m, a));
    }

    /** Prunes the fraction amount of the unpruned entries, chosen at random from g (prune.random_unstructured). */
    public static Module randomUnstructured(Module module, String name, double amount, Generator g) {
        Amount a = Amount.fraction("randomUnstructured", amount);
        requireGenerator("randomUnstructured", g);
        return prune("randomUnstructured", module, name, (w, s, m) -> Masks.randomUnstructured("randomUnstructured", m, a, g));
    }

    public static Module randomUnstructured(Module module, String name, int amount, Generator g) {
        Amount a = Amount.count("randomUnstructured", amount);
        requireGenerator("randomUnstructured", g);
        return prune("randomUnstructured", module, name, (w, s, m) -> Masks.randomUnstructured("randomUnstructured", m, a, g));
    }

    /**
     * Prunes the fraction amount of the remaining channels along dim (rows of a Linear weight for
     * dim 0 = output neurons; output channels of a Conv2d weight) with the smallest Ln norm taken
     * over all other dims (prune.ln_structured); n may be any p of torch.norm, including ±∞.
     */
    public static Module lnStructured(Module module, String name, double amount, double n, int dim) {
        Amount a = Amount.fraction("lnStructured", amount);
        return structured("lnStructured", module, name, n, dim, a);
    }

    /** As {@link #lnStructured(Module, String, double, double, int)} with amount a count of channels. */
    public static Module lnStructured(Module module, String name, int amount, double n, int dim) {
        Amount a = Amount.count("lnStructured", amount);
        return structured("lnStructured", module, name, n, dim, a);
    }

    private static Module structured(String op, Module module, String name, double n, int dim, Amount a) {
        if (Double.isNaN(n)) throw new IllegalArgumentException(op + ": norm order n is NaN");
        return prune(op, module, name, (w, s, m) -> Masks.lnStructured(op, w, s, m, a, n, normDim(dim, s.length)));
    }

    /** Prunes the fraction amount of the remaining channels along dim, chosen at random (prune.random_structured). */
    public static Module randomStructured(Module module, String name, double amount, int dim, Generator g) {
        Amount a = Amount.fraction("randomStructured", amount);
        requireGenerator("randomStructured", g);
        return prune("randomStructured", module, name, (w, s, m) -> Masks.randomStructured("randomStructured", s, m, a, normDim(dim, s.length), g));
    }

    public static Module randomStructured(Module module, String name, int amount, int dim, Generator g) {
        Amount a = Amount.count("randomStructured", amount);
        requireGenerator("randomStructured", g);
        return prune("randomStructured", module, name, (w, s, m) -> Masks.randomStructured("randomStructured", s, m, a, normDim(dim, s.length), g));
    }

    /** Applies a given 0/1 mask (composed with any existing one) (prune.custom_from_mask). */
    public static Module customFromMask(Module module, String name, Tensor mask) {
        if (mask == null) throw new IllegalArgumentException("customFromMask: mask is null");
        float[] given = mask.toArray();
        for (int i = 0; i < given.length; i++)
            if (given[i] != 0f && given[i] != 1f)
                throw new IllegalArgumentException("customFromMask: mask must hold only 0 and 1, found " + given[i] + " at flat index " + i);
        return prune("customFromMask", module, name, (w, s, m) -> {
            if (!Arrays.equals(s, mask.shape()))
                throw new IllegalArgumentException("customFromMask: mask shape " + Shape.str(mask.shape()) + " does not match parameter '"
                        + name + "' of shape " + Shape.str(s));
            float[] out = m.clone();
            for (int i = 0; i < out.length; i++) out[i] *= given[i];
            return out;
        });
    }

    /** Marks module.name as pruned with a mask of ones, so a pruned state dict can be loaded into it (prune.identity). */
    public static Module identity(Module module, String name) {
        return prune("identity", module, name, (w, s, m) -> m.clone());
    }

    // ---------------------------------------------------------------- global

    /**
     * Prunes the fraction amount of all still unpruned entries of the targets taken together,
     * those with the smallest |w| over all of them (prune.global_unstructured with L1Unstructured).
     */
    public static void globalUnstructured(List<PruneTarget> targets, double amount) {
        Amount a = Amount.fraction("globalUnstructured", amount);
        global("globalUnstructured", targets, (w, m) -> Masks.l1Unstructured("globalUnstructured", w, m, a));
    }

    public static void globalUnstructured(List<PruneTarget> targets, int amount) {
        Amount a = Amount.count("globalUnstructured", amount);
        global("globalUnstructured", targets, (w, m) -> Masks.l1Unstructured("globalUnstructured", w, m, a));
    }

    /** Global random unstructured pruning (prune.global_unstructured with RandomUnstructured). */
    public static void globalRandomUnstructured(List<PruneTarget> targets, double amount, Generator g) {
        Amount a = Amount.fraction("globalRandomUnstructured", amount);
        requireGenerator("globalRandomUnstructured", g);
        global("globalRandomUnstructured", targets, (w, m) -> Masks.randomUnstructured("globalRandomUnstructured", m, a, g));
    }

    public static void globalRandomUnstructured(List<PruneTarget> targets, int amount, Generator g) {
        Amount a = Amount.count("globalRandomUnstructured", amount);
        requireGenerator("globalRandomUnstructured", g);
        global("globalRandomUnstructured", targets, (w, m) -> Masks.randomUnstructured("globalRandomUnstructured", m, a, g));
    }

    private static void global(String op, List<PruneTarget> targets, java.util.function.BinaryOperator<float[]> rule) {
        if (targets == null || targets.isEmpty()) throw new IllegalArgumentException(op + ": no parameters to prune");
        List<Tensor> params = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < targets.size(); i++) {
            PruneTarget t = targets.get(i);
            if (t == null) throw new IllegalArgumentException(op + ": target " + i + " is null");
            Tensor p = parameter(op, t.module(), t.name());
            for (Tensor q : params)
                if (q == p) throw new IllegalArgumentException(op + ": parameter '" + t.name() + "' of target " + i + " is listed twice");
            params.add(p);
            total += p.numel();
        }
        float[] w = new float[total], m = new float[total];
        int at = 0;
        for (int i = 0; i < targets.size(); i++) {
            Tensor p = params.get(i);
            System.arraycopy(p.toArray(), 0, w, at, p.numel());
            System.arraycopy(currentMask(targets.get(i).module(), targets.get(i).name(), p), 0, m, at, p.numel());
            at += p.numel();
        }
        float[] next = rule.apply(w, m);
        at = 0;
        for (int i = 0; i < targets.size(); i++) {
            Tensor p = params.get(i);
            install(targets.get(i).module(), targets.get(i).name(), p, Arrays.copyOfRange(next, at, at + p.numel()));
            at += p.numel();
        }
    }

    // ---------------------------------------------------------------- state

    /** True when module.name carries a pruning mask. */
    public static boolean isPruned(Module module, String name) {
        if (module == null) throw new IllegalArgumentException("isPruned: module is null");
        Tensor p = module.namedParameters().get(name);
        Tensor m = module.namedBuffers().get(name + MASK_SUFFIX);
        return p != null && m != null && Arrays.equals(p.shape(), m.shape());
    }

    /** True when any parameter of the module or its descendants is pruned (prune.is_pruned). */
    public static boolean isPruned(Module module) {
        if (module == null) throw new IllegalArgumentException("isPruned: module is null");
        return !maskedParameters(module).isEmpty();
    }

    /** The mask of a pruned parameter (the live buffer: 1 keeps, 0 prunes). */
    public static Tensor mask(Module module, String name) {
        if (!isPruned(module, name))
            throw new IllegalArgumentException("mask: parameter '" + name + "' of " + module + " is not pruned");
        return module.namedBuffers().get(name + MASK_SUFFIX);
    }

    /** Makes pruning permanent: the parameter keeps its (already masked) values and the mask buffer is dropped (prune.remove). */
    public static Module remove(Module module, String name) {
        if (!isPruned(module, name))
            throw new IllegalArgumentException("remove: parameter '" + name + "' of " + module + " has no pruning to remove");
        applyMask(module.namedParameters().get(name), module.namedBuffers().get(name + MASK_SUFFIX));
        module.removeBuffer(name + MASK_SUFFIX);
        return module;
    }

    /**
     * Makes every pruning under model permanent ({@link #remove} on each pruned parameter) and returns the
     * dotted names of the parameters it did this for; the model then has no mask buffers and trains freely.
     */
    public static List<String> removeAll(Module model) {
        if (model == null) throw new IllegalArgumentException("removeAll: model is null");
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            Module m = e.getValue();
            for (String key : new ArrayList<>(m.namedBuffers().keySet())) {
                if (key.contains(".") || !key.endsWith(MASK_SUFFIX)) continue;
                String name = key.substring(0, key.length() - MASK_SUFFIX.length());
                if (!isPruned(m, name)) continue;
                remove(m, name);
                done.add(e.getKey().isEmpty() ? name : e.getKey() + "." + name);
            }
        }
        return done;
    }

    /** Dotted parameter name → [parameter, mask] for every pruned parameter under model. */
    public static Map<String, Tensor[]> maskedParameters(Module model) {
        Map<String, Tensor> params = model.namedParameters();
        Map<String, Tensor[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> b : model.namedBuffers().entrySet()) {
            String key = b.getKey();
            if (!key.endsWith(MASK_SUFFIX)) continue;
            String pname = key.substring(0, key.length() - MASK_SUFFIX.length());
            Tensor p = params.get(pname);
            if (p != null && Arrays.equals(p.shape(), b.getValue().shape())) out.put(pname, new Tensor[] {p, b.getValue()});
        }
        return out;
    }

    // ---------------------------------------------------------------- keeping masks through training

    /** Sets every pruned parameter to itself ⊙ mask (after an optimizer step, or after loading weights). */
    public static void applyMasks(Module model) {
        for (Tensor[] pm : maskedParameters(model).values()) applyMask(pm[0], pm[1]);
    }

    /** Zeros the gradient of every pruned entry (the gradient of orig ⊙ mask with respect to orig); call before a step. */
    public static void maskGradients(Module model) {
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            for (Tensor[] pm : maskedParameters(model).values()) {
                Tensor g = pm[0].grad();
                // a new tensor rather than an in-place write: a gradient may be shared with other code
                if (g != null) pm[0].setGrad(g.mul(pm[1]));
            }
        }
    }

    /** One optimizer step that keeps pruned entries at 0: mask gradients, step, re-apply masks. */
    public static void step(Module model, Optimizer optimizer) {
        maskGradients(model);
        optimizer.step();
        applyMasks(model);
    }

    /** A Trainer callback that masks gradients before each optimizer step and re-applies the masks after it. */
    public static Callback keepPruned() {
        return new KeepPruned();
    }

    /**
     * Loads a state dict saved from a pruned model into model: parameters that have a
     * {@code <name>_mask} entry in state and are not yet pruned get an identity mask first, then
     * everything is loaded (Module.loadStateDict).
     */
    public static void loadStateDict(Module model, Map<String, Tensor> state, boolean strict) {
        Map<String, Module> modules = model.namedModules();
        Map<String, Tensor> params = model.namedParameters();
        List<String[]> toMark = new ArrayList<>();
        for (String key : state.keySet()) {
            if (!key.endsWith(MASK_SUFFIX)) continue;
            String pname = key.substring(0, key.length() - MASK_SUFFIX.length());
            if (!params.containsKey(pname) || model.namedBuffers().containsKey(key)) continue;
            int dot = pname.lastIndexOf('.');
            toMark.add(new String[] {dot < 0 ? "" : pname.substring(0, dot), pname.substring(dot + 1)});
        }
        List<PruneTarget> marked = new ArrayList<>();
        try {
            for (String[] t : toMark) {
                Module owner = modules.get(t[0]);
                identity(owner, t[1]);
                marked.add(new PruneTarget(owner, t[1]));
            }
            model.loadStateDict(state, strict);
        } catch (RuntimeException e) {
            for (PruneTarget t : marked) t.module().removeBuffer(t.name() + MASK_SUFFIX); // nothing half-done
            throw e;
        }
        applyMasks(model);
    }

    // ---------------------------------------------------------------- plumbing

    private static Module prune(String op, Module module, String name, MaskRule rule) {
        Tensor p = parameter(op, module, name);
        float[] next = rule.next(p.toArray(), p.shape(), currentMask(module, name, p));
        install(module, name, p, next);
        return module;
    }

    private static Tensor parameter(String op, Module module, String name) {
        if (module == null) throw new IllegalArgumentException(op + ": module is null");
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException(op + ": name '" + name + "' must be a parameter of the module itself, without dots");
        Tensor p = module.namedParameters().get(name);
        if (p == null) {
            List<String> own = new ArrayList<>();
            for (String k : module.namedParameters().keySet()) if (!k.contains(".")) own.add(k);
            throw new IllegalArgumentException(op + ": " + module + " has no parameter '" + name + "' (has " + own + ")");
        }
        return p;
    }

    private static float[] currentMask(Module module, String name, Tensor p) {
        if (isPruned(module, name)) return module.namedBuffers().get(name + MASK_SUFFIX).toArray();
        if (module.namedBuffers().containsKey(name + MASK_SUFFIX))
            throw new IllegalArgumentException("prune: " + module + " already has a buffer '" + name + MASK_SUFFIX
                    + "' that is not a mask of '" + name + "' (shape differs)");
        float[] ones = new float[p.numel()];
        Arrays.fill(ones, 1f);
        return ones;
    }

    private static void install(Module module, String name, Tensor p, float[] mask) {
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            Tensor m = Tensor.of(mask, p.shape());
            if (isPruned(module, name)) module.namedBuffers().get(name + MASK_SUFFIX).copyFrom(m);
            else module.addBuffer(name + MASK_SUFFIX, m);
        }
        applyMask(p, module.namedBuffers().get(name + MASK_SUFFIX));
    }

    /** p ← p ⊙ mask, in place outside the graph. */
    static void applyMask(Tensor p, Tensor mask) {
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            if (p.isContiguous() && mask.isContiguous()) {
                float[] d = p.storageData(), m = mask.storageData();
                int po = p.layoutView().offset(), mo = mask.layoutView().offset(), n = p.numel();
                for (int i = 0; i < n; i++) d[po + i] *= m[mo + i]; // a product, as PyTorch: −w·0 is −0
            } else {
                p.copyFrom(p.mul(mask));
            }
        }
    }

    private static int normDim(int dim, int rank) {
        return dim < 0 ? dim + rank : dim;
    }

    private static void requireGenerator(String op, Generator g) {
        if (g == null) throw new IllegalArgumentException(op + ": a Generator is required (runs are reproducible only from an explicit seed)");
    }
}
