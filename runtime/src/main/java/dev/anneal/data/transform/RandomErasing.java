package dev.anneal.data.transform;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;

/**
 * With probability p, fills a random rectangle of each image with a value; the rectangle covers
 * a fraction of the area drawn from [scaleMin, scaleMax] with a log-uniform aspect ratio in
 * [ratioMin, ratioMax], as torchvision's RandomErasing (Zhong et al., 2017), retrying up to 10 times.
 */
public final class RandomErasing implements BatchTransform {
    private final double p;
    private final double scaleMin;
    private final double scaleMax;
    private final double ratioMin;
    private final double ratioMax;
    private final float value;

    public RandomErasing(double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax, float value) {
        if (!(p >= 0 && p <= 1) || !(scaleMin > 0) || scaleMax < scaleMin || scaleMax > 1 || !(ratioMin > 0) || ratioMax < ratioMin)
            throw new IllegalArgumentException("RandomErasing: expected p in [0, 1], 0 < scaleMin <= scaleMax <= 1, 0 < ratioMin <= ratioMax; got p "
                    + p + ", scale [" + scaleMin + ", " + scaleMax + "], ratio [" + ratioMin + ", " + ratioMax + "]");
        this.p = p;
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.ratioMin = ratioMin;
        this.ratioMax = ratioMax;
        this.value = value;
    }

    /** torchvision's defaults: p 0.5, scale (0.02, 0.33), ratio (0.3, 3.3), value 0. */
    public RandomErasing() {
        this(0.5, 0.02, 0.33, 0.3, 3.3, 0f);
    }

    @Override
    public Tensor apply(Tensor x, Generator gen) {
        int[] s = Images.checkNchw("RandomErasing", x);
        int n = s[0], c = s[1], h = s[2], w = s[3];
        float[] v = x.toArray();
        for (int i = 0; i < n; i++) {
            if (!(gen.nextDouble() < p)) continue;
            for (int attempt = 0; attempt < 10; attempt++) {
                double area = h * w * (scaleMin + gen.nextDouble() * (scaleMax - scaleMin));
                double logR = Math.log(ratioMin) + gen.nextDouble() * (Math.log(ratioMax) - Math.log(ratioMin));
                double ratio = Math.exp(logR);
                int eh = (int) Math.round(Math.sqrt(area * ratio)), ew = (int) Math.round(Math.sqrt(area / ratio));
                if (eh < 1 || ew < 1 || eh >= h || ew >= w) continue;
                int top = gen.nextInt(h - eh + 1), left = gen.nextInt(w - ew + 1);
                for (int ch = 0; ch < c; ch++)
                    for (int r = top; r < top + eh; r++) {
                        int base = ((i * c + ch) * h + r) * w + left;
                        java.util.Arrays.fill(v, base, base + ew, value);
                    }
                break;
            }
        }
        return Functions.wrap(v, s);
    }
}
