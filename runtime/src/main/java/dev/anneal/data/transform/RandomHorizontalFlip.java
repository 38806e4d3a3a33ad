package dev.anneal.data.transform;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;

/** Mirrors each image left-right with probability p. */
public final class RandomHorizontalFlip implements BatchTransform {
    private final double p;

    public RandomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
        this.p = p;
    }

    @Override
    public Tensor apply(Tensor x, Generator gen) {
        int[] s = Images.checkNchw("RandomHorizontalFlip", x);
        int n = s[0], plane = s[1] * s[2], w = s[3];
        float[] v = x.toArray();
        for (int i = 0; i < n; i++) {
            if (!(gen.nextDouble() < p)) continue;
            for (int r = 0; r < plane; r++) {
                int base = (i * plane + r) * w;
                for (int a = base, b = base + w - 1; a < b; a++, b--) {
                    float t = v[a];
                    v[a] = v[b];
                    v[b] = t;
                }
            }
        }
        return Functions.wrap(v, s);
    }
}
