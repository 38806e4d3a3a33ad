package dev.anneal.nn;

import dev.anneal.autograd.Tensor;

/** tanh(x) elementwise. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }

    @Override
    public String toString() {
        return "Tanh()";
    }
}
