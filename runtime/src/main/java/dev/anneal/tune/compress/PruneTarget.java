package dev.anneal.tune.compress;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.Module;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A parameter to prune: the module that owns it and its name there ("weight"), as PyTorch's (module, name) pairs. */
public record PruneTarget(Module module, String name) {
    public PruneTarget {
        if (module == null) throw new IllegalArgumentException("PruneTarget: module is null");
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException("PruneTarget: name '" + name + "' must be a parameter name of the module itself, without dots");
    }

    /** (module, "weight"). */
    public static PruneTarget weight(Module module) {
        return new PruneTarget(module, "weight");
    }

    /**
     * (m, "weight") for every module m under model (model included) whose own parameter "weight" has
     * rank ≥ 2: the weights of Linear and convolution layers, not those of normalization layers. In
     * namedModules order; a module reached twice is listed once.
     */
    public static List<PruneTarget> weightsOf(Module model) {
        if (model == null) throw new IllegalArgumentException("PruneTarget.weightsOf: model is null");
        List<PruneTarget> out = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            Tensor w = e.getValue().namedParameters().get("weight");
            if (w != null && w.rank() >= 2 && seen.add(w)) out.add(weight(e.getValue()));
        }
        return out;
    }
}
