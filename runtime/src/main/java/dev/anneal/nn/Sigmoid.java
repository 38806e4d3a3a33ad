package dev.anneal.nn;

import dev.anneal.autograd.Tensor;

/** 1 / (1 + exp(−x)) elementwise. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }

    @Override
    public String toString() {
        return "Sigmoid()";
    }
}
