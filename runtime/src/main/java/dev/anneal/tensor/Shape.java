package dev.anneal.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by every layer: validation, element counts, strides, broadcasting. */
public final class Shape {
    private Shape() {}

    /** "[3, 4]". */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Checks that every dim is non-negative and that the element count fits an int index. */
    public static int[] check(String op, int[] shape) {
        if (shape == null) throw new IllegalArgumentException(op + ": shape is null");
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(op + ": shape " + str(shape) + " has a negative dimension");
            n *= d;
            if (n > Integer.MAX_VALUE)
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " has more than 2^31-1 elements");
        }
        return shape.clone();
    }

    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return (int) n;
    }

    /** Row-major strides: the last dim is contiguous. */
    public static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    /** Maps a possibly negative dim into [0, rank); names the op and the valid range otherwise. */
    public static int dim(String op, int dim, int rank) {
        int lo = -Math.max(rank, 1), hi = Math.max(rank, 1) - 1;
        if (dim < lo || dim > hi)
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for a tensor of rank " + rank
                    + " (expected " + lo + " to " + hi + ")");
        return dim < 0 ? dim + Math.max(rank, 1) : dim;
    }

    /** NumPy broadcasting: align trailing dims; each pair must be equal or contain a 1. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast (dim " + (i - r) + ": " + da + " vs " + db + ")");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Resolves one -1 in a requested shape against a known element count. */
    public static int[] infer(String op, int[] from, int[] requested) {
        int[] shape = requested.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException(op + ": " + str(requested) + " has more than one -1");
                unknown = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": " + str(requested) + " has a negative dimension");
            } else {
                known *= shape[i];
            }
        }
        int n = numel(from);
        if (unknown >= 0) {
            if (known == 0 || n % known != 0)
                throw new IllegalArgumentException(op + ": cannot reshape " + str(from) + " (" + n + " elements) into "
                        + str(requested));
            shape[unknown] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": cannot reshape " + str(from) + " (" + n + " elements) into "
                    + str(requested) + " (" + known + " elements)");
        }
        return shape;
    }
}
