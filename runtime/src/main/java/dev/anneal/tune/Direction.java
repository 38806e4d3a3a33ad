package dev.anneal.tune;

/** Whether a study looks for the smallest or the largest objective value. */
public enum Direction {
    MINIMIZE,
    MAXIMIZE;

    /** True if a is strictly better than b in this direction. */
    public boolean better(double a, double b) {
        return this == MINIMIZE ? a < b : a > b;
    }
}
