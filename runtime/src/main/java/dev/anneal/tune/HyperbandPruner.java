package dev.anneal.tune;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Hyperband (Li et al., JMLR 2018) as Optuna's HyperbandPruner: ⌊log_η(max/min)⌋ + 1 successive
 * halving brackets with min early-stopping rates 0, 1, ...; a trial joins bracket b by
 * crc32("name_number") mod the total budget, bracket budgets ⌈B·η^s/(s+1)⌉ with s = B−1−b, and
 * competes only with the trials of its bracket.
 */
public final class HyperbandPruner implements Pruner {
    private final int minResource;
    private final int maxResource;
    private final int reductionFactor;
    private final int bootstrapCount;
    private final List<SuccessiveHalvingPruner> brackets = new ArrayList<>();
    private final int[] budgets;
    private final int totalBudget;

    public HyperbandPruner(int minResource, int maxResource, int reductionFactor, int bootstrapCount) {
        if (minResource < 1 || maxResource < minResource)
            throw new IllegalArgumentException("HyperbandPruner: need 1 <= minResource <= maxResource, got " + minResource + ", " + maxResource);
        if (reductionFactor < 2) throw new IllegalArgumentException("HyperbandPruner: reductionFactor must be at least 2, got " + reductionFactor);
        this.minResource = minResource;
        this.maxResource = maxResource;
        this.reductionFactor = reductionFactor;
        this.bootstrapCount = bootstrapCount;
        int n = (int) Math.floor(Math.log((double) maxResource / minResource) / Math.log(reductionFactor) + 1e-9) + 1;
        budgets = new int[n];
        int total = 0;
        for (int b = 0; b < n; b++) {
            int s = n - 1 - b;
            budgets[b] = (int) Math.ceil(n * Math.pow(reductionFactor, s) / (s + 1));
            total += budgets[b];
            brackets.add(new SuccessiveHalvingPruner(minResource, reductionFactor, b, bootstrapCount));
        }
        totalBudget = total;
    }

    /** Optuna's reduction factor 3 and no bootstrap, with an explicit resource range (Optuna's max "auto" is not offered). */
    public HyperbandPruner(int minResource, int maxResource) {
        this(minResource, maxResource, 3, 0);
    }

    public int numBrackets() {
        return budgets.length;
    }

    /** The bracket of a trial of a study. */
    public int bracketOf(String studyName, int trialNumber) {
        CRC32 crc = new CRC32();
        crc.update((studyName + "_" + trialNumber).getBytes(StandardCharsets.UTF_8));
        long n = crc.getValue() % totalBudget;
        for (int b = 0; b < budgets.length; b++) {
            n -= budgets[b];
            if (n < 0) return b;
        }
        throw new IllegalStateException("HyperbandPruner: unreachable bracket");
    }

    @Override
    public boolean prune(StudyView study, FrozenTrial trial) {
        int b = bracketOf(study.name(), trial.number());
        StudyView bracketView = new StudyView() {
            @Override
            public String name() {
                return study.name();
            }

            @Override
            public Direction direction() {
                return study.direction();
            }

            @Override
            public List<FrozenTrial> trials() {
                List<FrozenTrial> out = new ArrayList<>();
                for (FrozenTrial t : study.trials()) if (bracketOf(study.name(), t.number()) == b) out.add(t);
                return out;
            }

            @Override
            public void setSystemAttr(int trialNumber, String key, Object value) {
                study.setSystemAttr(trialNumber, key, value);
            }
        };
        return brackets.get(b).prune(bracketView, trial);
    }

    @Override
    public String describe() {
        return "HyperbandPruner(minResource=" + minResource + ", maxResource=" + maxResource + ", reductionFactor=" + reductionFactor
                + ", bootstrapCount=" + bootstrapCount + ", brackets=" + budgets.length + ")";
    }
}
