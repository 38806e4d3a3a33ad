package dev.anneal.tune;

import dev.anneal.tensor.Generator;

/**
 * Draws every parameter independently and uniformly (log-uniformly for log distributions). Each
 * trial draws from its own generator seeded by (seed, trial number), so a study's parameters do not
 * depend on how trials were scheduled over workers.
 */
public final class RandomSampler implements Sampler {
    private final long seed;

    public RandomSampler(long seed) {
        this.seed = seed;
    }

    @Override
    public double sampleIndependent(StudyView study, Trial trial, String name, Distribution d) {
        return draw(trial.rng(), d);
    }

    @Override
    public Generator trialGenerator(int number) {
        return new Generator(Sampler.trialSeed(seed, number));
    }

    @Override
    public String describe() {
        return "RandomSampler(seed=" + seed + ")";
    }

    /**
     * One uniform draw in internal representation: uniform/log-uniform floats, uniform grid points,
     * and, for log ints, Optuna's rule (log-uniform over [low − ½, high + ½], rounded).
     */
    static double draw(Generator g, Distribution d) {
        if (d instanceof CategoricalDistribution c) return g.nextInt(c.choices().size());
        if (d instanceof FloatDistribution f) {
            if (f.hasStep()) {
                int k = (int) Math.round((f.high() - f.low()) / f.step());
                return Math.min(f.high(), f.low() + g.nextInt(k + 1) * f.step());
            }
            if (f.log()) {
                double lo = Math.log(f.low()), hi = Math.log(f.high());
                return clamp(Math.exp(lo + g.nextDouble() * (hi - lo)), f.low(), f.high());
            }
            return f.low() + g.nextDouble() * (f.high() - f.low());
        }
        IntDistribution i = (IntDistribution) d;
        if (i.log()) {
            double lo = Math.log(i.low() - 0.5), hi = Math.log(i.high() + 0.5);
            return clamp(Math.round(Math.exp(lo + g.nextDouble() * (hi - lo))), i.low(), i.high());
        }
        int k = (int) (((long) i.high() - i.low()) / i.step());
        return i.low() + (double) g.nextInt(k + 1) * i.step();
    }

    static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
