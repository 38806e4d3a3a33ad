package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector API body of {@link Copy#addInto}. */
final class CopyVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private CopyVector() {}

    static void addInto(float[] src, int s, float[] dst, int d, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += S.length())
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        for (; i < n; i++) dst[d + i] += src[s + i];
    }
}
