package dev.anneal.tune;

import dev.anneal.tensor.Generator;
import java.util.Map;

/**
 * Chooses parameter values. Independent sampling draws one parameter at a time when the objective
 * asks for it; relative sampling (multivariate TPE) draws a group of parameters jointly when a trial
 * starts. Values are in the distribution's internal representation (see {@link Distribution}).
 */
public interface Sampler {
    /** A value for one parameter of a running trial. */
    double sampleIndependent(StudyView study, Trial trial, String name, Distribution distribution);

    /** The parameters to sample jointly for the next trial (none by default). */
    default Map<String, Distribution> relativeSearchSpace(StudyView study) {
        return Map.of();
    }

    /** Joint values for the relative search space, keyed by parameter name. */
    default Map<String, Double> sampleRelative(StudyView study, Trial trial, Map<String, Distribution> space) {
        return Map.of();
    }

    /**
     * The generator a trial's draws come from. Deriving it from (seed, trial number) rather than
     * sharing one stream keeps a trial's draws independent of which other trials ran first.
     */
    default Generator trialGenerator(int number) {
        return new Generator(trialSeed(0, number));
    }

    /** How many trials this sampler can give in all (a grid's size); unlimited by default. */
    default int maxTrials() {
        return Integer.MAX_VALUE;
    }

    /** A one-line description of the sampler and its settings, kept in the study file. */
    default String describe() {
        return getClass().getSimpleName();
    }

    /** A well-mixed seed for trial {@code number} of a sampler seeded with {@code seed} (SplitMix64 finalizer). */
    static long trialSeed(long seed, int number) {
        long z = seed + 0x9E3779B97F4A7C15L * (number + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
