package dev.anneal.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;

/** Shared assertions for the forward-op tests: shapes, exact and approximate values, error messages. */
final class ForwardAsserts {
    private ForwardAsserts() {}

    static void assertShape(Tensor t, int... shape) {
        assertArrayEquals(shape, t.shape(), () -> "shape " + Arrays.toString(t.shape()) + " expected " + Arrays.toString(shape));
    }

    /** Same shape and bit-for-bit equal values (NaN equals NaN, -0.0 differs from 0.0 only if exact is set). */
    static void assertValues(Tensor t, int[] shape, float... expected) {
        assertShape(t, shape);
        assertExact(expected, t.toArray());
    }

    static void assertExact(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (Float.isNaN(e) ? !Float.isNaN(a) : e != a)
                fail("at flat index " + i + ": expected " + e + " but got " + a + "\nexpected " + Arrays.toString(expected)
                        + "\nactual   " + Arrays.toString(actual));
        }
    }

    /** |a - e| <= abs + rel·|e|, NaN matches NaN, infinities must match exactly. */
    static void assertClose(float[] expected, float[] actual, double rel, double abs) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            boolean ok;
            if (Double.isNaN(e)) ok = Double.isNaN(a);
            else if (Double.isInfinite(e)) ok = e == a;
            else ok = !Double.isNaN(a) && Math.abs(a - e) <= abs + rel * Math.abs(e);
            if (!ok)
                fail("at flat index " + i + ": expected " + e + " but got " + a + " (rel " + rel + ", abs " + abs + ")"
                        + (expected.length <= 64 ? "\nexpected " + Arrays.toString(expected) + "\nactual   " + Arrays.toString(actual) : ""));
        }
    }

    static void assertClose(Tensor t, int[] shape, double tol, float... expected) {
        assertShape(t, shape);
        assertClose(expected, t.toArray(), tol, tol);
    }

    static void assertClose(double[] expected, float[] actual, double rel, double abs) {
        float[] e = new float[expected.length];
        for (int i = 0; i < e.length; i++) e[i] = (float) expected[i];
        assertClose(e, actual, rel, abs);
    }

    /** The op throws type and its message contains every fragment. */
    static <T extends Throwable> T assertThrowsWith(Class<T> type, Executable op, String... fragments) {
        T e = assertThrows(type, op);
        String m = e.getMessage();
        for (String f : fragments)
            assertTrue(m != null && m.contains(f), () -> "message \"" + m + "\" should contain \"" + f + "\"");
        return e;
    }

    static int[] shape(int... s) {
        return s;
    }

    /** 0, 1, 2, ... n-1 as floats. */
    static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return v;
    }

    static Tensor iotaTensor(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return Tensor.of(iota(n), shape);
    }
}
