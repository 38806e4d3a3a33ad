package dev.anneal.data.transform;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;

/**
 * Rotates (uniform in ±degrees), translates (up to a fraction of width/height) and scales each
 * image about its centre, with bilinear sampling and zero fill, as torchvision's RandomAffine.
 */
public final class RandomAffine implements BatchTransform {
    private final double degrees;
    private final double translateX;
    private final double translateY;
    private final double scaleMin;
    private final double scaleMax;

    public RandomAffine(double degrees, double translateX, double translateY, double scaleMin, double scaleMax) {
        if (degrees < 0 || translateX < 0 || translateX > 1 || translateY < 0 || translateY > 1 || !(scaleMin > 0) || scaleMax < scaleMin)
            throw new IllegalArgumentException("RandomAffine: expected degrees >= 0, translations in [0, 1], 0 < scaleMin <= scaleMax; got "
                    + degrees + ", " + translateX + ", " + translateY + ", " + scaleMin + ", " + scaleMax);
        this.degrees = degrees;
        this.translateX = translateX;
        this.translateY = translateY;
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
    }

    /** Rotation only. */
    public static RandomAffine rotation(double degrees) {
        return new RandomAffine(degrees, 0, 0, 1, 1);
    }

    @Override
    public Tensor apply(Tensor x, Generator gen) {
        int[] s = Images.checkNchw("RandomAffine", x);
        float[] v = x.toArray(), out = new float[v.length];
        for (int i = 0; i < s[0]; i++) {
            double angle = (gen.nextDouble() * 2 - 1) * degrees;
            double tx = Math.round((gen.nextDouble() * 2 - 1) * translateX * s[3]), ty = Math.round((gen.nextDouble() * 2 - 1) * translateY * s[2]);
            double scale = scaleMin + gen.nextDouble() * (scaleMax - scaleMin);
            warp(v, out, i, s, angle, tx, ty, scale);
        }
        return Functions.wrap(out, s);
    }

    /** The same rotation (degrees, counter-clockwise), translation (pixels) and scale applied to every image. */
    public static Tensor affine(Tensor x, double degrees, double tx, double ty, double scale) {
        int[] s = Images.checkNchw("affine", x);
        if (!(scale > 0)) throw new IllegalArgumentException("affine: scale must be positive, got " + scale);
        float[] v = x.toArray(), out = new float[v.length];
        for (int i = 0; i < s[0]; i++) warp(v, out, i, s, degrees, tx, ty, scale);
        return Functions.wrap(out, s);
    }

    private static void warp(float[] v, float[] out, int i, int[] s, double degrees, double tx, double ty, double scale) {
        int c = s[1], h = s[2], w = s[3];
        double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
        double angle = Math.toRadians(degrees);
        // inverse map: output pixel → source position (rotation by −angle, then 1/scale)
        double cos = Math.cos(angle) / scale, sin = Math.sin(angle) / scale;
        for (int ch = 0; ch < c; ch++) {
            int plane = (i * c + ch) * h * w;
            for (int r = 0; r < h; r++)
                for (int q = 0; q < w; q++) {
                    double dx = q - cx - tx, dy = r - cy - ty;
                    double sx = cos * dx - sin * dy + cx, sy = sin * dx + cos * dy + cy;
                    out[plane + r * w + q] = bilinear(v, plane, h, w, sy, sx);
                }
        }
    }

    private static float bilinear(float[] v, int plane, int h, int w, double y, double x) {
        int y0 = (int) Math.floor(y), x0 = (int) Math.floor(x);
        double fy = y - y0, fx = x - x0;
        double acc = 0;
        for (int dy = 0; dy <= 1; dy++)
            for (int dx = 0; dx <= 1; dx++) {
                int yy = y0 + dy, xx = x0 + dx;
                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                acc += (dy == 1 ? fy : 1 - fy) * (dx == 1 ? fx : 1 - fx) * v[plane + yy * w + xx];
            }
        return (float) acc;
    }
}
