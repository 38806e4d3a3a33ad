package dev.anneal.kernels;

import dev.anneal.tensor.Layout;
import dev.anneal.tensor.Shape;

/** Elementwise z = f(x, y) with NumPy broadcasting, into a fresh contiguous output. */
public final class Binary {
    private Binary() {}

    /** Layouts must already be expanded to the common output shape. */
    public static float[] apply(BinaryOp op, float[] x, Layout lx, float[] y, Layout ly) {
        int[] shape = lx.shape();
        float[] z = new float[Shape.numel(shape)];
        into(op, x, lx, y, ly, z, Layout.contiguous(shape));
        return z;
    }

    /**
     * z = f(x, y) written into an existing array: the out= form, which skips the zero fill the JVM
     * gives every new array. z may be x or y itself with the same layout (each element is read before
     * it is written), but must not otherwise overlap them; the caller checks that.
     */
    public static void into(BinaryOp op, float[] x, Layout lx, float[] y, Layout ly, float[] z, Layout lz) {
        int[] shape = lz.shape();
        if (Shape.numel(shape) == 0) return;
        StridedLoop loop = new StridedLoop(shape,
                new int[][] {lz.strides(), lx.strides(), ly.strides()},
                new int[] {lz.offset(), lx.offset(), ly.offset()});
        boolean vector = VectorSupport.enabled();
        loop.runParallel((len, zo, zs, xo, xs, yo, ys) -> {
            if (vector && zs == 1 && (xs == 1 || xs == 0) && (ys == 1 || ys == 0)) BinaryVector.apply(op, x, xo, xs, y, yo, ys, z, zo, len);
            else scalar(op, x, xo, xs, y, yo, ys, z, zo, zs, len);
        });
    }

    /** The reference loop. */
    public static void scalar(BinaryOp op, float[] x, int xo, int xs, float[] y, int yo, int ys, float[] z, int zo, int n) {
        scalar(op, x, xo, xs, y, yo, ys, z, zo, 1, n);
    }

    static void scalar(BinaryOp op, float[] x, int xo, int xs, float[] y, int yo, int ys, float[] z, int zo, int zs, int n) {
        for (int i = 0; i < n; i++) z[zo + i * zs] = op.apply(x[xo + i * xs], y[yo + i * ys]);
    }

    /** out = cond != 0 ? x : y, all three layouts expanded to the output shape. */
    public static float[] where(float[] c, Layout lc, float[] x, Layout lx, float[] y, Layout ly) {
        int[] shape = lc.shape();
        float[] out = new float[Shape.numel(shape)];
        if (out.length == 0) return out;
        // four operands: first take x where cond holds, then y where it does not
        StridedLoop a = new StridedLoop(shape, new int[][] {Shape.contiguousStrides(shape), lc.strides(), lx.strides()},
                new int[] {0, lc.offset(), lx.offset()});
        a.run(0, a.outer(), (len, oo, os, co, cs, xo, xs) -> {
            for (int i = 0; i < len; i++) out[oo + i] = c[co + i * cs] != 0f ? x[xo + i * xs] : 0f;
        });
        StridedLoop b = new StridedLoop(shape, new int[][] {Shape.contiguousStrides(shape), lc.strides(), ly.strides()},
                new int[] {0, lc.offset(), ly.offset()});
        b.run(0, b.outer(), (len, oo, os, co, cs, yo, ys) -> {
            for (int i = 0; i < len; i++) if (c[co + i * cs] == 0f) out[oo + i] = y[yo + i * ys];
        });
        return out;
    }
}
