package dev.anneal.kernels;

/** Reductions along one run of dims. ARGMAX/ARGMIN give the index (as a float) of the first extreme value. */
public enum ReduceOp {
    SUM, MAX, MIN, ARGMAX, ARGMIN
}
