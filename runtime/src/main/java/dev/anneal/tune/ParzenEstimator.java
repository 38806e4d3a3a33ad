package dev.anneal.tune;

import dev.anneal.tensor.Generator;
import java.util.List;

/**
 * TPE's density model (Optuna's _ParzenEstimator): a mixture with one component per observation
 * plus a prior component, each a product over parameters of a truncated normal (numerical, in log
 * space for log distributions, discretized for stepped ones) or a categorical kernel. Works on
 * observations in internal representation, one row per trial, one column per parameter.
 */
final class ParzenEstimator {
    /** Settings shared by all estimators of a sampler (Optuna's _ParzenEstimatorParameters). */
    record Params(double priorWeight, boolean magicClip, boolean endpoints, boolean multivariate) {}

    /** One parameter's kernels: per component a mean and sigma (numerical) or choice probabilities. */
    static final class Kernels {
        final Distribution distribution;
        final boolean categorical;
        final double low, high, step; // transformed bounds; step 0 for continuous
        final double[] mus, sigmas;
        final double[][] probs;

        Kernels(Distribution d, double low, double high, double step, double[] mus, double[] sigmas, double[][] probs) {
            this.distribution = d;
            this.categorical = probs != null;
            this.low = low;
            this.high = high;
            this.step = step;
            this.mus = mus;
            this.sigmas = sigmas;
            this.probs = probs;
        }
    }

    final double[] weights;
    final Kernels[] kernels;

    ParzenEstimator(double[][] observations, List<Distribution> space, Params p) {
        int n = observations.length;
        double[] w;
        if (n == 0) {
            w = new double[] {1.0};
        } else {
            double[] base = TPESampler.defaultWeights(n);
            w = new double[n + 1];
            System.arraycopy(base, 0, w, 0, n);
            w[n] = p.priorWeight();
        }
        double sum = 0;
        for (double x : w) sum += x;
        for (int i = 0; i < w.length; i++) w[i] /= sum;
        this.weights = w;
        this.kernels = new Kernels[space.size()];
        for (int j = 0; j < space.size(); j++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) col[i] = observations[i][j];
            kernels[j] = kernels(col, space.get(j), space.size(), p);
        }
    }

    private static boolean isLog(Distribution d) {
        return d instanceof FloatDistribution f ? f.log() : d instanceof IntDistribution i && i.log();
    }

    private static Kernels kernels(double[] obs, Distribution d, int dims, Params p) {
        int n = obs.length;
        if (d instanceof CategoricalDistribution c) {
            int k = c.choices().size();
            // Each observation's kernel: priorWeight/rows on every choice plus 1 on the observed one, normalized; the prior row is uniform.
            int rows = n + 1;
            double[][] probs = new double[rows][k];
            for (int r = 0; r < rows; r++) {
                double rowSum = 0;
                for (int q = 0; q < k; q++) {
                    probs[r][q] = p.priorWeight() / rows + (r < n && (int) obs[r] == q ? 1.0 : 0.0);
                    rowSum += probs[r][q];
                }
                for (int q = 0; q < k; q++) probs[r][q] /= rowSum;
            }
            return new Kernels(d, 0, 0, 0, null, null, probs);
        }
        double low, high, step;
        if (d instanceof FloatDistribution f) {
            low = f.log() ? Math.log(f.low()) : f.low();
            high = f.log() ? Math.log(f.high()) : f.high();
            step = f.hasStep() ? f.step() : 0;
        } else {
            IntDistribution i = (IntDistribution) d;
            if (i.log()) { // Optuna: log ints become continuous over [log(low − ½), log(high + ½)]
                low = Math.log(i.low() - 0.5);
                high = Math.log(i.high() + 0.5);
                step = 0;
            } else {
                low = i.low();
                high = i.high();
                step = i.step();
            }
        }
        double[] mus = new double[n + 1];
        for (int i = 0; i < n; i++) mus[i] = isLog(d) ? Math.log(obs[i]) : obs[i];
        double priorMu = 0.5 * (low + high);
        mus[n] = priorMu;
        double range = high - low + step;
        double[] sigmas = new double[n + 1];
        if (p.multivariate()) {
            // Scott-like rule of Optuna's multivariate TPE: 0.2 · n^(−1/(d+4)) · range
            double s = 0.2 * Math.pow(Math.max(n, 1), -1.0 / (dims + 4)) * range;
            for (int i = 0; i < n; i++) sigmas[i] = s;
        } else {
            // Distance to the farther neighbour among the sorted means (prior included) and the widened bounds.
            Integer[] order = new Integer[n + 1];
            for (int i = 0; i <= n; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(mus[a], mus[b]));
            double[] s = new double[n + 3];
            s[0] = low - step / 2;
            for (int i = 0; i <= n; i++) s[i + 1] = mus[order[i]];
            s[n + 2] = high + step / 2;
            double[] sorted = new double[n + 1];
            for (int i = 0; i <= n; i++) sorted[i] = Math.max(s[i + 1] - s[i], s[i + 2] - s[i + 1]);
            if (!p.endpoints() && s.length >= 4) {
                sorted[0] = s[2] - s[1];
                sorted[n] = s[n + 1] - s[n];
            }
            for (int i = 0; i <= n; i++) sigmas[order[i]] = sorted[i];
        }
        double maxSigma = range;
        double minSigma = p.magicClip() ? range / Math.min(100.0, 1.0 + n + 1) : 1e-12;
        for (int i = 0; i < n; i++) sigmas[i] = Math.max(minSigma, Math.min(maxSigma, sigmas[i]));
        sigmas[n] = range; // the prior: centred, as wide as the range
        return new Kernels(d, low, high, step, mus, sigmas, null);
    }

    /** size draws, each a row of internal values (one per parameter). */
    double[][] sample(Generator g, int size) {
        double[][] out = new double[size][kernels.length];
        for (int s = 0; s < size; s++) {
            int c = pick(g, weights);
            for (int j = 0; j < kernels.length; j++) out[s][j] = draw(g, kernels[j], c);
        }
        return out;
    }

    private static int pick(Generator g, double[] probs) {
        double u = g.nextDouble(), acc = 0;
        for (int i = 0; i < probs.length; i++) {
            acc += probs[i];
            if (u < acc) return i;
        }
        return probs.length - 1;
    }

    private static double draw(Generator g, Kernels k, int c) {
        if (k.categorical) return pick(g, k.probs[c]);
        double lo = k.low - k.step / 2, hi = k.high + k.step / 2;
        double x = truncatedNormal(g, k.mus[c], k.sigmas[c], lo, hi);
        if (k.step > 0) x = RandomSampler.clamp(k.low + Math.rint((x - k.low) / k.step) * k.step, k.low, k.high);
        Distribution d = k.distribution;
        if (isLog(d)) x = Math.exp(x);
        if (d instanceof IntDistribution i) x = RandomSampler.clamp(i.low() + Math.rint((x - i.low()) / i.step()) * i.step(), i.low(), i.high());
        else if (d instanceof FloatDistribution f) x = RandomSampler.clamp(x, f.low(), f.high());
        return x;
    }

    /** N(mu, sigma) conditioned on [lo, hi], by rejection (mu lies in the interval, so acceptance is at least ~1/3). */
    private static double truncatedNormal(Generator g, double mu, double sigma, double lo, double hi) {
        for (int tries = 0; tries < 10_000; tries++) {
            double x = mu + sigma * g.nextGaussian();
            if (x >= lo && x <= hi) return x;
        }
        return RandomSampler.clamp(mu, lo, hi);
    }

    /** log of the mixture density at one point (internal values). */
    double logPdf(double[] x) {
        double[] terms = new double[weights.length];
        for (int c = 0; c < weights.length; c++) {
            double t = Math.log(weights[c]);
            for (int j = 0; j < kernels.length; j++) t += logPdf(kernels[j], c, x[j]);
            terms[c] = t;
        }
        return NormalMath.logSumExp(terms);
    }

    private static double logPdf(Kernels k, int c, double value) {
        if (k.categorical) return Math.log(k.probs[c][(int) value]);
        double x = isLog(k.distribution) ? Math.log(value) : value;
        double mu = k.mus[c], s = k.sigmas[c];
        if (k.step > 0) {
            double h = k.step / 2;
            return NormalMath.logCdfDiff((x - h - mu) / s, (x + h - mu) / s) - NormalMath.logCdfDiff((k.low - h - mu) / s, (k.high + h - mu) / s);
        }
        double z = (x - mu) / s;
        return -0.5 * z * z - Math.log(s) - NormalMath.LOG_SQRT_2PI - NormalMath.logCdfDiff((k.low - mu) / s, (k.high - mu) / s);
    }
}
