/**
 * Model compression: pruning after torch.nn.utils.prune ({@link dev.anneal.tune.compress.Pruning}),
 * sparsity reports ({@link dev.anneal.tune.compress.SparsityReport}) and prune-and-fine-tune schedules
 * ({@link dev.anneal.tune.compress.IterativePruning}). Knowledge distillation lives with the losses
 * ({@code Losses.distillation}) and the trainer ({@code Trainer.Builder.distillFrom}).
 *
 * <p>How masks are kept: a pruned parameter holds orig ⊙ mask in place and its module carries the
 * mask as a buffer {@code <name>_mask}; {@link dev.anneal.tune.compress.Pruning#keepPruned()} (in a
 * Trainer) or {@link dev.anneal.tune.compress.Pruning#step} (in a hand-written loop) zero the
 * gradients of pruned entries before each optimizer step and re-apply the masks after it. See
 * {@link dev.anneal.tune.compress.Pruning} for how this compares with PyTorch's weight_orig and
 * forward pre-hook.
 */
package dev.anneal.tune.compress;
