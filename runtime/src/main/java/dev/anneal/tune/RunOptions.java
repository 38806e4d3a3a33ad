package dev.anneal.tune;

import java.time.Duration;

/**
 * How long {@link Study#optimize} runs and on how many workers: a number of trials and/or a wall
 * time (no new trial starts after it; running ones finish), n worker threads, and whether parallel
 * trials wait so that trial n sees exactly the trials numbered ≤ n − workers ({@link #deterministic}).
 */
public record RunOptions(int trials, Duration timeout, int workers, boolean deterministic) {
    /** No limit on the number of trials (then a timeout or a finite grid must end the run). */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    public RunOptions {
        if (trials < 1) throw new IllegalArgumentException("RunOptions: trials must be at least 1 (or UNLIMITED), got " + trials);
        if (timeout != null && (timeout.isNegative() || timeout.isZero()))
            throw new IllegalArgumentException("RunOptions: timeout must be positive, got " + timeout);
        if (workers < 1) throw new IllegalArgumentException("RunOptions: workers must be at least 1, got " + workers);
    }

    /** n trials, one worker, no timeout. */
    public static RunOptions trials(int n) {
        return new RunOptions(n, null, 1, false);
    }

    /** As many trials as fit in the time, one worker. */
    public static RunOptions timeout(Duration t) {
        return new RunOptions(UNLIMITED, t, 1, false);
    }

    public RunOptions withTimeout(Duration t) {
        return new RunOptions(trials, t, workers, deterministic);
    }

    public RunOptions withWorkers(int n) {
        return new RunOptions(trials, timeout, n, deterministic);
    }

    /**
     * With true, trial n starts sampling only when every trial numbered ≤ n − workers of this run has
     * finished, and its sampler and pruner see exactly those (plus earlier runs' trials): results then
     * depend on the seeds and the worker count only, not on timing, at the cost of some idle waiting.
     */
    public RunOptions withDeterministic(boolean d) {
        return new RunOptions(trials, timeout, workers, d);
    }
}
