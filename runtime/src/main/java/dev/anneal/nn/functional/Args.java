package dev.anneal.nn.functional;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;
import java.util.Arrays;

/** Argument plumbing shared by the functional ops: pair expansion, checks, raw contiguous data. */
final class Args {
    private Args() {}

    /** A (height, width) pair from one value (used for both) or two; null gives the default. */
    static int[] pair(String op, String what, int[] v, int dflt) {
        if (v == null || v.length == 0) return new int[] {dflt, dflt};
        if (v.length == 1) return new int[] {v[0], v[0]};
        if (v.length == 2) return v.clone();
        throw new IllegalArgumentException(op + ": " + what + " must have 1 or 2 values, got " + Arrays.toString(v));
    }

    static void positive(String op, String what, int[] v) {
        if (v[0] <= 0 || v[1] <= 0)
            throw new IllegalArgumentException(op + ": " + what + " must be positive, got " + Arrays.toString(v));
    }

    static void nonNegative(String op, String what, int[] v) {
        if (v[0] < 0 || v[1] < 0)
            throw new IllegalArgumentException(op + ": " + what + " must be non-negative, got " + Arrays.toString(v));
    }

    /** Checks the input is [C, H, W] or [N, C, H, W] with non-zero C, H, W. */
    static void image(String op, Tensor x) {
        if (x == null) throw new IllegalArgumentException(op + ": input is null");
        int[] s = x.shape();
        if (s.length != 3 && s.length != 4)
            throw new IllegalArgumentException(op + ": expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got shape " + Shape.str(s));
        for (int d = s.length - 3; d < s.length; d++)
            if (s[d] == 0)
                throw new IllegalArgumentException(op + ": input " + Shape.str(s) + " has an empty channel or spatial dimension");
    }

    /** A row-major array of t's elements and the offset where they start (no copy when t is contiguous). */
    static float[] data(Tensor t) {
        if (t.isContiguous() && t.layoutView().offset() == 0 && t.storageData().length == t.numel()) return t.storageData();
        return t.toArray();
    }

    /** t's elements in a contiguous array (a copy unless t is contiguous), or null for null. */
    static float[] copyOrNull(Tensor t) {
        return t == null ? null : t.toArray();
    }
}
