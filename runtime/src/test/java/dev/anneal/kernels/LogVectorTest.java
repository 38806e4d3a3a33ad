package dev.anneal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The polynomial log of the Vector API path against StrictMath.log (it exists only on that path). */
class LogVectorTest {
    private static float[] logOf(float[] x) {
        int lanes = LogVector.S.length();
        float[] padded = java.util.Arrays.copyOf(x, (x.length + lanes - 1) / lanes * lanes);
        LogVector.logInPlace(padded, 0, padded.length);
        return java.util.Arrays.copyOf(padded, x.length);
    }

    @Test
    void withinTwoUlpOfStrictMathOverEveryBinadeIncludingSubnormals() {
        assumeTrue(VectorSupport.enabled(), "LogVector is used only on the Vector API path");
        // every 331st bit pattern of the positive finite floats, from the smallest subnormal up
        int step = 331, n = (0x7f800000 - 1) / step + 1;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = Float.intBitsToFloat(1 + i * step);
        float[] y = logOf(x);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            float ref = (float) StrictMath.log(x[i]);
            double ulps = Math.abs((double) ref - y[i]) / Math.ulp(ref);
            worst = Math.max(worst, ulps);
            if (ulps > 2.0) fail("log(" + x[i] + "): " + y[i] + " vs StrictMath " + ref + " (" + ulps + " ulp)");
        }
        assertTrue(worst > 0, "a polynomial log that is exact everywhere would mean the test is not comparing anything");
    }

    @Test
    void denseAroundOne() {
        assumeTrue(VectorSupport.enabled(), "LogVector is used only on the Vector API path");
        // every float in [0.5, 2): the reduction switches at √½ and √2 and log crosses 0 at 1
        int from = Float.floatToIntBits(0.5f), to = Float.floatToIntBits(2f);
        float[] x = new float[to - from];
        for (int i = 0; i < x.length; i++) x[i] = Float.intBitsToFloat(from + i);
        float[] y = logOf(x);
        for (int i = 0; i < x.length; i++) {
            float ref = (float) StrictMath.log(x[i]);
            double ulps = ref == 0f ? Math.abs(y[i]) / Float.MIN_VALUE : Math.abs((double) ref - y[i]) / Math.ulp(ref);
            if (ulps > 2.0) fail("log(" + x[i] + "): " + y[i] + " vs StrictMath " + ref + " (" + ulps + " ulp)");
        }
    }

    @Test
    void specialValues() {
        assumeTrue(VectorSupport.enabled(), "LogVector is used only on the Vector API path");
        float[] x = {0f, -0f, 1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, -1e-40f, Float.MIN_VALUE,
                Float.MIN_NORMAL, Float.MAX_VALUE, (float) Math.E, 2f};
        float[] y = logOf(x);
        assertEquals(Float.NEGATIVE_INFINITY, y[0]);
        assertEquals(Float.NEGATIVE_INFINITY, y[1]);
        assertEquals(0f, y[2]);
        assertTrue(Float.isNaN(y[3]), "log(NaN) is NaN");
        assertEquals(Float.POSITIVE_INFINITY, y[4]);
        assertTrue(Float.isNaN(y[5]), "log(-inf) is NaN");
        assertTrue(Float.isNaN(y[6]), "log(-1) is NaN");
        assertTrue(Float.isNaN(y[7]), "log of a negative subnormal is NaN");
        for (int i = 8; i < x.length; i++) {
            float ref = (float) StrictMath.log(x[i]);
            assertEquals(ref, y[i], 2 * Math.ulp(ref), "log(" + x[i] + ")");
        }
    }
}
