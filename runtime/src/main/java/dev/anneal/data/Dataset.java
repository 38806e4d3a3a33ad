package dev.anneal.data;

/** Indexed examples that can be gathered into a batch. */
public interface Dataset {
    int size();

    /** The examples at the given positions, stacked along a new dim 0, in that order. */
    Batch batch(int[] indices);
}
