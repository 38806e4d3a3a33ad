package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Lane sums in a fixed order. {@code reduceLanes(ADD)} may add the lanes in a different order in
 * interpreted and JIT-compiled code (seen on JDK 25), so the same call could round differently
 * from one invocation to the next; these helpers always add lane 0, 1, 2, ... in sequence.
 */
final class Lanes {
    private Lanes() {}

    /** Σ lanes in float, in lane order. */
    static float sumInOrder(FloatVector v) {
        float s = 0f;
        for (int i = 0, n = v.length(); i < n; i++) s += v.lane(i);
        return s;
    }

    /** Σ lanes in double, in lane order. */
    static double sum(FloatVector v) {
        double s = 0;
        for (int i = 0, n = v.length(); i < n; i++) s += v.lane(i);
        return s;
    }
}
