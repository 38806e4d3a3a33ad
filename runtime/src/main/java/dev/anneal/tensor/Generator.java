package dev.anneal.tensor;

/**
 * The explicit, seeded source of randomness. Every random op takes one, so a run is reproducible
 * from its seed. SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): one long of state, which makes
 * saving and restoring a generator in a checkpoint trivial.
 */
public final class Generator {
    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public Generator(long seed) {
        this.state = seed;
    }

    /** Restarts the sequence from a seed. */
    public void manualSeed(long seed) {
        state = seed;
        hasSpare = false;
    }

    /** The full state, for checkpoints: {state, has-spare flag, spare gaussian bits}. */
    public long[] getState() {
        return new long[] {state, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spareGaussian)};
    }

    public void setState(long[] s) {
        if (s == null || s.length != 3)
            throw new IllegalArgumentException("Generator.setState: expected 3 longs from getState(), got "
                    + (s == null ? "null" : s.length));
        state = s[0];
        hasSpare = s[1] != 0;
        spareGaussian = Double.longBitsToDouble(s[2]);
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 24 random bits: every float in the grid is equally likely. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound), unbiased (Lemire's rejection method). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("Generator.nextInt: bound must be positive, got " + bound);
        long r = (nextLong() >>> 33) * bound; // 31 random bits times bound fits in a long
        long low = r & 0x7FFFFFFFL;
        if (low < bound) {
            long threshold = (0x80000000L - bound) % bound;
            while (low < threshold) {
                r = (nextLong() >>> 33) * bound;
                low = r & 0x7FFFFFFFL;
            }
        }
        return (int) (r >>> 31);
    }

    /** Standard normal by the Box-Muller transform, in double precision. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }
}
