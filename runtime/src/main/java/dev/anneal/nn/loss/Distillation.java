package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;
import java.util.Arrays;
import java.util.function.BiFunction;

/** Knowledge-distillation losses (Hinton, Vinyals &amp; Dean 2015, "Distilling the Knowledge in a Neural Network"). */
final class Distillation {
    private Distillation() {}

    /**
     * T²·KL(softmax(teacher/T) ‖ softmax(student/T)), summed over classes (dim 1) and averaged over the
     * batch (dim 0). The KL runs from the teacher's distribution (the target) to the student's, as
     * F.kl_div(log_softmax(student/T), softmax(teacher/T), reduction="batchmean") computes it. The T²
     * keeps the soft term's gradient magnitude independent of T: its gradient in the logits is
     * (softmax(s/T) − softmax(t/T))·T/N, which would otherwise shrink as 1/T.
     */
    static Tensor softTerm(String op, Tensor student, Tensor teacher, double temperature) {
        if (student == null || teacher == null) throw new IllegalArgumentException(op + ": student and teacher logits are required");
        if (student.rank() < 2)
            throw new IllegalArgumentException(op + ": logits must be [N, C, ...] with classes on dim 1, got student "
                    + Shape.str(student.shape()));
        if (!Arrays.equals(student.shape(), teacher.shape()))
            throw new IllegalArgumentException(op + ": student logits " + Shape.str(student.shape()) + " and teacher logits "
                    + Shape.str(teacher.shape()) + " must have the same shape");
        if (!(temperature > 0) || Double.isInfinite(temperature))
            throw new IllegalArgumentException(op + ": temperature must be positive and finite, got " + temperature);
        float t = (float) temperature;
        // the target as log-probabilities: exact where softmax(teacher/T) underflows to 0
        Tensor logStudent = student.div(t).logSoftmax(1);
        Tensor logTeacher = teacher.div(t).logSoftmax(1);
        return Losses.klDiv(logStudent, logTeacher, Reduction.BATCHMEAN, true).mul(t * t);
    }

    /** alpha·soft + (1 − alpha)·hard, skipping a term whose weight is 0. */
    static Tensor mix(String op, Tensor student, Tensor teacher, Tensor targets, double temperature, double alpha,
                      BiFunction<Tensor, Tensor, Tensor> hardLoss) {
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException(op + ": alpha must be in [0, 1], got " + alpha);
        if (hardLoss == null) throw new IllegalArgumentException(op + ": hard-label loss is null");
        Tensor soft = softTerm(op, student, teacher, temperature);
        if (alpha == 1) return soft;
        if (targets == null) throw new IllegalArgumentException(op + ": targets are required when alpha < 1");
        Tensor hard = hardLoss.apply(student, targets);
        if (hard.numel() != 1)
            throw new IllegalArgumentException(op + ": the hard-label loss must be a single value, got shape " + Shape.str(hard.shape()));
        if (alpha == 0) return hard;
        return soft.mul((float) alpha).add(hard.mul((float) (1 - alpha)));
    }
}
