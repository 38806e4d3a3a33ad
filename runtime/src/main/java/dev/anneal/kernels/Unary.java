package dev.anneal.kernels;

import dev.anneal.tensor.Layout;

/** Elementwise maps y = f(x) into a fresh contiguous output. */
public final class Unary {
    private Unary() {}

    /** Applies op to every element of x (any layout); returns a contiguous array in x's shape. */
    public static float[] map(UnaryOp op, float a, float b, float[] x, Layout lx) {
        float[] y = new float[lx.numel()];
        mapInto(op, a, b, x, lx, y, Layout.contiguous(lx.shape()));
        return y;
    }

    /**
     * y = f(x) written into an existing array (the out= form: no zero fill of a new array). y may be x
     * itself with the same layout, but must not otherwise overlap it; the caller checks that.
     */
    public static void mapInto(UnaryOp op, float a, float b, float[] x, Layout lx, float[] y, Layout ly) {
        if (lx.numel() == 0) return;
        StridedLoop loop = new StridedLoop(ly.shape(), new int[][] {ly.strides(), lx.strides()},
                new int[] {ly.offset(), lx.offset()});
        boolean vector = VectorSupport.enabled();
        loop.runParallel((len, yo, ys, xo, xs, unused, unused2) -> {
            if (vector && xs == 1 && ys == 1) UnaryVector.map(op, a, b, x, xo, y, yo, len);
            else scalar(op, a, b, x, xo, xs, y, yo, ys, len);
        });
    }

    /** The reference loop. */
    public static void scalar(UnaryOp op, float a, float b, float[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        scalar(op, a, b, x, xOff, xStride, y, yOff, 1, n);
    }

    static void scalar(UnaryOp op, float a, float b, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int n) {
        for (int i = 0; i < n; i++) y[yOff + i * yStride] = op.apply(x[xOff + i * xStride], a, b);
    }
}
