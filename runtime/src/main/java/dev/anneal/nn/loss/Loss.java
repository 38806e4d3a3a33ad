package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;

/** A loss function with its options fixed: compares input (predictions) with target. */
public interface Loss {
    /** The loss of input against target, reduced as the loss's options say. */
    Tensor apply(Tensor input, Tensor target);
}
