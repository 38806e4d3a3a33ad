/**
 * Hyperparameter search, modelled on Optuna: a {@link dev.anneal.tune.Study} runs an
 * {@link dev.anneal.tune.Objective} over {@link dev.anneal.tune.Trial}s whose parameters are
 * suggested define-by-run (so conditional parameters are plain {@code if}s) or drawn from a declared
 * {@link dev.anneal.tune.SearchSpace}; samplers ({@link dev.anneal.tune.GridSampler},
 * {@link dev.anneal.tune.RandomSampler}, {@link dev.anneal.tune.TPESampler}) choose values and pruners
 * ({@link dev.anneal.tune.MedianPruner}, {@link dev.anneal.tune.PercentilePruner},
 * {@link dev.anneal.tune.SuccessiveHalvingPruner}, {@link dev.anneal.tune.HyperbandPruner}) stop poor
 * trials from their intermediate values; {@link dev.anneal.tune.JsonlStorage} keeps a resumable file.
 *
 * <p>Where this differs from Optuna (3.x/4.x), on purpose:
 * <ul>
 * <li>Each trial draws from its own generator seeded by (sampler seed, trial number), where Optuna
 *     shares one stream. A trial's random draws therefore do not depend on scheduling: random and grid
 *     studies give the same trials on any number of workers, and a resumed study continues exactly as an
 *     uninterrupted one would.</li>
 * <li>Parallel TPE and pruners see whatever trials have finished when they decide (as Optuna without
 *     constant liar), which depends on timing. {@link dev.anneal.tune.RunOptions#withDeterministic}
 *     makes trial n wait for, and see exactly, the trials numbered ≤ n − workers: results then depend on
 *     the seed and the worker count only (not equal to a sequential run's unless workers = 1).</li>
 * <li>TPE: truncated normals are sampled by rejection (Optuna inverts the CDF): same distribution,
 *     different draws. The history used for a parameter is the trials having it with a value inside the
 *     current distribution (Optuna requires only the name). No constant liar, constraints, multi-objective,
 *     group decomposition or categorical distance functions. Multivariate TPE's joint space is the
 *     intersection over COMPLETE and PRUNED trials, computed when a trial starts.</li>
 * <li>GridSampler hands grid point n to trial n in a stable order (the last parameter fastest), where
 *     Optuna picks unvisited points at random and retries failed ones.</li>
 * <li>HyperbandPruner needs an explicit max resource (no "auto"), and only the pruner is split by
 *     bracket (Optuna also shows the sampler only the trial's bracket).</li>
 * <li>A study file is JSONL; SQLite/JDBC storage is not offered.</li>
 * </ul>
 */
package dev.anneal.tune;
