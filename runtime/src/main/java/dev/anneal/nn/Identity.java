package dev.anneal.nn;

import dev.anneal.autograd.Tensor;

/** Returns its input unchanged (a placeholder, e.g. a Residual shortcut or a removed head). */
public final class Identity extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x;
    }

    @Override
    public String toString() {
        return "Identity()";
    }
}
