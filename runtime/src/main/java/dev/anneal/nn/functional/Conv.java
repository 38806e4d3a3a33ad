package dev.anneal.nn.functional;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Convolution;
import dev.anneal.tensor.Shape;
import java.util.Arrays;

/** Differentiable convolutions (torch.nn.functional.conv2d) backed by {@link Convolution}. */
public final class Conv {
    private Conv() {}

    /** conv2d with stride 1, no padding, dilation 1, one group. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) {
        return conv2d(x, weight, bias, null, null, null, 1);
    }

    /** conv2d with the same stride and padding in both directions. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, new int[] {stride}, new int[] {padding}, null, 1);
    }

    /**
     * 2-D cross-correlation of x [N, C, H, W] (or unbatched [C, H, W]) with weight
     * [O, C/groups, kH, kW], plus bias [O] (may be null). stride, padding and dilation hold one
     * value for both directions or (height, width); null means 1, 0, 1.
     * Output [N, O, (H + 2p − d(kH−1) − 1)/s + 1, ...].
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        String op = "conv2d";
        Args.image(op, x);
        if (weight == null) throw new IllegalArgumentException(op + ": weight is null");
        int[] xs = x.shape(), ws = weight.shape();
        if (ws.length != 4)
            throw new IllegalArgumentException(op + ": weight must be 4-D [out_channels, in_channels/groups, kH, kW], got shape " + Shape.str(ws));
        int[] s = Args.pair(op, "stride", stride, 1), p = Args.pair(op, "padding", padding, 0), d = Args.pair(op, "dilation", dilation, 1);
        Args.positive(op, "stride", s);
        Args.nonNegative(op, "padding", p);
        Args.positive(op, "dilation", d);
        if (groups <= 0) throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        for (int k : ws)
            if (k == 0) throw new IllegalArgumentException(op + ": weight " + Shape.str(ws) + " has an empty dimension");
        if (ws[0] % groups != 0)
            throw new IllegalArgumentException(op + ": weight " + Shape.str(ws) + " has " + ws[0] + " output channels, which groups "
                    + groups + " does not divide");
        boolean batched = xs.length == 4;
        int n = batched ? xs[0] : 1, c = xs[xs.length - 3], h = xs[xs.length - 2], w = xs[xs.length - 1];
        if (c != ws[1] * groups)
            throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " has " + c + " channels, weight " + Shape.str(ws)
                    + " expects " + ws[1] * groups + " (groups " + groups + ")");
        if (bias != null && !Arrays.equals(bias.shape(), new int[] {ws[0]}))
            throw new IllegalArgumentException(op + ": bias must have shape [" + ws[0] + "] (one value per output channel), got "
                    + Shape.str(bias.shape()));
        int ekh = d[0] * (ws[2] - 1) + 1, ekw = d[1] * (ws[3] - 1) + 1;
        if (h + 2 * p[0] < ekh || w + 2 * p[1] < ekw)
            throw new IllegalArgumentException(op + ": padded input " + (h + 2 * p[0]) + "×" + (w + 2 * p[1]) + " (input " + Shape.str(xs)
                    + ", padding " + Arrays.toString(p) + ") is smaller than the dilated kernel " + ekh + "×" + ekw
                    + " (weight " + Shape.str(ws) + ", dilation " + Arrays.toString(d) + "): the output would be empty");
        Convolution.Geometry g = new Convolution.Geometry(n, c, h, w, ws[0], ws[2], ws[3], s[0], s[1], p[0], p[1], d[0], d[1], groups);

        Tensor xc = (batched ? x : x.unsqueeze(0)).contiguous();
        Tensor wc = weight.contiguous();
        float[] xd = xc.storageData(), wd = wc.storageData();
        int xo = xc.layoutView().offset(), wo = wc.layoutView().offset();
        float[] bd = bias == null ? null : bias.toArray();
        float[] y = Convolution.forward(g, xd, xo, wd, wo, bd, 0);
        int[] outShape = {n, g.o, g.oh, g.ow};
        Tensor[] inputs = bias == null ? new Tensor[] {xc, wc} : new Tensor[] {xc, wc, bias};
        Tensor out = Functions.custom("conv2d", y, outShape, inputs, gOut -> {
            float[] gy = Args.data(gOut);
            float[] gx = xc.requiresGrad() ? new float[xc.numel()] : null;
            float[] gw = wc.requiresGrad() ? new float[wc.numel()] : null;
            float[] gb = bias != null && bias.requiresGrad() ? new float[g.o] : null;
            Convolution.backward(g, xd, xo, wd, wo, gy, gx, gw, gb);
            Tensor[] grads = new Tensor[inputs.length];
            if (gx != null) grads[0] = Functions.wrap(gx, xc.shape());
            if (gw != null) grads[1] = Functions.wrap(gw, ws);
            if (gb != null) grads[2] = Functions.wrap(gb, g.o);
            return grads;
        }, xc, wc);
        return batched ? out : out.squeeze(0);
    }
}
