package dev.anneal.nn;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.functional.Pool;

/** Max pooling layer (torch.nn.MaxPool2d); see {@link Pool#maxPool2d}. */
public final class MaxPool2d extends Module {
    private final int[] kernel, stride, padding, dilation;
    private final boolean ceilMode, scalar;

    /** Square kernel, stride = kernel, no padding. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0, 1, false);
    }

    public MaxPool2d(int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {dilation, dilation},
                ceilMode, true);
    }

    /** (height, width) settings; stride null means the kernel size. */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this(kernel, stride, padding, dilation, ceilMode, false);
    }

    private MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode, boolean scalar) {
        this.kernel = PoolArgs.pair("MaxPool2d", "kernel size", kernel, null, 1);
        this.stride = PoolArgs.pair("MaxPool2d", "stride", stride, this.kernel, 1);
        this.padding = PoolArgs.pair("MaxPool2d", "padding", padding, null, 0);
        this.dilation = PoolArgs.pair("MaxPool2d", "dilation", dilation, null, 1);
        PoolArgs.check("MaxPool2d", this.kernel, this.stride, this.padding, this.dilation);
        this.ceilMode = ceilMode;
        this.scalar = scalar;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Pool.maxPool2d(input, kernel, stride, padding, dilation, ceilMode);
    }

    /** As PyTorch: {@code MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)}. */
    @Override
    public String toString() {
        return "MaxPool2d(kernel_size=" + PyRepr.sizeArg(kernel, scalar) + ", stride=" + PyRepr.sizeArg(stride, scalar) + ", padding="
                + PyRepr.sizeArg(padding, scalar) + ", dilation=" + PyRepr.sizeArg(dilation, scalar) + ", ceil_mode="
                + PyRepr.bool(ceilMode) + ")";
    }
}
