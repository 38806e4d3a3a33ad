package dev.anneal.data.transform;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;

/**
 * A change applied to a whole batch of inputs ([N, ...]; image transforms expect [N, C, H, W]).
 * Random transforms draw only from the generator they are given, so the data loader can make
 * every batch's randomness depend on (seed, epoch, batch) alone.
 */
@FunctionalInterface
public interface BatchTransform {
    Tensor apply(Tensor batch, Generator gen);

    /** This, then next. */
    default BatchTransform then(BatchTransform next) {
        return (x, g) -> next.apply(apply(x, g), g);
    }
}
