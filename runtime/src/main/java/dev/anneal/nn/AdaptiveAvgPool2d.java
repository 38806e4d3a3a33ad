package dev.anneal.nn;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.functional.Pool;

/** Adaptive average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d); see {@link Pool#adaptiveAvgPool2d}. */
public final class AdaptiveAvgPool2d extends Module {
    private final int outH, outW;
    private final boolean scalar;

    /** Square output size×size. */
    public AdaptiveAvgPool2d(int size) {
        this(size, size, true);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        this(outH, outW, false);
    }

    private AdaptiveAvgPool2d(int outH, int outW, boolean scalar) {
        if (outH <= 0 || outW <= 0)
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got " + outH + "×" + outW);
        this.outH = outH;
        this.outW = outW;
        this.scalar = scalar;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Pool.adaptiveAvgPool2d(input, outH, outW);
    }

    /** As PyTorch: {@code AdaptiveAvgPool2d(output_size=(5, 7))}. */
    @Override
    public String toString() {
        return "AdaptiveAvgPool2d(output_size=" + (scalar ? Integer.toString(outH) : PyRepr.tuple(outH, outW)) + ")";
    }
}
