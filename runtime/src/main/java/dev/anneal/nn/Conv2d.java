package dev.anneal.nn;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.functional.Conv;
import dev.anneal.tensor.Generator;

/**
 * 2-D convolution layer (torch.nn.Conv2d, zero padding): weight [out, in/groups, kH, kW] and
 * optional bias [out], both initialised U(−1/√fanIn, 1/√fanIn) with fanIn = in/groups·kH·kW
 * (PyTorch's kaiming_uniform with a = √5), weight drawn before bias.
 */
public final class Conv2d extends Module {
    private final int inChannels, outChannels, groups;
    private final int[] kernel, stride, padding, dilation;
    private final Tensor weight, bias;

    /** Square kernel, stride 1, no padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, Generator g) {
        this(inChannels, outChannels, new int[] {kernel, kernel}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, true, g);
    }

    /** Square kernel with the same stride and padding in both directions, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, Generator g) {
        this(inChannels, outChannels, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {1, 1}, 1, true, g);
    }

    /** Every setting; kernel, stride, padding and dilation are (height, width) or one value for both. */
    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias, Generator g) {
        String me = "Conv2d";
        if (inChannels <= 0 || outChannels <= 0)
            throw new IllegalArgumentException(me + ": channel counts must be positive, got in " + inChannels + ", out " + outChannels);
        if (groups <= 0) throw new IllegalArgumentException(me + ": groups must be positive, got " + groups);
        if (inChannels % groups != 0)
            throw new IllegalArgumentException(me + ": in_channels " + inChannels + " must be divisible by groups " + groups);
        if (outChannels % groups != 0)
            throw new IllegalArgumentException(me + ": out_channels " + outChannels + " must be divisible by groups " + groups);
        this.kernel = pair(me, "kernel size", kernel, 1);
        this.stride = pair(me, "stride", stride, 1);
        this.padding = pair(me, "padding", padding, 0);
        this.dilation = pair(me, "dilation", dilation, 1);
        if (this.kernel[0] <= 0 || this.kernel[1] <= 0 || this.stride[0] <= 0 || this.stride[1] <= 0 || this.dilation[0] <= 0
                || this.dilation[1] <= 0 || this.padding[0] < 0 || this.padding[1] < 0)
            throw new IllegalArgumentException(me + ": kernel size, stride and dilation must be positive and padding non-negative, got "
                    + "kernel " + PyRepr.tuple(this.kernel) + ", stride " + PyRepr.tuple(this.stride) + ", padding "
                    + PyRepr.tuple(this.padding) + ", dilation " + PyRepr.tuple(this.dilation));
        if (g == null) throw new IllegalArgumentException(me + ": a Generator is required to initialise the weights");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        int fanIn = inChannels / groups * this.kernel[0] * this.kernel[1];
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        this.weight = registerParameter("weight", uniform(g, bound, outChannels, inChannels / groups, this.kernel[0], this.kernel[1]));
        this.bias = bias ? registerParameter("bias", uniform(g, bound, outChannels)) : null;
    }

    /** A builder: {@code Conv2d.builder(1, 32, 3).padding(1).build(gen)}. */
    public static Builder builder(int inChannels, int outChannels, int kernel) {
        return new Builder(inChannels, outChannels, new int[] {kernel, kernel});
    }

    public static Builder builder(int inChannels, int outChannels, int kernelH, int kernelW) {
        return new Builder(inChannels, outChannels, new int[] {kernelH, kernelW});
    }

    /** Settings of a {@link Conv2d} with PyTorch's defaults (stride 1, padding 0, dilation 1, groups 1, bias). */
    public static final class Builder {
        private final int in, out;
        private final int[] kernel;
        private int[] stride = {1, 1}, padding = {0, 0}, dilation = {1, 1};
        private int groups = 1;
        private boolean bias = true;

        private Builder(int in, int out, int[] kernel) {
            this.in = in;
            this.out = out;
            this.kernel = kernel;
        }

        public Builder stride(int s) { return stride(s, s); }
        public Builder stride(int sh, int sw) { stride = new int[] {sh, sw}; return this; }
        public Builder padding(int p) { return padding(p, p); }
        public Builder padding(int ph, int pw) { padding = new int[] {ph, pw}; return this; }
        public Builder dilation(int d) { return dilation(d, d); }
        public Builder dilation(int dh, int dw) { dilation = new int[] {dh, dw}; return this; }
        public Builder groups(int g) { groups = g; return this; }
        public Builder bias(boolean b) { bias = b; return this; }

        public Conv2d build(Generator g) {
            return new Conv2d(in, out, kernel, stride, padding, dilation, groups, bias, g);
        }
    }

    private static int[] pair(String me, String what, int[] v, int dflt) {
        if (v == null || v.length == 0) return new int[] {dflt, dflt};
        if (v.length == 1) return new int[] {v[0], v[0]};
        if (v.length == 2) return v.clone();
        throw new IllegalArgumentException(me + ": " + what + " must have 1 or 2 values, got " + java.util.Arrays.toString(v));
    }

    /** U(−bound, bound), as tensor.uniform_(−bound, bound): −bound + 2·bound·u. */
    private static Tensor uniform(Generator g, float bound, int... shape) {
        Tensor t = Tensor.rand(g, shape);
        float[] d = t.storageData();
        for (int i = 0; i < d.length; i++) d[i] = -bound + 2 * bound * d[i];
        return t;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Conv.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    public Tensor weight() { return weight; }
    /** The bias, or null when built without one. */
    public Tensor bias() { return bias; }
    public int inChannels() { return inChannels; }
    public int outChannels() { return outChannels; }
    public int groups() { return groups; }
    public int[] kernelSize() { return kernel.clone(); }
    public int[] stride() { return stride.clone(); }
    public int[] padding() { return padding.clone(); }
    public int[] dilation() { return dilation.clone(); }

    /** As PyTorch: {@code Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Conv2d(").append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(PyRepr.tuple(kernel)).append(", stride=").append(PyRepr.tuple(stride));
        if (padding[0] != 0 || padding[1] != 0) b.append(", padding=").append(PyRepr.tuple(padding));
        if (dilation[0] != 1 || dilation[1] != 1) b.append(", dilation=").append(PyRepr.tuple(dilation));
        if (groups != 1) b.append(", groups=").append(groups);
        if (bias == null) b.append(", bias=False");
        return b.append(")").toString();
    }
}
