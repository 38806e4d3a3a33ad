package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;

/** Touched only on the vector path: loading it needs the incubator module. */
final class VectorWidth {
    private VectorWidth() {}

    static int floatLanes() {
        return FloatVector.SPECIES_PREFERRED.length();
    }
}
