package dev.anneal.tune.compress;

import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Shape;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Mask computations on flat row-major arrays. Each takes the current mask (ones when nothing is
 * pruned yet) and returns a new array, never changing its inputs; as PyTorch's PruningContainer,
 * the amount applies to what is still unpruned: entries whose mask is 1 (unstructured) or
 * channels with any mask entry non-zero (structured), and the new mask is the old one with more
 * zeros. Ties: among equal magnitudes the entry (channel) with the lower flat index is pruned
 * first (kept first, for structured), which torch.topk leaves unspecified.
 */
final class Masks {
    private Masks() {}

    /** Zeros the k unpruned entries of smallest |w|. */
    static float[] l1Unstructured(String op, float[] w, float[] mask, Amount amount) {
        int[] live = unpruned(mask);
        int k = amount.toPrune(op, live.length, "parameters");
        float[] out = mask.clone();
        if (k == 0) return out;
        // non-negative float bits sort as the floats do (NaN, as in torch.topk, above +inf), and
        // the flat index in the low half breaks ties
        long[] keys = new long[live.length];
        for (int j = 0; j < live.length; j++) {
            float a = Math.abs(w[live[j]]);
            int bits = Float.isNaN(a) ? 0x7fc00000 : Float.floatToIntBits(a);
            keys[j] = ((long) bits << 32) | live[j];
        }
        Arrays.sort(keys);
        for (int j = 0; j < k; j++) out[(int) keys[j]] = 0f;
        return out;
    }

    /** Zeros k unpruned entries chosen uniformly at random (those with the k largest draws, as PyTorch). */
    static float[] randomUnstructured(String op, float[] mask, Amount amount, Generator g) {
        int[] live = unpruned(mask);
        int k = amount.toPrune(op, live.length, "parameters");
        float[] out = mask.clone();
        if (k == 0) return out;
        float[] draw = new float[live.length];
        for (int j = 0; j < draw.length; j++) draw[j] = g.nextFloat();
        Integer[] order = boxedRange(live.length);
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -draw[j]).thenComparingInt(j -> j));
        for (int j = 0; j < k; j++) out[live[order[j]]] = 0f;
        return out;
    }

    /** Zeros the k live channels along dim with the smallest Ln norm (norm over all other dims). */
    static float[] lnStructured(String op, float[] w, int[] shape, float[] mask, Amount amount, double n, int dim) {
        checkStructured(op, shape, dim);
        int[] live = liveChannels(mask, shape, dim);
        int k = amount.toPrune(op, live.length, "units");
        if (k == 0) return mask.clone();
        double[] norm = channelNorms(w, shape, dim, live, n);
        Integer[] order = boxedRange(live.length);
        // largest norm first (NaN counts as largest, as in torch.topk), lower index first among ties
        Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : Double.compare(norm[b], norm[a]) != 0 ? Double.compare(norm[b], norm[a]) : a - b);
        boolean[] drop = new boolean[shape[dim]];
        for (int j = live.length - k; j < live.length; j++) drop[live[order[j]]] = true;
        return dropChannels(mask, shape, dim, drop);
    }

    /** Zeros k live channels along dim chosen at random (keeps those with the smallest draws, as PyTorch). */
    static float[] randomStructured(String op, int[] shape, float[] mask, Amount amount, int dim, Generator g) {
        checkStructured(op, shape, dim);
        int[] live = liveChannels(mask, shape, dim);
        int k = amount.toPrune(op, live.length, "units");
        if (k == 0) return mask.clone();
        float[] draw = new float[live.length];
        for (int j = 0; j < draw.length; j++) draw[j] = g.nextFloat();
        Integer[] order = boxedRange(live.length);
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> draw[j]).thenComparingInt(j -> j));
        boolean[] drop = new boolean[shape[dim]];
        for (int j = live.length - k; j < live.length; j++) drop[live[order[j]]] = true;
        return dropChannels(mask, shape, dim, drop);
    }

    private static void checkStructured(String op, int[] shape, int dim) {
        if (shape.length < 2)
            throw new IllegalArgumentException(op + ": structured pruning can only be applied to multidimensional tensors, found tensor of size "
                    + Shape.str(shape) + " with " + shape.length + " dims");
        if (dim < 0 || dim >= shape.length)
            throw new IllegalArgumentException(op + ": invalid dim " + dim + " for a tensor of size " + Shape.str(shape)
                    + " (expected 0.." + (shape.length - 1) + " or a negative dim)");
    }

    private static int[] unpruned(float[] mask) {
        int n = 0;
        for (float m : mask) if (m == 1f) n++;
        int[] live = new int[n];
        for (int i = 0, j = 0; i < mask.length; i++) if (mask[i] == 1f) live[j++] = i;
        return live;
    }

    /** Channels along dim with at least one non-zero mask entry. */
    private static int[] liveChannels(float[] mask, int[] shape, int dim) {
        int outer = 1, inner = 1, c = shape[dim];
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        boolean[] alive = new boolean[c];
        for (int o = 0; o < outer; o++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0, base = (o * c + ch) * inner; i < inner && !alive[ch]; i++) alive[ch] = mask[base + i] != 0f;
        int n = 0;
        for (boolean a : alive) if (a) n++;
        int[] live = new int[n];
        for (int ch = 0, j = 0; ch < c; ch++) if (alive[ch]) live[j++] = ch;
        return live;
    }

    /** torch.norm(t, p=n) over every dim but dim, for the given channels; n may be 0 (non-zero count) or ±∞. */
    private static double[] channelNorms(float[] w, int[] shape, int dim, int[] channels, double n) {
        int outer = 1, inner = 1, c = shape[dim];
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        double[] out = new double[channels.length];
        for (int j = 0; j < channels.length; j++) {
            double acc = n == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : 0;
            for (int o = 0; o < outer; o++)
                for (int i = 0, base = (o * c + channels[j]) * inner; i < inner; i++) {
                    double a = Math.abs((double) w[base + i]);
                    if (n == Double.POSITIVE_INFINITY) acc = Math.max(acc, a);
                    else if (n == Double.NEGATIVE_INFINITY) acc = Math.min(acc, a);
                    else if (n == 0) acc += a != 0 ? 1 : 0;
                    else acc += n == 1 ? a : n == 2 ? a * a : Math.pow(a, n);
                }
            out[j] = Double.isInfinite(n) || n == 0 || n == 1 ? acc : n == 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / n);
        }
        return out;
    }

    private static float[] dropChannels(float[] mask, int[] shape, int dim, boolean[] drop) {
        int outer = 1, inner = 1, c = shape[dim];
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        float[] out = mask.clone();
        for (int o = 0; o < outer; o++)
            for (int ch = 0; ch < c; ch++)
                if (drop[ch]) Arrays.fill(out, (o * c + ch) * inner, (o * c + ch + 1) * inner, 0f);
        return out;
    }

    private static Integer[] boxedRange(int n) {
        Integer[] r = new Integer[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
