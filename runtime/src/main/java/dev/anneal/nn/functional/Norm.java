package dev.anneal.nn.functional;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Normalization;
import dev.anneal.tensor.Shape;
import java.util.Arrays;

/** Differentiable batch and layer normalization backed by {@link Normalization}. */
public final class Norm {
    private Norm() {}

    /**
     * Batch normalization of x [N, C, *] per channel (torch.nn.functional.batch_norm). In training
     * the batch mean and biased variance normalize x, and running statistics, when given, are
     * updated in place: running = (1 − momentum)·running + momentum·batch, with the unbiased
     * variance. Otherwise the running statistics normalize x. weight and bias ([C]) may be null.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                                   double momentum, double eps) {
        String op = "batchNorm";
        if (x == null) throw new IllegalArgumentException(op + ": input is null");
        int[] xs = x.shape();
        if (xs.length < 2) throw new IllegalArgumentException(op + ": expected an input [N, C, *] of rank >= 2, got shape " + Shape.str(xs));
        int n = xs[0], c = xs[1], s = Shape.numel(Arrays.copyOfRange(xs, 2, xs.length));
        checkChannels(op, "running mean", runningMean, c, xs);
        checkChannels(op, "running variance", runningVar, c, xs);
        checkChannels(op, "weight", weight, c, xs);
        checkChannels(op, "bias", bias, c, xs);
        if ((runningMean == null) != (runningVar == null))
            throw new IllegalArgumentException(op + ": give both running statistics or neither");
        if (!training && runningMean == null)
            throw new IllegalArgumentException(op + ": running mean and variance are required when not training");
        if (!(eps > 0)) throw new IllegalArgumentException(op + ": eps must be positive, got " + eps);
        if (training && (long) n * s <= 1)
            throw new IllegalArgumentException(op + ": expected more than 1 value per channel when training, got input " + Shape.str(xs));
        Tensor xc = x.contiguous();
        float[] xd = xc.storageData();
        int xo = xc.layoutView().offset();
        float[] wd = Args.copyOrNull(weight), bd = Args.copyOrNull(bias);
        float[] mean, invstd, y;
        if (training) {
            float[] var = new float[c];
            mean = new float[c];
            invstd = new float[c];
            y = Normalization.batchNormTrain(xd, xo, n, c, s, wd, bd, (float) eps, mean, var, invstd);
            if (runningMean != null) updateRunning(runningMean, runningVar, mean, var, (long) n * s, momentum);
        } else {
            mean = runningMean.toArray();
            invstd = Normalization.invstd(runningVar.toArray(), (float) eps);
            y = Normalization.batchNormApply(xd, xo, n, c, s, mean, invstd, wd, bd);
        }
        float[] fm = mean, fi = invstd;
        Tensor[] inputs = {xc, weight, bias};
        return Functions.custom("batchNorm", y, xs, inputs, gOut -> {
            float[] gx = xc.requiresGrad() ? new float[xc.numel()] : null;
            float[] gw = weight != null && weight.requiresGrad() ? new float[c] : null;
            float[] gb = bias != null && bias.requiresGrad() ? new float[c] : null;
            Normalization.batchNormBackward(xd, xo, Args.data(gOut), n, c, s, fm, fi, wd, training, gx, gw, gb);
            return new Tensor[] {gx == null ? null : Functions.wrap(gx, xs), gw == null ? null : Functions.wrap(gw, c),
                    gb == null ? null : Functions.wrap(gb, c)};
        }, xc);
    }

    private static void updateRunning(Tensor runningMean, Tensor runningVar, float[] mean, float[] var, long count, double momentum) {
        float[] rm = runningMean.toArray(), rv = runningVar.toArray();
        Normalization.updateRunning(rm, rv, mean, var, count, momentum);
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            runningMean.copyFrom(Functions.wrap(rm, runningMean.shape()));
            runningVar.copyFrom(Functions.wrap(rv, runningVar.shape()));
        }
    }

    private static void checkChannels(String op, String what, Tensor t, int c, int[] xs) {
        if (t != null && !Arrays.equals(t.shape(), new int[] {c}))
            throw new IllegalArgumentException(op + ": " + what + " must have shape [" + c + "] (one value per channel of input "
                    + Shape.str(xs) + "), got " + Shape.str(t.shape()));
    }

    /**
     * Layer normalization over the trailing dims of x given by normalizedShape: each slice is
     * shifted to mean 0 and scaled to variance 1 (biased, plus eps), then times weight plus bias
     * (both of normalizedShape, may be null).
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        String op = "layerNorm";
        if (x == null) throw new IllegalArgumentException(op + ": input is null");
        if (normalizedShape == null || normalizedShape.length == 0)
            throw new IllegalArgumentException(op + ": normalized shape must name at least one dim");
        int[] xs = x.shape();
        int k = normalizedShape.length;
        boolean fits = xs.length >= k;
        for (int i = 0; fits && i < k; i++) fits = xs[xs.length - k + i] == normalizedShape[i];
        if (!fits)
            throw new IllegalArgumentException(op + ": normalized shape " + Shape.str(normalizedShape) + " expects an input [*, "
                    + Shape.str(normalizedShape).substring(1) + ", got " + Shape.str(xs));
        if (weight != null && !Arrays.equals(weight.shape(), normalizedShape))
            throw new IllegalArgumentException(op + ": weight must have the normalized shape " + Shape.str(normalizedShape) + ", got "
                    + Shape.str(weight.shape()));
        if (bias != null && !Arrays.equals(bias.shape(), normalizedShape))
            throw new IllegalArgumentException(op + ": bias must have the normalized shape " + Shape.str(normalizedShape) + ", got "
                    + Shape.str(bias.shape()));
        if (!(eps > 0)) throw new IllegalArgumentException(op + ": eps must be positive, got " + eps);
        int d = Shape.numel(normalizedShape);
        int rows = d == 0 ? 0 : x.numel() / d;
        Tensor xc = x.contiguous();
        float[] xd = xc.storageData();
        int xo = xc.layoutView().offset();
        float[] wd = Args.copyOrNull(weight), bd = Args.copyOrNull(bias);
        float[] mean = new float[rows], invstd = new float[rows];
        float[] y = Normalization.layerNorm(xd, xo, rows, d, wd, bd, (float) eps, mean, invstd);
        Tensor[] inputs = {xc, weight, bias};
        return Functions.custom("layerNorm", y, xs, inputs, gOut -> {
            float[] gx = xc.requiresGrad() ? new float[xc.numel()] : null;
            float[] gw = weight != null && weight.requiresGrad() ? new float[d] : null;
            float[] gb = bias != null && bias.requiresGrad() ? new float[d] : null;
            Normalization.layerNormBackward(xd, xo, Args.data(gOut), rows, d, wd, mean, invstd, gx, gw, gb);
            return new Tensor[] {gx == null ? null : Functions.wrap(gx, xs), gw == null ? null : Functions.wrap(gw, normalizedShape),
                    gb == null ? null : Functions.wrap(gb, normalizedShape)};
        }, xc);
    }
}
