package dev.anneal.data.transform;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.data.Dataset;
import dev.anneal.data.TensorDataset;
import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Shape;

/** (x − mean[c]) / std[c] per channel of [N, C, ...] inputs, as torchvision's Normalize. */
public final class Normalize implements BatchTransform {
    private final float[] mean;
    private final float[] std;
    private final Tensor meanT;
    private final Tensor stdT;

    public Normalize(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0)
            throw new IllegalArgumentException("Normalize: mean has " + mean.length + " channels and std " + std.length
                    + "; expected the same non-zero count");
        for (float s : std)
            if (!(s > 0)) throw new IllegalArgumentException("Normalize: std must be positive, got " + s);
        this.mean = mean.clone();
        this.std = std.clone();
        this.meanT = Tensor.of(mean, mean.length, 1);
        this.stdT = Tensor.of(std, std.length, 1);
    }

    /** Per-channel mean and (population) std of all inputs of a dataset with [C, ...] examples. */
    public static Normalize fit(Dataset d) {
        int n = d.size();
        if (n == 0) throw new IllegalArgumentException("Normalize.fit: the dataset is empty");
        double[] sum = null, sq = null;
        long count = 0;
        int chunk = 4096;
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            int[] idx = new int[to - from];
            for (int i = 0; i < idx.length; i++) idx[i] = from + i;
            Tensor x = d.batch(idx).inputs();
            if (x.rank() < 2) throw new IllegalArgumentException("Normalize.fit: expected inputs [N, C, ...], got " + Shape.str(x.shape()));
            int c = x.size(1), per = x.numel() / (x.size(0) * Math.max(c, 1));
            if (sum == null) {
                sum = new double[c];
                sq = new double[c];
            }
            float[] v = x.isContiguous() ? x.storageData() : x.toArray();
            int off = x.isContiguous() ? x.layoutView().offset() : 0;
            for (int i = 0; i < x.size(0); i++)
                for (int ch = 0; ch < c; ch++) accumulate(v, off + (i * c + ch) * per, per, sum, sq, ch);
            count += (long) x.size(0) * per;
        }
        float[] mean = new float[sum.length], std = new float[sum.length];
        for (int ch = 0; ch < sum.length; ch++) {
            double m = sum[ch] / count;
            mean[ch] = (float) m;
            std[ch] = (float) Math.sqrt(Math.max(sq[ch] / count - m * m, 1e-12));
        }
        return new Normalize(mean, std);
    }

    /** sum[ch] += Σ v, sq[ch] += Σ v² over v[from, from + n), in order (a method of its own, so the JIT compiles it early). */
    private static void accumulate(float[] v, int from, int n, double[] sum, double[] sq, int ch) {
        double s = sum[ch], q = sq[ch];
        for (int k = from, end = from + n; k < end; k++) {
            double e = v[k];
            s += e;
            q += e * e;
        }
        sum[ch] = s;
        sq[ch] = q;
    }

    /**
     * The dataset with every input normalized once, for loaders without a per-batch transform: the
     * same values as applying this to each batch, computed once instead of in every epoch.
     */
    public TensorDataset applyTo(TensorDataset d) {
        if (d == null) throw new IllegalArgumentException("Normalize.applyTo: the dataset is null");
        Tensor x = d.inputs();
        checkShape(x);
        // the whole dataset once, before training: the pool's vector kernels, with apply's rounding
        // (a float subtraction, then a float division)
        int[] s = x.shape();
        try (var scope = GradMode.noGrad()) {
            Tensor flat = x.reshape(s[0], s[1], -1), out = Tensor.zeros(flat.shape());
            flat.subOut(meanT, out);
            out.divOut(stdT, out);
            return new TensorDataset(out.reshape(s), d.targets());
        }
    }

    private void checkShape(Tensor x) {
        if (x.rank() < 2 || x.size(1) != mean.length)
            throw new IllegalArgumentException("Normalize: expected inputs [N, " + mean.length + ", ...], got " + Shape.str(x.shape()));
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    @Override
    public Tensor apply(Tensor x, Generator gen) {
        checkShape(x);
        int[] s = x.shape();
        if (x.requiresGrad() && GradMode.isEnabled()) {
            Tensor flat = x.reshape(s[0], s[1], -1);
            return flat.sub(meanT).div(stdT).reshape(s);
        }
        // one pass on the calling thread (the loader's background thread: it must not take the
        // kernel pool from the training step), with the same float rounding as sub then div
        float[] xd = x.isContiguous() ? x.storageData() : x.toArray();
        int xo = x.isContiguous() ? x.layoutView().offset() : 0;
        int c = s[1], per = s[0] * c == 0 ? 0 : x.numel() / (s[0] * c);
        float[] y = new float[x.numel()];
        for (int row = 0, at = 0; row < s[0] * c; row++) {
            float m = mean[row % c], sd = std[row % c];
            for (int end = at + per; at < end; at++) y[at] = (xd[xo + at] - m) / sd;
        }
        return Functions.wrap(y, s);
    }
}
