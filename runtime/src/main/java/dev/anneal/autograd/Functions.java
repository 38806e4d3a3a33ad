package dev.anneal.autograd;

import dev.anneal.tensor.Shape;
import java.util.function.Function;

/**
 * The door for differentiable primitives written outside this package (convolution, pooling,
 * normalization, fused losses): a forward result computed by a kernel plus its gradient rule.
 */
public final class Functions {
    private Functions() {}

    /**
     * A new tensor holding data (taken, not copied) in the given shape. When grad mode is on and an
     * input requires grad, backward calls {@code backward} with dL/d(output) and expects one
     * gradient per input, of that input's shape, or null for inputs that need none.
     * {@code saved} are tensors the rule reads; changing them in place before backward is reported.
     */
    public static Tensor custom(String name, float[] data, int[] shape, Tensor[] inputs, Function<Tensor, Tensor[]> backward,
                                Tensor... saved) {
        if (data.length != Shape.numel(shape))
            throw new IllegalArgumentException(name + ": " + data.length + " values for shape " + Shape.str(shape));
        return Tensor.result(name, data, shape, inputs, backward::apply, saved);
    }

    /** A tensor that owns data (not copied) in the given shape, outside any graph. */
    public static Tensor wrap(float[] data, int... shape) {
        if (data.length != Shape.numel(shape))
            throw new IllegalArgumentException("wrap: " + data.length + " values for shape " + Shape.str(shape));
        return Tensor.wrap(data, shape);
    }

    /**
     * As {@link #wrap}, for a gradient a backward rule has just computed into an array that nothing
     * else references: when it reaches a leaf whose .grad is null, the engine adopts it instead of
     * copying it (a parameter's gradient after {@code zeroGrad(true)}: one copy less per step).
     */
    public static Tensor freshGradient(float[] data, int... shape) {
        Tensor t = wrap(data, shape);
        t.unshared = true;
        return t;
    }
}
