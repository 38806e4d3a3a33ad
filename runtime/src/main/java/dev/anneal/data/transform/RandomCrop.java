package dev.anneal.data.transform;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;

/** Pads each image with zeros by padding on every side, then cuts a random height×width window. */
public final class RandomCrop implements BatchTransform {
    private final int height;
    private final int width;
    private final int padding;

    public RandomCrop(int height, int width, int padding) {
        if (height < 1 || width < 1 || padding < 0)
            throw new IllegalArgumentException("RandomCrop: size must be positive and padding non-negative, got " + height + "x" + width
                    + " padding " + padding);
        this.height = height;
        this.width = width;
        this.padding = padding;
    }

    @Override
    public Tensor apply(Tensor x, Generator gen) {
        int[] s = Images.checkNchw("RandomCrop", x);
        int n = s[0], c = s[1], h = s[2], w = s[3];
        int ph = h + 2 * padding, pw = w + 2 * padding;
        if (height > ph || width > pw)
            throw new IllegalArgumentException("RandomCrop: crop " + height + "x" + width + " is larger than the padded image " + ph + "x" + pw);
        float[] v = x.toArray(), out = new float[n * c * height * width];
        for (int i = 0; i < n; i++) {
            int top = gen.nextInt(ph - height + 1) - padding, left = gen.nextInt(pw - width + 1) - padding;
            for (int ch = 0; ch < c; ch++)
                for (int r = 0; r < height; r++) {
                    int sr = top + r;
                    if (sr < 0 || sr >= h) continue;
                    int src = ((i * c + ch) * h + sr) * w, dst = ((i * c + ch) * height + r) * width;
                    int c0 = Math.max(0, -left), c1 = Math.min(width, w - left);
                    if (c1 > c0) System.arraycopy(v, src + left + c0, out, dst + c0, c1 - c0);
                }
        }
        return Functions.wrap(out, n, c, height, width);
    }
}
