package dev.anneal.nn;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.functional.Pool;

/** Average pooling layer (torch.nn.AvgPool2d); see {@link Pool#avgPool2d}. */
public final class AvgPool2d extends Module {
    private final int[] kernel, stride, padding;
    private final boolean ceilMode, countIncludePad, scalar;
    private final int divisorOverride;

    /** Square kernel, stride = kernel, no padding. */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0, false, true);
    }

    public AvgPool2d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, ceilMode, countIncludePad, 0, true);
    }

    /** (height, width) settings; stride null means the kernel size; divisorOverride 0 means none. */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad, int divisorOverride) {
        this(kernel, stride, padding, ceilMode, countIncludePad, divisorOverride, false);
    }

    private AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad, int divisorOverride,
                      boolean scalar) {
        this.kernel = PoolArgs.pair("AvgPool2d", "kernel size", kernel, null, 1);
        this.stride = PoolArgs.pair("AvgPool2d", "stride", stride, this.kernel, 1);
        this.padding = PoolArgs.pair("AvgPool2d", "padding", padding, null, 0);
        PoolArgs.check("AvgPool2d", this.kernel, this.stride, this.padding, new int[] {1, 1});
        if (divisorOverride < 0)
            throw new IllegalArgumentException("AvgPool2d: divisorOverride must be positive (or 0 for none), got " + divisorOverride);
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
        this.scalar = scalar;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Pool.avgPool2d(input, kernel, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    /** As PyTorch: {@code AvgPool2d(kernel_size=2, stride=2, padding=0)}. */
    @Override
    public String toString() {
        return "AvgPool2d(kernel_size=" + PyRepr.sizeArg(kernel, scalar) + ", stride=" + PyRepr.sizeArg(stride, scalar) + ", padding="
                + PyRepr.sizeArg(padding, scalar) + ")";
    }
}
