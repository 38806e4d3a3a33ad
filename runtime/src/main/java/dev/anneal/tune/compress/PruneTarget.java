package dev.anneal.tune.compress;

import dev.anneal.nn.Module;

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
}
