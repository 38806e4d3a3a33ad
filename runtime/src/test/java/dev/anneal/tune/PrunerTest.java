package dev.anneal.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrunerTest {
    /** Five completed trials (minimize): at step s, trial k reported k+1, k+0.5, k (k = 1..5 shifted). */
    static FakeStudy fiveCompleted(Direction d) {
        FakeStudy s = new FakeStudy(d);
        s.complete(0, 1.0, 0.9, 0.8);
        s.complete(1, 2.0, 1.5, 1.2);
        s.complete(2, 3.0, 2.5, 2.0);
        s.complete(3, 4.0, 3.5, 3.0);
        s.complete(4, 5.0, 4.5, 4.0);
        return s;
    }

    @Test
    void medianPrunesAboveTheMedianAtTheSameStep() {
        MedianPruner p = new MedianPruner();
        FakeStudy s = fiveCompleted(Direction.MINIMIZE);
        assertFalse(s.reportAndAsk(p, 5, 0, 2.5)); // median at step 0 is 3.0
        assertFalse(s.reportAndAsk(p, 6, 0, 3.0)); // equal is not worse
        assertTrue(s.reportAndAsk(p, 7, 0, 3.5));
        // Optuna compares the trial's best value so far, not its latest: 4.0 then 1.0 at step 1 (median 2.5) is kept
        assertTrue(s.reportAndAsk(p, 8, 0, 4.0));
        assertFalse(s.reportAndAsk(p, 8, 1, 1.0));
        // a step no completed trial reached gives no percentile: no pruning
        assertFalse(s.reportAndAsk(p, 9, 7, 100.0));
    }

    @Test
    void medianWaitsForStartupTrialsAndWarmupSteps() {
        FakeStudy s = new FakeStudy(Direction.MINIMIZE);
        s.complete(0, 1.0).complete(1, 1.0).complete(2, 1.0).complete(3, 1.0);
        MedianPruner p = new MedianPruner();
        assertFalse(s.reportAndAsk(p, 10, 0, 50.0)); // 4 < 5 startup trials
        s.complete(4, 1.0);
        assertTrue(s.reportAndAsk(p, 11, 0, 50.0));

        FakeStudy w = fiveCompleted(Direction.MINIMIZE);
        MedianPruner warm = new MedianPruner(5, 2, 1);
        assertFalse(w.reportAndAsk(warm, 5, 0, 99.0));
        assertFalse(w.reportAndAsk(warm, 5, 1, 99.0));
        assertTrue(w.reportAndAsk(warm, 5, 2, 99.0)); // median at step 2 is 2.0
    }

    @Test
    void intervalChecksOnlyTheFirstReportOfEachInterval() {
        FakeStudy s = fiveCompleted(Direction.MINIMIZE);
        MedianPruner p = new MedianPruner(5, 0, 2);
        assertTrue(s.reportAndAsk(p, 5, 0, 99.0)); // step 0 opens interval [0, 2)
        assertFalse(s.reportAndAsk(p, 6, 0, 2.9)); // ≤ median 3.0
        assertFalse(s.reportAndAsk(p, 6, 1, 99.0)); // step 1 is inside [0, 2), which step 0 already opened: not checked
        assertTrue(s.reportAndAsk(p, 6, 2, 99.0)); // step 2 opens [2, 4): best so far 2.9 > median 2.0
    }

    @Test
    void percentileOnBothDirections() {
        // 25th percentile of [1, 2, 3, 4, 5] by linear interpolation is 2.0
        FakeStudy s = fiveCompleted(Direction.MINIMIZE);
        PercentilePruner p = new PercentilePruner(25.0);
        assertTrue(s.reportAndAsk(p, 5, 0, 2.5));
        assertFalse(s.reportAndAsk(p, 6, 0, 2.0));
        // maximizing, the 25% best are above the 75th percentile, 4.0
        FakeStudy m = fiveCompleted(Direction.MAXIMIZE);
        assertTrue(m.reportAndAsk(p, 5, 0, 3.5));
        assertFalse(m.reportAndAsk(p, 6, 0, 4.5));
        // NaN so far is always pruned; too few trials at the step never is
        assertTrue(m.reportAndAsk(p, 7, 0, Double.NaN));
        assertFalse(fiveCompleted(Direction.MINIMIZE).reportAndAsk(new PercentilePruner(25.0, 5, 0, 1, 6), 5, 0, 1e9));
        assertEquals(2.5, PercentilePruner.nanPercentile(new double[] {4, 1, 3, 2}, 50), 0);
        assertEquals(1.75, PercentilePruner.nanPercentile(new double[] {4, 1, 3, 2}, 25), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new PercentilePruner(101));
    }

    @Test
    void successiveHalvingPromotesTheTopFraction() {
        SuccessiveHalvingPruner p = new SuccessiveHalvingPruner(1, 2, 0, 0);
        FakeStudy s = new FakeStudy(Direction.MINIMIZE);
        assertFalse(s.reportAndAsk(p, 0, 0, 5.0)); // step 0 < rung-0 step 1
        assertFalse(s.reportAndAsk(p, 0, 1, 5.0)); // rung 0: alone, so best: promoted; rung 1 needs step 2
        assertEquals(5.0, s.attrs.get(0).get("completed_rung_0"));
        assertFalse(s.reportAndAsk(p, 1, 1, 3.0)); // [5, 3]: top 1/2 is {3}
        assertTrue(s.reportAndAsk(p, 2, 1, 4.0)); // [5, 3, 4]: 3//2−1 = 0 → must be ≤ 3
        assertFalse(s.reportAndAsk(p, 3, 1, 3.5)); // [5, 3, 4, 3.5]: 4//2−1 = 1 → ≤ 3.5
        assertFalse(s.reportAndAsk(p, 3, 3, 2.0)); // rung 1 at step 2: alone, promoted; rung 2 needs step 4
        assertEquals(2.0, s.attrs.get(3).get("completed_rung_1"));
        assertTrue(s.reportAndAsk(p, 1, 3, 2.5)); // rung 1: [2, 2.5], 2//2−1 = 0 → must be ≤ 2
        // maximizing mirrors it
        assertTrue(SuccessiveHalvingPruner.promotable(5, List.of(5.0, 3.0, 4.0), 2, Direction.MAXIMIZE));
        assertFalse(SuccessiveHalvingPruner.promotable(4, List.of(5.0, 3.0, 4.0), 2, Direction.MAXIMIZE));
    }

    @Test
    void successiveHalvingAutoResourceAndBootstrap() {
        // auto: 1% of the longest completed trial's last step (here 299 → 2)
        FakeStudy s = new FakeStudy(Direction.MINIMIZE);
        SuccessiveHalvingPruner auto = new SuccessiveHalvingPruner();
        assertFalse(s.reportAndAsk(auto, 1, 5, 1.0)); // no completed trial yet: no decision
        s.report(0, 299, 1.0);
        s.states.put(0, TrialState.COMPLETE);
        assertFalse(s.reportAndAsk(auto, 2, 1, 1.0)); // step 1 < min resource 2
        assertFalse(s.reportAndAsk(auto, 2, 2, 1.0)); // rung 0 recorded
        assertEquals(1.0, s.attrs.get(2).get("completed_rung_0"));
        // bootstrap: with fewer than bootstrapCount+1 values at a rung, prune
        FakeStudy b = new FakeStudy(Direction.MINIMIZE);
        SuccessiveHalvingPruner boot = new SuccessiveHalvingPruner(1, 2, 0, 1);
        assertTrue(b.reportAndAsk(boot, 0, 1, 1.0));
        assertFalse(b.reportAndAsk(boot, 1, 1, 0.5));
    }

    @Test
    void hyperbandBracketsFollowOptuna() {
        HyperbandPruner h = new HyperbandPruner(1, 27);
        assertEquals(4, h.numBrackets()); // ⌊log3 27⌋ + 1; budgets 27, 12, 6, 4
        // crc32("study_n") mod 49 (binascii.crc32): 38, 14, 32, 6, 19, 35 → brackets 1, 0, 1, 0, 0, 1
        int[] expected = {1, 0, 1, 0, 0, 1, 1, 0};
        for (int n = 0; n < expected.length; n++) assertEquals(expected[n], h.bracketOf("study", n), "trial " + n);
        // bracket 1 has min early-stopping rate 1: its first rung is at step 1·3¹ = 3, and it only competes within the bracket
        FakeStudy s = new FakeStudy(Direction.MINIMIZE);
        assertFalse(s.reportAndAsk(h, 1, 1, 1.0)); // bracket 0, rung 0 at step 1: alone → promoted
        assertFalse(s.reportAndAsk(h, 0, 2, 9.0)); // bracket 1: step 2 < 3
        assertFalse(s.reportAndAsk(h, 0, 3, 9.0)); // bracket 1 rung 0: alone (trial 1 is in bracket 0)
        assertTrue(s.reportAndAsk(h, 2, 3, 10.0)); // bracket 1 rung 0: [9, 10], 2//3−1 → best only
        assertFalse(s.reportAndAsk(h, 3, 1, 0.5)); // bracket 0: [1, 0.5] → 0.5 is the best
    }
}
