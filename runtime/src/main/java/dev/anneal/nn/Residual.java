package dev.anneal.nn;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;
import java.util.Arrays;

/** A residual connection: body(x) + x, or body(x) + shortcut(x) with a projection shortcut (He et al., 2016). */
public final class Residual extends Module {
    private final Module body, shortcut;

    public Residual(Module body) {
        this.body = registerModule("body", body);
        this.shortcut = null;
    }

    /** body(x) + shortcut(x), e.g. a 1×1 convolution or Linear matching the body's output shape. */
    public Residual(Module body, Module shortcut) {
        this.body = registerModule("body", body);
        this.shortcut = registerModule("shortcut", shortcut);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = body.invoke(x);
        Tensor s = shortcut == null ? x : shortcut.invoke(x);
        if (!Arrays.equals(y.shape(), s.shape()))
            throw new IllegalArgumentException("Residual: body output " + Shape.str(y.shape()) + " does not match "
                    + (shortcut == null ? "the input " : "shortcut output ") + Shape.str(s.shape()) + " (input " + Shape.str(x.shape())
                    + "); the body must keep the shape" + (shortcut == null ? ", or pass a shortcut that projects the input to it" : ""));
        return y.add(s);
    }

    public Module body() {
        return body;
    }

    /** The shortcut, or null for the identity. */
    public Module shortcut() {
        return shortcut;
    }

    @Override
    public String toString() {
        return ContainerRepr.of("Residual", namedChildren());
    }
}
