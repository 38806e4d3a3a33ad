package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;

/**
 * Loss functions with PyTorch 1.13's formulas, defaults, edge cases and gradients
 * ({@code torch.nn.functional}). Each is one differentiable primitive; the target is
 * differentiated wherever PyTorch differentiates it (all but the class-index losses).
 */
public final class Losses {
    private Losses() {}

    /** PyTorch's default ignore index for class-index targets. */
    public static final int IGNORE_INDEX = -100;

    private static void notNull(String op, Tensor input, Tensor target) {
        if (input == null || target == null) throw new IllegalArgumentException(op + ": input and target must not be null");
    }

    // ---------------------------------------------------------------- classification

    /** Mean cross entropy of logits input [N, C, d1, ...] (or [C]) against class indices or probabilities. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, IGNORE_INDEX, Reduction.MEAN, 0f);
    }

    /**
     * Cross entropy from logits (F.cross_entropy). A target of the input's shape holds class probabilities;
     * otherwise it is [N, d1, ...] (or a scalar for input [C]) of whole-number class indices. weight: one per
     * class or null; targets equal to ignoreIndex count for nothing (class-index targets only; it must be
     * negative with probabilities); labelSmoothing in [0, 1] mixes the target with the uniform distribution.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction,
                                      float labelSmoothing) {
        String op = "crossEntropy";
        notNull(op, input, target);
        if (ClassLoss.isIndexTarget(op, input, target, true))
            return ClassLoss.indexTarget(op, input, target, weight, ignoreIndex, reduction, labelSmoothing, true);
        return ClassLoss.probabilityTarget(op, input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** Mean negative log-likelihood of log-probabilities input [N, C, d1, ...] (or [C]) at class indices target. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, IGNORE_INDEX, Reduction.MEAN);
    }

    /** −weight[t]·input[t] per target (F.nll_loss); mean divides by the summed weights of the targets not ignored. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        notNull("nllLoss", input, target);
        return ClassLoss.indexTarget("nllLoss", input, target, weight, ignoreIndex, reduction, 0f, false);
    }

    /** Mean binary cross entropy of probabilities input against target. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /**
     * −w·(t·log x + (1−t)·log(1−x)) with each log clamped at −100 as PyTorch does (F.binary_cross_entropy);
     * input must lie in [0, 1]; weight broadcasts to the input's shape or is null.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        String op = "binaryCrossEntropy";
        Pointwise.sameShape(op, input, target);
        Reduction.check(op, reduction, false);
        float[] w = Pointwise.expandOption(op, "weight", weight, input.shape());
        float[] x = ClassLoss.read(input);
        for (int i = 0; i < x.length; i++)
            if (!(x[i] >= 0f && x[i] <= 1f))
                throw new IllegalArgumentException(op + ": input " + x[i] + " at position " + i + " is outside [0, 1]; it expects "
                        + "probabilities (for logits use binaryCrossEntropyWithLogits)");
        return Pointwise.apply(op, input, target, reduction, new Pointwise.Rule() {
            public double value(int i, double xi, double t) {
                double logX = Math.max(Math.log(xi), -100), log1mX = Math.max(Math.log1p(-xi), -100);
                return -(w == null ? 1 : w[i]) * (t * logX + (1 - t) * log1mX);
            }

            public double dInput(int i, double xi, double t) {
                // PyTorch's binary_cross_entropy_backward: (x − t) / max(x·(1−x), 1e-12)
                float denom = Math.max((float) ((1 - xi) * xi), 1e-12f);
                return (w == null ? 1 : w[i]) * (xi - t) / denom;
            }

            public double dTarget(int i, double xi, double t) {
                return (w == null ? 1 : w[i]) * (Math.log1p(-xi) - Math.log(xi)); // −logit(x), unclamped as in PyTorch
            }
        });
    }

    /** Mean binary cross entropy of logits input against target. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * w·((1−t)·x + (1 + (p−1)·t)·log(1 + e^−x)), the numerically stable form of binary cross entropy of
     * sigmoid(x) (F.binary_cross_entropy_with_logits); weight and posWeight (p, e.g. one per class) broadcast to
     * the input's shape or are null.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        String op = "binaryCrossEntropyWithLogits";
        Pointwise.sameShape(op, input, target);
        Reduction.check(op, reduction, false);
        float[] w = Pointwise.expandOption(op, "weight", weight, input.shape());
        float[] p = Pointwise.expandOption(op, "posWeight", posWeight, input.shape());
        return Pointwise.apply(op, input, target, reduction, new Pointwise.Rule() {
            public double value(int i, double x, double t) {
                double logWeight = p == null ? 1 : 1 + (p[i] - 1) * t;
                return (w == null ? 1 : w[i]) * ((1 - t) * x + logWeight * softplusNeg(x));
            }

            public double dInput(int i, double x, double t) {
                double pt = p == null ? t : p[i] * t;
                return (w == null ? 1 : w[i]) * ((pt + 1 - t) * sigmoid(x) - pt);
            }

            public double dTarget(int i, double x, double t) {
                return (w == null ? 1 : w[i]) * (-x + (p == null ? 0 : (p[i] - 1) * softplusNeg(x)));
            }
        });
    }

    /** log(1 + e^−x) without overflow: max(−x, 0) + log(e^−max + e^(−x−max)). */
    private static double softplusNeg(double x) {
        double m = Math.max(-x, 0);
        return m + Math.log(Math.exp(-m) + Math.exp(-x - m));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    // ---------------------------------------------------------------- regression

    /** Mean squared error. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /** (x − t)² per element (F.mse_loss); input and target broadcast as in PyTorch. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        String op = "mseLoss";
        Reduction.check(op, reduction, false);
        Tensor[] b = Pointwise.broadcast(op, input, target);
        return Pointwise.apply(op, b[0], b[1], reduction, new Pointwise.Rule() {
            public double value(int i, double x, double t) {
                return (x - t) * (x - t);
            }

            public double dInput(int i, double x, double t) {
                return 2 * (x - t);
            }

            public double dTarget(int i, double x, double t) {
                return -2 * (x - t);
            }
        });
    }

    /** Mean absolute error. */
    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, Reduction.MEAN);
    }

    /** |x − t| per element (F.l1_loss); the gradient at x = t is 0, as sign(0). */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        String op = "l1Loss";
        Reduction.check(op, reduction, false);
        Tensor[] b = Pointwise.broadcast(op, input, target);
        return Pointwise.apply(op, b[0], b[1], reduction, l1Rule());
    }

    private static Pointwise.Rule l1Rule() {
        return new Pointwise.Rule() {
            public double value(int i, double x, double t) {
                return Math.abs(x - t);
            }

            public double dInput(int i, double x, double t) {
                return Math.signum(x - t);
            }

            public double dTarget(int i, double x, double t) {
                return -Math.signum(x - t);
            }
        };
    }

    /** Smooth L1 with beta = 1, mean. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return smoothL1Loss(input, target, Reduction.MEAN, 1f);
    }

    /**
     * 0.5·d²/β where |d| &lt; β, else |d| − 0.5·β, with d = x − t (F.smooth_l1_loss); β = 0 gives L1 loss values, with PyTorch's gradient −1 at d = 0.
     */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, float beta) {
        String op = "smoothL1Loss";
        Reduction.check(op, reduction, false);
        if (!(beta >= 0f)) throw new IllegalArgumentException(op + ": beta must be non-negative, got " + beta);
        Tensor[] b = Pointwise.broadcast(op, input, target);
        return Pointwise.apply(op, b[0], b[1], reduction, new Pointwise.Rule() {
            public double value(int i, double x, double t) {
                double z = Math.abs(x - t);
                return z < beta ? 0.5 * z * z / beta : z - 0.5 * beta;
            }

            public double dInput(int i, double x, double t) {
                double d = x - t;
                // PyTorch's branch order: at d = 0 with β = 0 (plain L1) the gradient is −1, not sign(0)
                return d <= -beta ? -1 : d >= beta ? 1 : d / beta;
            }

            public double dTarget(int i, double x, double t) {
                return dInput(i, t, x); // PyTorch swaps the arguments, so d = 0 gives −1 here too
            }
        });
    }

    /** Huber loss with delta = 1, mean. */
    public static Tensor huberLoss(Tensor input, Tensor target) {
        return huberLoss(input, target, Reduction.MEAN, 1f);
    }

    /** 0.5·d² where |d| &lt; δ, else δ·(|d| − 0.5·δ), with d = x − t (F.huber_loss); δ must be positive. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, float delta) {
        String op = "huberLoss";
        Reduction.check(op, reduction, false);
        if (!(delta > 0f)) throw new IllegalArgumentException(op + ": delta must be positive, got " + delta);
        Tensor[] b = Pointwise.broadcast(op, input, target);
        return Pointwise.apply(op, b[0], b[1], reduction, new Pointwise.Rule() {
            public double value(int i, double x, double t) {
                double z = Math.abs(x - t);
                return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
            }

            public double dInput(int i, double x, double t) {
                double d = x - t;
                return d < -delta ? -delta : d > delta ? delta : d;
            }

            public double dTarget(int i, double x, double t) {
                return -dInput(i, x, t);
            }
        });
    }

    // ---------------------------------------------------------------- distributions

    /** KL divergence with PyTorch's default reduction (mean over elements) and a probability target. */
    public static Tensor klDiv(Tensor input, Tensor target) {
        return klDiv(input, target, Reduction.MEAN, false);
    }

    /**
     * Pointwise KL divergence t·(log t − x) of log-probabilities input from target (F.kl_div): target holds
     * probabilities, or log-probabilities when logTarget. Use {@link Reduction#BATCHMEAN} (sum / input dim 0)
     * for the true KL divergence per sample; MEAN divides by every element, as PyTorch does.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        String op = "klDiv";
        notNull(op, input, target);
        Reduction.check(op, reduction, true);
        int batch = input.rank() == 0 ? 1 : input.size(0);
        Tensor[] b = Pointwise.broadcast(op, input, target);
        return Pointwise.apply(op, b[0], b[1], reduction, new Pointwise.Rule() {
            public double value(int i, double x, double t) {
                if (logTarget) return Math.exp(t) * (t - x);
                return (t == 0 ? 0 : t * Math.log(t)) - t * x; // xlogy(t, t): 0 at t = 0
            }

            public double dInput(int i, double x, double t) {
                return logTarget ? -Math.exp(t) : -t;
            }

            public double dTarget(int i, double x, double t) {
                if (logTarget) return Math.exp(t) * (t - x + 1);
                // xlogy's two partials as PyTorch adds them: log t (0 at t = 0) + t / t (NaN at t = 0)
                return (t == 0 ? 0 : Math.log(t)) + t / t - x;
            }
        }, batch);
    }

    // ---------------------------------------------------------------- distillation

    /**
     * Knowledge distillation (Hinton et al. 2015): alpha·T²·KL(softmax(teacher/T) ‖ softmax(student/T))
     * (batchmean) + (1 − alpha)·crossEntropy(student, targets). The KL is from the teacher's softened
     * distribution to the student's; T² keeps the soft gradients' scale independent of T.
     */
    public static Tensor distillation(Tensor studentLogits, Tensor teacherLogits, Tensor targets, double temperature, double alpha) {
        return Distillation.mix("distillation", studentLogits, teacherLogits, targets, temperature, alpha, Losses::crossEntropy);
    }

    /** As {@link #distillation(Tensor, Tensor, Tensor, double, double)} with another hard-label loss of (student, targets). */
    public static Tensor distillation(Tensor studentLogits, Tensor teacherLogits, Tensor targets, double temperature, double alpha,
                                      java.util.function.BiFunction<Tensor, Tensor, Tensor> hardLoss) {
        return Distillation.mix("distillation", studentLogits, teacherLogits, targets, temperature, alpha, hardLoss);
    }

    /** The soft term alone: T²·KL(softmax(teacher/T) ‖ softmax(student/T)), summed over classes (dim 1), mean over dim 0. */
    public static Tensor distillationKL(Tensor studentLogits, Tensor teacherLogits, double temperature) {
        return Distillation.softTerm("distillationKL", studentLogits, teacherLogits, temperature);
    }
}
