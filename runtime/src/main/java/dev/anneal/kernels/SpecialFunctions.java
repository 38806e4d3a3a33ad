package dev.anneal.kernels;

/** Functions java.lang.Math lacks. */
public final class SpecialFunctions {
    public static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);

    private SpecialFunctions() {}

    /** Φ(x) = erfc(-x/√2)/2, accurate to ~1e-7 relative in both tails. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT_2);
    }

    /** Standard normal density φ(x). */
    public static double normalPdf(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    /**
     * Complementary error function; Chebyshev-fitted exponential form with fractional error
     * below 1.2e-7 everywhere (Numerical Recipes in C, 2nd ed., §6.2, erfcc).
     */
    public static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
        double r = t * Math.exp(poly);
        return x >= 0 ? r : 2.0 - r;
    }

    /**
     * pow as IEEE 754 and C define it (PyTorch uses C's): Math.pow except that pow(1, y) = 1 for
     * every y, even NaN, and pow(-1, ±inf) = 1, where Math.pow gives NaN.
     */
    public static double pow(double x, double y) {
        if (x == 1.0 || (x == -1.0 && Double.isInfinite(y))) return 1.0;
        return Math.pow(x, y);
    }

    public static double erf(double x) {
        return 1.0 - erfc(x);
    }
}
