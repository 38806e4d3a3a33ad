package dev.anneal.kernels;

/** Index-driven copies over contiguous arrays: index-select, gather, scatter. Indices are already validated. */
public final class Gather {
    private Gather() {}

    /** x viewed as [outer, n, inner]; picks idx along the middle dim. */
    public static float[] indexSelect(float[] x, int outer, int n, int inner, int[] idx) {
        float[] out = new float[outer * idx.length * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < idx.length; j++)
                System.arraycopy(x, (o * n + idx[j]) * inner, out, (o * idx.length + j) * inner, inner);
        return out;
    }

    /** The adjoint of indexSelect: z[o, idx[j], :] += g[o, j, :]. */
    public static void indexAdd(float[] g, int outer, int n, int inner, int[] idx, float[] z) {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < idx.length; j++) {
                int src = (o * idx.length + j) * inner, dst = (o * n + idx[j]) * inner;
                for (int i = 0; i < inner; i++) z[dst + i] += g[src + i];
            }
    }

    /** out[p] = x[p with dim d replaced by idx[p]], for every position p of the index shape. */
    public static float[] gather(float[] x, int[] xs, int d, int[] idx, int[] is) {
        float[] out = new float[idx.length];
        int[] xStrides = dev.anneal.tensor.Shape.contiguousStrides(xs);
        int rank = is.length;
        int[] pos = new int[rank];
        for (int p = 0; p < idx.length; p++) {
            int at = 0;
            for (int i = 0; i < rank; i++) at += (i == d ? idx[p] : pos[i]) * xStrides[i];
            out[p] = x[at];
            advance(pos, is);
        }
        return out;
    }

    /** target[p with dim d replaced by idx[p]] = (or +=) src[p]; src is laid out in the index shape. */
    public static void scatter(float[] target, int[] ts, int d, int[] idx, int[] is, float[] src, boolean add) {
        int[] tStrides = dev.anneal.tensor.Shape.contiguousStrides(ts);
        int rank = is.length;
        int[] pos = new int[rank];
        for (int p = 0; p < idx.length; p++) {
            int at = 0;
            for (int i = 0; i < rank; i++) at += (i == d ? idx[p] : pos[i]) * tStrides[i];
            if (add) target[at] += src[p];
            else target[at] = src[p];
            advance(pos, is);
        }
    }

    private static void advance(int[] pos, int[] shape) {
        for (int i = shape.length - 1; i >= 0; i--) {
            if (++pos[i] < shape[i]) return;
            pos[i] = 0;
        }
    }
}
