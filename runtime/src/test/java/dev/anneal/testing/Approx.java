package dev.anneal.testing;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;
import java.util.Arrays;

/** Assertions that tensors agree within a relative tolerance, naming the first element that does not. */
public final class Approx {
    private Approx() {}

    /** |actual − expected| ≤ rtol·max(|expected|, 1e-3·max|expected|) + atol, shapes equal, NaN where NaN. */
    public static void assertClose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        if (!Arrays.equals(expected.shape(), actual.shape()))
            throw new AssertionError(what + ": shape " + Shape.str(actual.shape()) + ", expected " + Shape.str(expected.shape()));
        float[] e = expected.toArray(), a = actual.toArray();
        double scale = 0;
        for (float v : e) if (Float.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            if (Float.isNaN(e[i]) || Float.isNaN(a[i])) {
                if (Float.isNaN(e[i]) != Float.isNaN(a[i]))
                    throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
                continue;
            }
            if (Float.isInfinite(e[i]) || Float.isInfinite(a[i])) {
                if (e[i] != a[i]) throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
                continue;
            }
            double tol = rtol * Math.max(Math.abs(e[i]), 1e-3 * scale) + atol;
            if (Math.abs(a[i] - e[i]) > tol)
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (difference "
                        + Math.abs(a[i] - e[i]) + " > tolerance " + tol + ")");
        }
    }

    public static void assertClose(String what, Tensor expected, Tensor actual, double rtol) {
        assertClose(what, expected, actual, rtol, 0);
    }
}
