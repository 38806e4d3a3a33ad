/**
 * Optimizers, parameter groups, state dicts, gradient clipping ({@link dev.anneal.optim.Clip}) and,
 * in {@code optim.schedule}, learning-rate schedules.
 *
 * <p>Weight decay comes in two kinds. L2 decay ({@code weight_decay} of SGD, Adam, RMSprop, ...) adds
 * weight_decay·w to the gradient, so adaptive optimizers rescale it like any other gradient term.
 * Decoupled decay (AdamW, Lion) shrinks the weights by lr·weight_decay directly, outside the
 * gradient statistics (Loshchilov &amp; Hutter, 2019). L1 regularization is a loss term:
 * {@link dev.anneal.nn.loss.Penalties#l1}.
 */
package dev.anneal.optim;
