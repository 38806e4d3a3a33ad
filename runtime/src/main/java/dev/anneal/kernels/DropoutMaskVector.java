package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API bodies of {@link DropoutMask}: the same SplitMix64 draws, eight (or as many as a
 * vector holds) at a time, and the masked products, with bit-identical results to the loops.
 */
final class DropoutMaskVector {
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int DRAWS = LS.length();
    /** (j + 1)·γ for lane j: the offsets of a block's draws from the state before it. */
    private static final long[] STEPS = new long[DRAWS];

    static {
        for (int j = 0; j < DRAWS; j++) STEPS[j] = (j + 1) * DropoutMask.GAMMA;
    }

    private DropoutMaskVector() {}

    /**
     * Elements [0, n) rounded down to whole blocks of 2·DRAWS: draw j of state gives elements 2j
     * (high half) and 2j + 1 (low half). Returns the number of elements written; threshold must be
     * in [1, 2³² − 1].
     */
    static int fillBlocks(long state, float[] mask, int n, long threshold, float scale) {
        int block = 2 * DRAWS;
        if (IS.length() != block || FS.length() != block) return 0; // (an odd shape: the loop does it all)
        LongVector steps = LongVector.fromArray(LS, STEPS, 0);
        // u < threshold as unsigned 32-bit numbers, compared as signed ones with both sign bits flipped
        int flipped = (int) (threshold - 0x80000000L);
        int scaleBits = Float.floatToRawIntBits(scale);
        IntVector zero = IntVector.zero(IS);
        long s = state;
        int i = 0;
        for (; i + block <= n; i += block) {
            LongVector z = steps.add(s);
            s += DRAWS * DropoutMask.GAMMA;
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
            // swap the halves so that, read as ints (low half first), each draw's high half comes first
            LongVector r = z.lanewise(VectorOperators.LSHL, 32).or(z.lanewise(VectorOperators.LSHR, 32));
            IntVector u = r.reinterpretAsInts();
            VectorMask<Integer> keep = u.lanewise(VectorOperators.XOR, Integer.MIN_VALUE).compare(VectorOperators.LT, flipped);
            zero.blend(scaleBits, keep).reinterpretAsFloats().intoArray(mask, i);
        }
        return i;
    }

    static void apply(float[] x, int xo, float[] mask, float[] y, int n, boolean relu) {
        int i = 0, bound = FS.loopBound(n);
        FloatVector zero = FloatVector.zero(FS);
        for (; i < bound; i += FS.length()) {
            FloatVector v = FloatVector.fromArray(FS, x, xo + i);
            if (relu) v = v.max(zero); // Math.max's rule: NaN stays NaN, -0 becomes 0
            v.mul(FloatVector.fromArray(FS, mask, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            float v = x[xo + i];
            y[i] = (relu ? Math.max(v, 0f) : v) * mask[i];
        }
    }

    static void backward(float[] g, int go, float[] x, int xo, float[] mask, float[] gx, int n, boolean relu) {
        int i = 0, bound = FS.loopBound(n);
        FloatVector zero = FloatVector.zero(FS);
        for (; i < bound; i += FS.length()) {
            FloatVector d = FloatVector.fromArray(FS, g, go + i).mul(FloatVector.fromArray(FS, mask, i));
            // ReLU's backward keeps the gradient where x > 0 (false for NaN), else 0
            if (relu) d = zero.blend(d, FloatVector.fromArray(FS, x, xo + i).compare(VectorOperators.GT, 0f));
            d.intoArray(gx, i);
        }
        DropoutMask.backwardLoop(g, go, x, xo, mask, gx, i, n, relu);
    }
}
