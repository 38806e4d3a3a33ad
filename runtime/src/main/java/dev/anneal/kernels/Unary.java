package dev.anneal.kernels;

import dev.anneal.tensor.Layout;

/** Elementwise maps y = f(x) into a fresh contiguous output. */
public final class Unary {
    private Unary() {}

    /** Applies op to every element of x (any layout); returns a contiguous array in x's shape. */
    public static float[] map(UnaryOp op, float a, float b, float[] x, Layout lx) {
        int n = lx.numel();
        float[] y = new float[n];
        if (n == 0) return y;
        StridedLoop loop = new StridedLoop(lx.shape(),
                new int[][] {Layout.contiguous(lx.shape()).strides(), lx.strides()},
                new int[] {0, lx.offset()});
        boolean vector = VectorSupport.enabled();
        loop.runParallel((len, yo, ys, xo, xs, unused, unused2) -> {
            if (vector && xs == 1) UnaryVector.map(op, a, b, x, xo, y, yo, len);
            else scalar(op, a, b, x, xo, xs, y, yo, len);
        });
        return y;
    }

    /** The reference loop. */
    public static void scalar(UnaryOp op, float a, float b, float[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = op.apply(x[xOff + i * xStride], a, b);
    }
}
