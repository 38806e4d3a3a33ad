package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Natural log on float lanes, within 2 ulp of StrictMath.log, from IEEE add, multiply, fma, compares,
 * blends and bit moves only, so the bits are the same interpreted and JIT-compiled (as for
 * {@link ExpVector}). x = 2^e·m with m in [√½, √2), log x = e·ln2 + log(1 + f), f = m − 1, with the
 * degree-8 polynomial of Cephes' logf (S. Moshier, Cephes Math Library) and ln2 split in two parts.
 */
final class LogVector {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final float SQRT_HALF = 0.707106781186547524f;
    private static final float TWO_23 = 8388608f;
    // an int below 2^22 added to the bits of 1.5·2^23 gives that float plus the int (exact)
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float P0 = 7.0376836292e-2f, P1 = -1.1514610310e-1f, P2 = 1.1676998740e-1f, P3 = -1.2420140846e-1f,
            P4 = 1.4249322787e-1f, P5 = -1.6668057665e-1f, P6 = 2.0000714765e-1f, P7 = -2.4999993993e-1f, P8 = 3.3333331174e-1f;

    private LogVector() {}

    /**
     * a[i] = log a[i] for i in [from, to), whole vectors (to − from a multiple of the lane count). The
     * loop is inside: the body is larger than C2 inlines into a hot caller (FreqInlineSize), and a
     * vector passed to a call that is not inlined is boxed, with every Vector API call in it left as
     * a slow fallback.
     */
    /**
     * a[i] = log a[i] for i in [from, to), whole vectors (to − from a multiple of the lane count). The
     * body sits in the loop: as a method it is larger than C2 inlines into a hot caller
     * (FreqInlineSize), and a vector passed to a call that is not inlined is boxed, with every
     * Vector API call in it left as a slow fallback.
     */
    static void logInPlace(float[] a, int from, int to) {
        for (int i = from; i < to; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, i);
            // subnormals: scale into the normal range first, and take 23 off the exponent
            VectorMask<Float> tiny = x.lt(Float.MIN_NORMAL);
            FloatVector xs = x.blend(x.mul(TWO_23), tiny);
            IntVector bits = xs.reinterpretAsInts();
            // exponent of m in [0.5, 1): e = biased − 126, as a float through the bits of ROUND + e
            IntVector eBits = bits.lanewise(VectorOperators.LSHR, 23).add(ROUND_BITS - 126);
            FloatVector e = eBits.reinterpretAsFloats().sub(ROUND);
            e = e.sub(FloatVector.zero(S).blend(23f, tiny));
            FloatVector m = bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats();
            VectorMask<Float> low = m.lt(SQRT_HALF);
            // m < √½: log m = log(2m) − ln2; 2m − 1 and m − 1 are both exact
            FloatVector f = m.add(FloatVector.zero(S).blend(m, low)).sub(1f);
            e = e.sub(FloatVector.zero(S).blend(1f, low));
            FloatVector z = f.mul(f);
            FloatVector p = FloatVector.broadcast(S, P0);
            p = p.fma(f, FloatVector.broadcast(S, P1));
            p = p.fma(f, FloatVector.broadcast(S, P2));
            p = p.fma(f, FloatVector.broadcast(S, P3));
            p = p.fma(f, FloatVector.broadcast(S, P4));
            p = p.fma(f, FloatVector.broadcast(S, P5));
            p = p.fma(f, FloatVector.broadcast(S, P6));
            p = p.fma(f, FloatVector.broadcast(S, P7));
            p = p.fma(f, FloatVector.broadcast(S, P8));
            FloatVector y = p.mul(f).mul(z);
            y = e.fma(FloatVector.broadcast(S, LN2_LO), y);
            y = z.fma(FloatVector.broadcast(S, -0.5f), y);
            FloatVector r = f.add(y);
            r = e.fma(FloatVector.broadcast(S, LN2_HI), r);
            // NaN in, NaN out through x·0 (0 for finite x); +inf (x·0 is NaN there too), 0 and x < 0 are set after
            r = r.add(x.mul(0f));
            r = r.blend(Float.POSITIVE_INFINITY, x.eq(Float.POSITIVE_INFINITY));
            r = r.blend(Float.NEGATIVE_INFINITY, x.eq(0f));
            r.blend(Float.NaN, x.lt(0f)).intoArray(a, i);
        }
    }
}
