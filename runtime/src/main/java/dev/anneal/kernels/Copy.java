package dev.anneal.kernels;

import dev.anneal.tensor.Layout;

/** Moves elements between layouts: gathering a view into contiguous memory, or writing into a view. */
public final class Copy {
    private Copy() {}

    /** A contiguous copy of the elements of (src, layout), in row-major order. */
    public static float[] contiguous(float[] src, Layout l) {
        int n = l.numel();
        float[] dst = new float[n];
        if (n == 0) return dst;
        if (l.isContiguous()) {
            System.arraycopy(src, l.offset(), dst, 0, n);
            return dst;
        }
        into(src, l, dst, Layout.contiguous(l.shape()));
        return dst;
    }

    /** dst[view] = src[view]; both layouts have the same shape (src may be broadcast with stride 0). */
    public static void into(float[] src, Layout ls, float[] dst, Layout ld) {
        if (ls.numel() == 0) return;
        StridedLoop loop = new StridedLoop(ld.shape(), new int[][] {ld.strides(), ls.strides()},
                new int[] {ld.offset(), ls.offset()});
        loop.runParallel((n, d, ds, s, ss, u, us) -> {
            if (ds == 1 && ss == 1) {
                System.arraycopy(src, s, dst, d, n);
            } else {
                for (int i = 0; i < n; i++) dst[d + i * ds] = src[s + i * ss];
            }
        });
    }

    /** dst[view] += src[view]; shapes equal. Used to accumulate gradients into views. */
    public static void addInto(float[] src, Layout ls, float[] dst, Layout ld) {
        if (ls.numel() == 0) return;
        StridedLoop loop = new StridedLoop(ld.shape(), new int[][] {ld.strides(), ls.strides()},
                new int[] {ld.offset(), ls.offset()});
        boolean vector = VectorSupport.enabled();
        loop.runParallel((n, d, ds, s, ss, u, us) -> {
            if (vector && ds == 1 && ss == 1) CopyVector.addInto(src, s, dst, d, n);
            else for (int i = 0; i < n; i++) dst[d + i * ds] += src[s + i * ss];
        });
    }

    /** Sets every element of the view to v. */
    public static void fill(float[] dst, Layout ld, float v) {
        if (ld.numel() == 0) return;
        StridedLoop loop = new StridedLoop(ld.shape(), new int[][] {ld.strides()}, new int[] {ld.offset()});
        loop.runParallel((n, d, ds, u1, u2, u3, u4) -> {
            if (ds == 1) java.util.Arrays.fill(dst, d, d + n, v);
            else for (int i = 0; i < n; i++) dst[d + i * ds] = v;
        });
    }
}
