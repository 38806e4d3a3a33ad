package dev.anneal.tune.compress;

/**
 * How much to prune, as PyTorch's {@code amount}: a fraction in [0, 1] of the entries (or channels)
 * still unpruned, or an absolute count of them. A fraction f of s entries is round(f·s) with
 * Python's round-half-to-even, as {@code torch.nn.utils.prune._compute_nparams_toprune}.
 */
record Amount(double fraction, int count, boolean isCount) {
    static Amount fraction(String op, double f) {
        if (!(f >= 0 && f <= 1))
            throw new IllegalArgumentException(op + ": amount=" + f + " should either be a float in the range [0, 1] or a non-negative integer");
        return new Amount(f, 0, false);
    }

    static Amount count(String op, int n) {
        if (n < 0) throw new IllegalArgumentException(op + ": amount=" + n + " should either be a float in the range [0, 1] or a non-negative integer");
        return new Amount(0, n, true);
    }

    /** The number of the size candidates to prune; a count larger than size is an error. */
    int toPrune(String op, int size, String what) {
        if (!isCount) return (int) Math.rint(fraction * size);
        if (count > size)
            throw new IllegalArgumentException(op + ": amount=" + count + " should be smaller than the number of " + what
                    + " to prune=" + size);
        return count;
    }

    @Override
    public String toString() {
        return isCount ? Integer.toString(count) : Double.toString(fraction);
    }
}
