package dev.anneal.nn;

import java.util.Arrays;

/** Constructor checks shared by the pooling layers. */
final class PoolArgs {
    private PoolArgs() {}

    static int[] pair(String me, String what, int[] v, int[] dfltPair, int dflt) {
        if (v == null || v.length == 0) return dfltPair != null ? dfltPair.clone() : new int[] {dflt, dflt};
        if (v.length == 1) return new int[] {v[0], v[0]};
        if (v.length == 2) return v.clone();
        throw new IllegalArgumentException(me + ": " + what + " must have 1 or 2 values, got " + Arrays.toString(v));
    }

    static void check(String me, int[] k, int[] s, int[] p, int[] d) {
        if (k[0] <= 0 || k[1] <= 0 || s[0] <= 0 || s[1] <= 0 || d[0] <= 0 || d[1] <= 0 || p[0] < 0 || p[1] < 0)
            throw new IllegalArgumentException(me + ": kernel size, stride and dilation must be positive and padding non-negative, got "
                    + "kernel " + Arrays.toString(k) + ", stride " + Arrays.toString(s) + ", padding " + Arrays.toString(p)
                    + ", dilation " + Arrays.toString(d));
        if (p[0] > k[0] / 2 || p[1] > k[1] / 2)
            throw new IllegalArgumentException(me + ": padding " + Arrays.toString(p) + " must be at most half the kernel size "
                    + Arrays.toString(k));
    }
}
