package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp on float lanes, within about 1 ulp of Math.exp, from IEEE add, multiply, fma, min/max and bit
 * moves only, so the bits are the same interpreted and JIT-compiled (lanewise(EXP) is not: C2
 * swaps in an intrinsic that rounds differently). Cody–Waite reduction x = n·ln2 + r with
 * |r| ≤ ln2/2 and the degree-5 minimax polynomial of Cephes' expf (S. Moshier, Cephes Math Library).
 */
final class ExpVector {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    // Beyond these the result is +inf or 0 anyway; clamping keeps n within the two-step 2^n below.
    private static final float HI = 89f, LO = -104f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    // adding then subtracting 1.5·2^23 rounds to the nearest integer (ties to even)
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    private ExpVector() {}

    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(LO).min(HI); // NaN stays NaN (Math.max/min semantics)
        FloatVector t = c.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUND));
        IntVector n = t.reinterpretAsInts().sub(ROUND_BITS);
        FloatVector nf = t.sub(ROUND);
        FloatVector r = nf.fma(FloatVector.broadcast(S, -LN2_HI), c);
        r = nf.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, P0);
        p = p.fma(r, FloatVector.broadcast(S, P1));
        p = p.fma(r, FloatVector.broadcast(S, P2));
        p = p.fma(r, FloatVector.broadcast(S, P3));
        p = p.fma(r, FloatVector.broadcast(S, P4));
        p = p.fma(r, FloatVector.broadcast(S, P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // 2^n in two factors so that n down to -150 (subnormal results) and up to 128 (overflow) work
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = n.sub(n1);
        y = y.mul(pow2(n1)).mul(pow2(n2));
        return y;
    }

    /**
     * {@link #exp} for lanes all in [{@link #FLUSH_LO}, 88] (or NaN), with the same bits there
     * (checked for every float of that range): no clamp, and 2^n (n ≥ -126) is a normal float, so
     * one multiply scales by it, rounding once as exp's two multiplies do. The clamp (Java min/max
     * are several instructions each) and the two-step scaling are over half the cost of exp.
     */
    static FloatVector expNormal(FloatVector x) {
        FloatVector t = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUND));
        IntVector n = t.reinterpretAsInts().sub(ROUND_BITS);
        FloatVector nf = t.sub(ROUND);
        FloatVector r = nf.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = nf.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, P0);
        p = p.fma(r, FloatVector.broadcast(S, P1));
        p = p.fma(r, FloatVector.broadcast(S, P2));
        p = p.fma(r, FloatVector.broadcast(S, P3));
        p = p.fma(r, FloatVector.broadcast(S, P4));
        p = p.fma(r, FloatVector.broadcast(S, P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // n in [-126, 127]: 2^n is normal, and y·2^n rounds once (only near FLUSH_LO, to a subnormal)
        return y.mul(pow2(n));
    }

    /**
     * Below this, exp(x) is under the smallest normal float (ln 2^-126 = -87.33654...): the end of
     * {@link #expFlushed} and of {@link #expNormal}'s range (down to here n ≥ -126).
     */
    static final float FLUSH_LO = -87.33654f;

    /**
     * exp for x ≤ 88 (or NaN) with results below the smallest normal float (x < {@link #FLUSH_LO})
     * flushed to 0, elsewhere the bits of {@link #exp}. For softmax (x − max ≤ 0): a probability
     * below 1.2e-38 becomes 0 (an error under Float.MIN_NORMAL), −inf gives 0, and the clamp and
     * two-step scaling of exp (over half its cost) are not needed. Out-of-range lanes compute
     * garbage in expNormal, replaced by 0.
     */
    static FloatVector expFlushed(FloatVector x) {
        return expNormal(x).blend(0f, x.lt(FLUSH_LO));
    }

    private static FloatVector pow2(IntVector n) {
        return n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }
}
