package dev.anneal.tune;

/** Normal-distribution helpers for the Parzen estimators: erf/erfc, log Φ-differences, log-sum-exp. */
final class NormalMath {
    private NormalMath() {}

    private static final double SQRT2 = Math.sqrt(2.0);
    static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    /** erfc(x) to about 1e-14 relative: Maclaurin series of erf for |x| < 2, Lentz continued fraction beyond. */
    static double erfc(double x) {
        if (Double.isNaN(x)) return Double.NaN;
        if (x < 0) return 2.0 - erfc(-x);
        if (x < 2.0) return 1.0 - erfSeries(x);
        if (x > 27.3) return 0.0; // exp(-x²) underflows
        // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (A&S 7.1.14), modified Lentz
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int k = 1; k < 500; k++) {
            double a = k * 0.5;
            d = x + a * d;
            if (d == 0) d = tiny;
            c = x + a / c;
            if (c == 0) c = tiny;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) break;
        }
        return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
    }

    private static double erfSeries(double x) {
        // erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double t = term / (2 * n + 1);
            sum += t;
            if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
        }
        return 2.0 / Math.sqrt(Math.PI) * sum;
    }

    static double erf(double x) {
        return Math.abs(x) < 2.0 ? erfSeries(x) : 1.0 - erfc(x);
    }

    /** Φ(z), the standard normal CDF. */
    static double cdf(double z) {
        return 0.5 * erfc(-z / SQRT2);
    }

    /** log(Φ(b) − Φ(a)) for a ≤ b, computed on the side of zero where the difference keeps its digits. */
    static double logCdfDiff(double a, double b) {
        double d;
        if (a >= 0) d = 0.5 * (erfc(a / SQRT2) - erfc(b / SQRT2)); // upper tail: Q(a) − Q(b)
        else if (b <= 0) d = 0.5 * (erfc(-b / SQRT2) - erfc(-a / SQRT2)); // lower tail: Φ(b) − Φ(a)
        else d = 1.0 - 0.5 * erfc(-a / SQRT2) - 0.5 * erfc(b / SQRT2);
        return d > 0 ? Math.log(d) : Double.NEGATIVE_INFINITY;
    }

    /** log Σ exp(v[i]); −∞ entries are allowed. */
    static double logSumExp(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) m = Math.max(m, x);
        if (m == Double.NEGATIVE_INFINITY) return m;
        double s = 0;
        for (double x : v) s += Math.exp(x - m);
        return m + Math.log(s);
    }
}
