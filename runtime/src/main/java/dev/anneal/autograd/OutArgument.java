package dev.anneal.autograd;

import dev.anneal.tensor.Layout;
import dev.anneal.tensor.Shape;
import java.util.Arrays;

/**
 * The checks PyTorch makes on an {@code out=} argument before an op writes into it: no autograd,
 * the op's result shape, no element written twice, and no partial overlap with an input (an
 * input that is exactly the output, element for element, is fine: each element is read before
 * it is written).
 */
final class OutArgument {
    private OutArgument() {}

    static void check(String op, Tensor out, int[] shape, Tensor... inputs) {
        if (GradMode.isEnabled()) {
            boolean grad = out.requiresGrad();
            for (Tensor t : inputs) grad |= t.requiresGrad();
            if (grad)
                throw new IllegalArgumentException(op + ": out= does not record autograd, but an argument requires grad; "
                        + "call it inside GradMode.noGrad() or use the op that returns a new tensor");
        }
        if (!Arrays.equals(out.shape(), shape))
            throw new IllegalArgumentException(op + ": out has shape " + Shape.str(out.shape()) + ", expected the result shape "
                    + Shape.str(shape));
        Layout lo = out.layout();
        for (int d = 0; d < shape.length; d++)
            if (lo.stride(d) == 0 && shape[d] > 1)
                throw new IllegalArgumentException(op + ": out is a broadcast (expanded) view whose elements share memory along dim "
                        + d + "; expected a tensor with one storage element per element, e.g. a contiguous one");
        for (Tensor t : inputs) {
            if (t.storage() != out.storage()) continue;
            Layout li = t.layout().expand(shape);
            boolean same = li.offset() == lo.offset() && Arrays.equals(li.strides(), lo.strides());
            boolean disjoint = li.maxIndex() < lo.offset() || lo.maxIndex() < li.offset();
            if (!same && !disjoint)
                throw new IllegalArgumentException(op + ": out overlaps an input in memory without being the same elements "
                        + "(input " + li + ", out " + lo + "); expected out to be that input itself or separate from it");
        }
    }
}
