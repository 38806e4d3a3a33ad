package dev.anneal.tune.compress;

import dev.anneal.autograd.Tensor;
import dev.anneal.data.DataLoader;
import dev.anneal.nn.Module;
import dev.anneal.tensor.Generator;
import dev.anneal.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Prune-and-fine-tune schedules: raise the sparsity of some parameters step by step (e.g. to 0.5,
 * 0.75, 0.9), fine-tuning with a Trainer after each step, and record the accuracy before and after
 * each fine-tuning. Each step prunes only the entries (channels) still needed to reach the step's
 * sparsity, composing with the masks already there.
 */
public final class IterativePruning {
    private IterativePruning() {}

    /** Prunes its parameters up to a total sparsity: a fraction of entries, or of channels for structured pruning. */
    @FunctionalInterface
    public interface Pruner {
        void pruneTo(double sparsity);
    }

    /** One step: the sparsity aimed at and reached over the pruned parameters, validation accuracy after pruning and after fine-tuning. */
    public record Step(int index, double targetSparsity, double sparsity, double accuracyPruned, double accuracyFineTuned, double lossFineTuned) {}

    /** The accuracy before any pruning and each step. */
    public record Result(double baselineAccuracy, List<Step> steps) {
        /** A text table, one line per step. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "baseline accuracy %.4f%n", baselineAccuracy));
            b.append(String.format(Locale.ROOT, "%4s %8s %9s %14s %16s %10s%n", "step", "target", "sparsity", "acc (pruned)", "acc (fine-tuned)",
                    "val loss"));
            for (Step s : steps)
                b.append(String.format(Locale.ROOT, "%4d %8.4f %9.4f %14.4f %16.4f %10.4f%n", s.index(), s.targetSparsity(), s.sparsity(),
                        s.accuracyPruned(), s.accuracyFineTuned(), s.lossFineTuned()));
            return b.toString();
        }
    }

    /**
     * Runs the schedule: for each sparsity, prune, evaluate on valid, fine-tune with a trainer built from a
     * fresh builder (to which {@link Pruning#keepPruned()} is added) on train, evaluate again. The builder
     * fixes the epochs per step; 0 epochs gives one-shot pruning without fine-tuning.
     */
    public static Result run(Pruner pruner, List<PruneTarget> targets, double[] sparsities, Supplier<Trainer.Builder> fineTune,
                             DataLoader train, DataLoader valid) {
        if (pruner == null || fineTune == null || train == null || valid == null)
            throw new IllegalArgumentException("IterativePruning: pruner, fine-tune builder, train and valid loaders are required");
        checkTargets(targets);
        checkSchedule(sparsities);
        double baseline = fineTune.get().build().evaluate(valid).accuracy();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < sparsities.length; i++) {
            pruner.pruneTo(sparsities[i]);
            Trainer.Builder b = fineTune.get();
            if (b == null) throw new IllegalArgumentException("IterativePruning: the fine-tune supplier returned null");
            Trainer t = b.callback(Pruning.keepPruned()).build();
            double pruned = t.evaluate(valid).accuracy();
            t.fit(train, valid);
            Trainer.Evaluation after = t.evaluate(valid);
            steps.add(new Step(i, sparsities[i], SparsityReport.of(targets).sparsity(), pruned, after.accuracy(), after.loss()));
        }
        return new Result(baseline, steps);
    }

    /** Magnitude pruning over all targets together (global L1). */
    public static Pruner globalL1(List<PruneTarget> targets) {
        checkTargets(targets);
        return s -> {
            long total = 0, masked = 0;
            for (PruneTarget t : targets) {
                total += numel(t);
                masked += maskedEntries(t);
            }
            Pruning.globalUnstructured(targets, toPrune(s, total, masked));
        };
    }

    /** Random pruning over all targets together (global random unstructured: the baseline for global L1). */
    public static Pruner globalRandom(List<PruneTarget> targets, Generator g) {
        checkTargets(targets);
        if (g == null) throw new IllegalArgumentException("IterativePruning.globalRandom: a Generator is required");
        return s -> {
            long total = 0, masked = 0;
            for (PruneTarget t : targets) {
                total += numel(t);
                masked += maskedEntries(t);
            }
            Pruning.globalRandomUnstructured(targets, toPrune(s, total, masked), g);
        };
    }

    /** Magnitude pruning of each target to the same sparsity (L1 unstructured per layer). */
    public static Pruner l1PerLayer(List<PruneTarget> targets) {
        checkTargets(targets);
        return s -> {
            for (PruneTarget t : targets) Pruning.l1Unstructured(t.module(), t.name(), toPrune(s, numel(t), maskedEntries(t)));
        };
    }

    /** Random pruning of each target to the same sparsity (the baseline for magnitude pruning). */
    public static Pruner randomPerLayer(List<PruneTarget> targets, Generator g) {
        checkTargets(targets);
        return s -> {
            for (PruneTarget t : targets) Pruning.randomUnstructured(t.module(), t.name(), toPrune(s, numel(t), maskedEntries(t)), g);
        };
    }

    /** Structured pruning of each target: the fraction s of its channels along dim, those of smallest Ln norm. */
    public static Pruner lnStructuredPerLayer(List<PruneTarget> targets, double n, int dim) {
        checkTargets(targets);
        return s -> {
            for (PruneTarget t : targets) {
                int[] c = channels(t, dim);
                Pruning.lnStructured(t.module(), t.name(), toPrune(s, c[0], c[1]), n, dim);
            }
        };
    }

    /** Random structured pruning of each target along dim (the baseline for Ln structured pruning). */
    public static Pruner randomStructuredPerLayer(List<PruneTarget> targets, int dim, Generator g) {
        checkTargets(targets);
        return s -> {
            for (PruneTarget t : targets) {
                int[] c = channels(t, dim);
                Pruning.randomStructured(t.module(), t.name(), toPrune(s, c[0], c[1]), dim, g);
            }
        };
    }

    private static int toPrune(double sparsity, long total, long alreadyPruned) {
        if (!(sparsity >= 0 && sparsity <= 1))
            throw new IllegalArgumentException("IterativePruning: sparsity must be in [0, 1], got " + sparsity);
        return (int) Math.max(0, Math.round(sparsity * total) - alreadyPruned);
    }

    private static long numel(PruneTarget t) {
        Tensor p = t.module().namedParameters().get(t.name());
        if (p == null) throw new IllegalArgumentException("IterativePruning: " + t.module() + " has no parameter '" + t.name() + "'");
        return p.numel();
    }

    private static long maskedEntries(PruneTarget t) {
        if (!Pruning.isPruned(t.module(), t.name())) return 0;
        long n = 0;
        for (float v : Pruning.mask(t.module(), t.name()).toArray()) if (v == 0f) n++;
        return n;
    }

    /** [channels along dim, channels whose mask is all 0]. */
    private static int[] channels(PruneTarget t, int dim) {
        Tensor p = t.module().namedParameters().get(t.name());
        if (p == null) throw new IllegalArgumentException("IterativePruning: " + t.module() + " has no parameter '" + t.name() + "'");
        int d = dim < 0 ? dim + p.rank() : dim;
        if (d < 0 || d >= p.rank())
            throw new IllegalArgumentException("IterativePruning: dim " + dim + " is out of range for parameter '" + t.name() + "' of rank " + p.rank());
        int c = p.size(d);
        if (!Pruning.isPruned(t.module(), t.name())) return new int[] {c, 0};
        Tensor alive = Pruning.mask(t.module(), t.name()).abs().transpose(0, d).reshape(c, -1).sum(1);
        int dead = 0;
        for (float v : alive.toArray()) if (v == 0f) dead++;
        return new int[] {c, dead};
    }

    private static void checkTargets(List<PruneTarget> targets) {
        if (targets == null || targets.isEmpty()) throw new IllegalArgumentException("IterativePruning: no parameters to prune");
    }

    private static void checkSchedule(double[] s) {
        if (s == null || s.length == 0) throw new IllegalArgumentException("IterativePruning: the schedule has no sparsities");
        for (int i = 0; i < s.length; i++) {
            if (!(s[i] >= 0 && s[i] <= 1))
                throw new IllegalArgumentException("IterativePruning: sparsity " + s[i] + " at step " + i + " is outside [0, 1]");
            if (i > 0 && s[i] < s[i - 1])
                throw new IllegalArgumentException("IterativePruning: sparsities must not decrease, got " + s[i - 1] + " then " + s[i]);
        }
    }
}
