package dev.anneal.nn;

import dev.anneal.autograd.Tensor;

/** Merges dims startDim..endDim (inclusive) into one; by default everything after the batch dim. */
public final class Flatten extends Module {
    private final int startDim, endDim;

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    /** Flatten(1, -1). */
    public Flatten() {
        this(1, -1);
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(startDim, endDim);
    }

    @Override
    public String toString() {
        return "Flatten(start_dim=" + startDim + ", end_dim=" + endDim + ")";
    }
}
