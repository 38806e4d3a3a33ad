package dev.anneal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The polynomial exp of the Vector API path against Math.exp (it exists only on that path). */
class ExpVectorTest {
    private static float[] expOf(float[] x) {
        int lanes = ExpVector.S.length();
        float[] padded = java.util.Arrays.copyOf(x, (x.length + lanes - 1) / lanes * lanes);
        float[] y = new float[padded.length];
        for (int i = 0; i < padded.length; i += lanes) ExpVector.exp(FloatVector.fromArray(ExpVector.S, padded, i)).intoArray(y, i);
        return java.util.Arrays.copyOf(y, x.length);
    }

    @Test
    void withinOneUlpOfMathExpOverTheWholeRange() {
        assumeTrue(VectorSupport.enabled(), "ExpVector is used only on the Vector API path");
        int n = 200_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -103.9f + (88.7f + 103.9f) * i / (n - 1);
        float[] y = expOf(x);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            float ref = (float) Math.exp(x[i]);
            // below the smallest normal the result is a subnormal: count absolute error in units of its spacing
            double ulps = Math.abs(ref - y[i]) / Math.ulp(Math.max(ref, Float.MIN_NORMAL));
            worst = Math.max(worst, ulps);
            if (ulps > 1.0) fail("exp(" + x[i] + "): " + y[i] + " vs Math.exp " + ref + " (" + ulps + " ulp)");
        }
        assertTrue(worst > 0, "a polynomial exp that is exact everywhere would mean the test is not comparing anything");
    }

    /** expNormal (for x in [FLUSH_LO, 88]) and expFlushed (from FLUSH_LO up) must give exp's bits. */
    @Test
    void cheaperVariantsGiveTheSameBitsInTheirRange() {
        assumeTrue(VectorSupport.enabled(), "ExpVector is used only on the Vector API path");
        int lanes = ExpVector.S.length();
        float[] x = new float[lanes], y = new float[lanes];
        // every 1021st float bit pattern (both signs, NaNs and infinities included), then the range ends
        for (long b = 0; b < (1L << 32); b += 1021L * lanes) {
            for (int l = 0; l < lanes; l++) x[l] = Float.intBitsToFloat((int) (b + 1021L * l));
            check(x, y);
        }
        float[] edges = {-86f, ExpVector.FLUSH_LO, Math.nextDown(ExpVector.FLUSH_LO), 88f, Math.nextDown(88f), -87.3f, -103.9f, -104f, -150f, 88.72f,
                88.73f, 89f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0f};
        for (int i = 0; i < edges.length; i += lanes) {
            java.util.Arrays.fill(x, 0f);
            System.arraycopy(edges, i, x, 0, Math.min(lanes, edges.length - i));
            check(x, y);
        }
    }

    private static void check(float[] x, float[] y) {
        int lanes = x.length;
        FloatVector v = FloatVector.fromArray(ExpVector.S, x, 0);
        ExpVector.exp(v).intoArray(y, 0);
        // expFlushed is for x ≤ 88: exp's bits from FLUSH_LO up, 0 below, NaN for NaN
        float[] in = x.clone(), f = new float[lanes];
        for (int l = 0; l < lanes; l++) if (in[l] > 88f) in[l] = 0f;
        ExpVector.expFlushed(FloatVector.fromArray(ExpVector.S, in, 0)).intoArray(f, 0);
        float[] ref = new float[lanes];
        ExpVector.exp(FloatVector.fromArray(ExpVector.S, in, 0)).intoArray(ref, 0);
        for (int l = 0; l < lanes; l++) {
            float want = in[l] < ExpVector.FLUSH_LO ? 0f : ref[l];
            if (!(Float.isNaN(want) && Float.isNaN(f[l])))
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(f[l]), "expFlushed(" + in[l] + ")");
        }
        for (float xi : x) if (!(xi >= ExpVector.FLUSH_LO && xi <= 88f)) return;
        float[] z = new float[lanes];
        ExpVector.expNormal(v).intoArray(z, 0);
        for (int l = 0; l < lanes; l++)
            assertEquals(Float.floatToRawIntBits(y[l]), Float.floatToRawIntBits(z[l]), "expNormal(" + x[l] + ")");
    }

    @Test
    void specialValuesAndLimits() {
        assumeTrue(VectorSupport.enabled(), "ExpVector is used only on the Vector API path");
        float[] x = {0f, -0f, 1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 88.72f, 88.73f, 200f, -87.3f, -103f, -104f, -1000f};
        float[] y = expOf(x);
        assertEquals(1f, y[0]);
        assertEquals(1f, y[1]);
        assertEquals((float) Math.E, y[2], Math.ulp((float) Math.E));
        assertTrue(Float.isNaN(y[3]), "exp(NaN) is NaN");
        assertEquals(Float.POSITIVE_INFINITY, y[4]);
        assertEquals(0f, y[5]);
        assertEquals((float) Math.exp(88.72f), y[6], Math.ulp((float) Math.exp(88.72f)));
        assertEquals(Float.POSITIVE_INFINITY, y[7]); // exp(88.73) > Float.MAX_VALUE
        assertEquals(Float.POSITIVE_INFINITY, y[8]);
        assertEquals((float) Math.exp(-87.3f), y[9], Math.ulp(Float.MIN_NORMAL));
        assertEquals((float) Math.exp(-103f), y[10], Float.MIN_VALUE); // subnormal result
        assertEquals(0f, y[12]);
    }
}
