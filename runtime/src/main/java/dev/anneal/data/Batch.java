package dev.anneal.data;

import dev.anneal.autograd.Tensor;

/** A batch of examples: inputs with the batch as dim 0, and their targets. */
public record Batch(Tensor inputs, Tensor targets) {
    public int size() {
        return inputs.rank() == 0 ? 1 : inputs.size(0);
    }
}
