package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link DropoutMask}. */
final class DropoutMaskVector {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Longs of the same vector size: each lane is one draw, two float lanes. */
    private static final VectorSpecies<Long> D = VectorSpecies.of(long.class, F.vectorShape());
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private DropoutMaskVector() {}

    static void fill(long state, float[] mask, int n, long threshold, float scale) {
        int per = I.length(); // elements per vector step: two per draw
        int bound = n - n % per;
        if (bound > 0) {
            long[] steps = new long[D.length()];
            for (int l = 0; l < steps.length; l++) steps[l] = (l + 1) * DropoutMask.GAMMA;
            LongVector offsets = LongVector.fromArray(D, steps, 0);
            IntVector keepBits = IntVector.broadcast(I, Float.floatToRawIntBits(scale));
            IntVector none = IntVector.zero(I);
            boolean keepAll = threshold >= (1L << 32), keepNone = threshold <= 0;
            // u < threshold, unsigned, as a signed compare of both with the sign bit flipped
            int flipped = (int) threshold ^ Integer.MIN_VALUE;
            long s = state;
            for (int i = 0; i < bound; i += per) {
                LongVector z = offsets.add(s);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
                // swap the halves so that, read as little-endian ints, each draw gives its high half first
                IntVector u = z.lanewise(VectorOperators.ROL, 32).reinterpretAsInts();
                IntVector bits;
                if (keepAll) bits = keepBits;
                else if (keepNone) bits = none;
                else {
                    VectorMask<Integer> keep = u.lanewise(VectorOperators.XOR, Integer.MIN_VALUE).compare(VectorOperators.LT, flipped);
                    bits = none.blend(keepBits, keep);
                }
                bits.reinterpretAsFloats().intoArray(mask, i);
                s += D.length() * DropoutMask.GAMMA;
            }
        }
        DropoutMask.fillScalar(state, mask, bound, n, threshold, scale);
    }

    static void apply(float[] x, int xo, float[] mask, float[] y, int n, boolean relu) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            // max(v, 0) turns -0.0 into 0.0 and keeps NaN, as ReLU's scalar rule does
            if (relu) v = v.max(0f);
            v.mul(FloatVector.fromArray(F, mask, i)).intoArray(y, i);
        }
        DropoutMask.applyScalar(x, xo, mask, y, i, n, relu);
    }

    static void backward(float[] g, int go, float[] x, int xo, float[] mask, float[] gx, int n, boolean relu) {
        int i = 0, bound = F.loopBound(n);
        FloatVector zero = FloatVector.zero(F);
        for (; i < bound; i += F.length()) {
            FloatVector d = FloatVector.fromArray(F, g, go + i).mul(FloatVector.fromArray(F, mask, i));
            if (relu) d = zero.blend(d, FloatVector.fromArray(F, x, xo + i).compare(VectorOperators.GT, 0f));
            d.intoArray(gx, i);
        }
        DropoutMask.backwardScalar(g, go, x, xo, mask, gx, i, n, relu);
    }
}
