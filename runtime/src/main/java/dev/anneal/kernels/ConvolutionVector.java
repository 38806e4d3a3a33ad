package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link Convolution}'s own loops (the GEMMs dispatch through {@link Matmul}). */
final class ConvolutionVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ConvolutionVector() {}

    static void fill(float[] a, int off, int len, float v) {
        FloatVector bv = FloatVector.broadcast(S, v);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L) bv.intoArray(a, off + i);
        for (; i < len; i++) a[off + i] = v;
    }

    /** Lane sums in float, lanes and tail added in double. */
    static double sum(float[] a, int off, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, a, off + i));
        double s = Lanes.sum(acc);
        for (; i < len; i++) s += a[off + i];
        return s;
    }

    static void addInto(float[] src, int so, float[] dst, int d0, int len) {
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L)
            FloatVector.fromArray(S, dst, d0 + i).add(FloatVector.fromArray(S, src, so + i)).intoArray(dst, d0 + i);
        for (; i < len; i++) dst[d0 + i] += src[so + i];
    }
}
