package dev.anneal.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TPESamplerTest {
    static final ParzenEstimator.Params DEFAULTS = new ParzenEstimator.Params(1.0, true, false, false);

    @Test
    void normalMathMatchesPythonMath() {
        // values from Python's math.erf / math.erfc
        assertEquals(0.5204998778130465, NormalMath.erf(0.5), 1e-15);
        assertEquals(2.2090496998585438e-05, NormalMath.erfc(3), 1e-13 * 2.2e-5);
        assertEquals(2.088487583762545e-45, NormalMath.erfc(10), 1e-13 * 2.1e-45);
        assertEquals(1.842700792949715, NormalMath.erfc(-1), 1e-15);
        assertEquals(0.033894853524689274, NormalMath.erfc(1.5), 1e-15);
        assertEquals(-15.06844609652945, NormalMath.logCdfDiff(5, 6), 1e-11); // log(Q(5) − Q(6)), upper tail kept exact
        assertEquals(Double.NEGATIVE_INFINITY, NormalMath.logCdfDiff(60, 61));
    }

    @Test
    void gammaAndWeightsAreOptunasDefaults() {
        assertEquals(1, TPESampler.defaultGamma(1));
        assertEquals(1, TPESampler.defaultGamma(10));
        assertEquals(2, TPESampler.defaultGamma(11));
        assertEquals(25, TPESampler.defaultGamma(1000));
        assertArrayEquals(new double[] {1, 1, 1}, TPESampler.defaultWeights(3));
        double[] w = TPESampler.defaultWeights(28); // linspace(1/28, 1, 3) then 25 ones
        assertEquals(1.0 / 28, w[0], 1e-15);
        assertEquals((1.0 / 28 + 1) / 2, w[1], 1e-15);
        assertEquals(1.0, w[2], 1e-15);
        assertEquals(1.0, w[27]);
    }

    @Test
    void splitTakesBestCompleteThenFurthestPruned() {
        FakeStudy s = new FakeStudy(Direction.MINIMIZE);
        s.complete(0, 1.0).complete(1, 3.0);
        s.pruned(2, 5.0, 4.0); // last step 1
        s.pruned(3, 9.0, 9.0, 9.0); // last step 2: furthest, ranks first among pruned
        s.pruned(4, 0.1); // last step 0
        List<List<FrozenTrial>> split = TPESampler.split(s.trials(), 3, Direction.MINIMIZE);
        assertEquals(List.of(0, 1, 3), numbers(split.get(0)));
        assertEquals(List.of(2, 4), numbers(split.get(1)));
        assertEquals(List.of(0), numbers(TPESampler.split(s.trials(), 1, Direction.MINIMIZE).get(0)));
        assertEquals(List.of(1), numbers(TPESampler.split(s.trials(), 1, Direction.MAXIMIZE).get(0)));
        // among pruned trials at the same step the better value ranks first
        FakeStudy p = new FakeStudy(Direction.MINIMIZE);
        p.pruned(0, 7.0).pruned(1, 2.0).pruned(2, Double.NaN);
        assertEquals(List.of(1), numbers(TPESampler.split(p.trials(), 1, Direction.MINIMIZE).get(0)));
    }

    static List<Integer> numbers(List<FrozenTrial> ts) {
        List<Integer> n = new ArrayList<>();
        for (FrozenTrial t : ts) n.add(t.number());
        return n;
    }

    @Test
    void parzenBandwidthsFollowTheMagicClipRule() {
        // History on [0, 10]: x = 2 (value 1), 8 (value 3), 5 (value 2); gamma(3) = 1 → below {2}, above {8, 5}.
        FloatDistribution d = new FloatDistribution(0, 10, false);
        FakeStudy s = new FakeStudy(Direction.MINIMIZE);
        s.complete(0, 1.0, Map.of("x", 2.0), Map.of("x", d));
        s.complete(1, 3.0, Map.of("x", 8.0), Map.of("x", d));
        s.complete(2, 2.0, Map.of("x", 5.0), Map.of("x", d));
        TPESampler tpe = new TPESampler(0);
        List<List<FrozenTrial>> split = TPESampler.split(s.trials(), TPESampler.defaultGamma(3), Direction.MINIMIZE);
        ParzenEstimator below = tpe.estimator(split.get(0), Map.of("x", d));
        ParzenEstimator above = tpe.estimator(split.get(1), Map.of("x", d));
        // below: means {2, prior 5}; sorted with bounds 0,2,5,10 → 2's gap to its right neighbour is 3 (endpoint rule),
        // clipped up to range/min(100, 1+1+1) = 10/3; the prior is (5, 10); equal weights
        assertArrayEquals(new double[] {0.5, 0.5}, below.weights, 1e-15);
        assertArrayEquals(new double[] {2, 5}, below.kernels[0].mus, 0);
        assertArrayEquals(new double[] {10.0 / 3, 10}, below.kernels[0].sigmas, 1e-15);
        // above: means {8, 5, prior 5}; sorted 5,5,8 within 0..10 → the first 5 (the observation, stable order)
        // gets its right gap 0, 8 gets max(3, 2) = 3; minimum sigma 10/4 = 2.5
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, above.weights, 1e-15);
        assertArrayEquals(new double[] {8, 5, 5}, above.kernels[0].mus, 0);
        assertArrayEquals(new double[] {3, 2.5, 10}, above.kernels[0].sigmas, 1e-15);
        // log densities of the truncated-normal mixtures at x = 3, from Python's math.erfc
        assertEquals(-2.0341842381830997, below.logPdf(new double[] {3}), 1e-13);
        assertEquals(-2.414976671809163, above.logPdf(new double[] {3}), 1e-13);
    }

    @Test
    void parzenKernelsForStepsLogsCategoricalsAndMultivariate() {
        // int step 2 on [0, 10], one observation 4: bounds widened by step/2; sigma 1 clipped to range/3 = 12/3
        ParzenEstimator i = new ParzenEstimator(new double[][] {{4}}, List.of(new IntDistribution(0, 10, false, 2)), DEFAULTS);
        assertArrayEquals(new double[] {4, 12}, i.kernels[0].sigmas, 1e-15);
        assertEquals(-1.6678744365374636, i.logPdf(new double[] {6}), 1e-13); // mass of [5, 7] under each kernel
        // log float on [1e-4, 1e-1]: kernel in log space, centred at ln 0.01 with sigma clipped to range/3 = ln 10
        ParzenEstimator f = new ParzenEstimator(new double[][] {{0.01}}, List.of(new FloatDistribution(1e-4, 1e-1, true)), DEFAULTS);
        assertEquals(Math.log(0.01), f.kernels[0].mus[0], 1e-15);
        assertEquals(Math.log(10), f.kernels[0].sigmas[0], 1e-14);
        // categorical: each observation row is priorWeight/(n+1) everywhere plus 1 on its choice, normalized; prior row uniform
        ParzenEstimator c = new ParzenEstimator(new double[][] {{0}, {2}, {0}}, List.of(new CategoricalDistribution(List.of("a", "b", "c"))), DEFAULTS);
        assertArrayEquals(new double[] {5.0 / 7, 1.0 / 7, 1.0 / 7}, c.kernels[0].probs[0], 1e-15);
        assertArrayEquals(new double[] {1.0 / 7, 1.0 / 7, 5.0 / 7}, c.kernels[0].probs[1], 1e-15);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, c.kernels[0].probs[3], 1e-15);
        assertEquals(Math.log((5.0 / 7 + 1.0 / 7 + 5.0 / 7 + 1.0 / 3) / 4), c.logPdf(new double[] {0}), 1e-15);
        // multivariate: one bandwidth 0.2·n^(−1/(d+4))·range for every observation (n = 20, d = 2)
        double[][] obs = new double[20][2];
        for (int k = 0; k < 20; k++) obs[k] = new double[] {k / 20.0, 1 - k / 20.0};
        ParzenEstimator m = new ParzenEstimator(obs, List.of(new FloatDistribution(0, 1, false), new FloatDistribution(0, 1, false)),
                new ParzenEstimator.Params(1.0, true, false, true));
        assertEquals(0.12139244620058345, m.kernels[0].sigmas[7], 1e-15);
        assertEquals(0.12139244620058345, m.kernels[1].sigmas[19], 1e-15);
        assertEquals(1.0, m.kernels[1].sigmas[20], 0); // prior
    }

    /** Best value of a minimization study of f over the given space with the sampler. */
    static double best(Sampler sampler, int trials, boolean twoD) {
        Study s = Study.builder().sampler(sampler).pruner(new NopPruner()).build();
        s.optimize(t -> {
            double x = t.suggestFloat("x", -10, 10);
            if (!twoD) return (x - 2) * (x - 2);
            double y = t.suggestFloat("y", -10, 10);
            return (x - 1) * (x - 1) + (y + 3) * (y + 3);
        }, trials);
        return s.bestValue();
    }

    @Test
    void tpeBeatsRandomOnQuadraticsOverSeeds() {
        double tpe1 = 0, rnd1 = 0, tpe2 = 0, rnd2 = 0, mtpe2 = 0;
        int tpeWins = 0;
        for (long seed = 0; seed < 6; seed++) {
            double a = best(new TPESampler(seed), 30, false), b = best(new RandomSampler(seed), 30, false);
            double c = best(new TPESampler(seed), 50, true), d = best(new RandomSampler(seed), 50, true);
            tpe1 += a;
            rnd1 += b;
            tpe2 += c;
            rnd2 += d;
            mtpe2 += best(TPESampler.builder(seed).multivariate(true).build(), 50, true);
            if (a < b) tpeWins++;
            if (c < d) tpeWins++;
        }
        assertTrue(tpe1 < rnd1 / 3, "1-D: TPE " + tpe1 + " vs random " + rnd1);
        assertTrue(tpe2 < rnd2 / 3, "2-D: TPE " + tpe2 + " vs random " + rnd2);
        assertTrue(mtpe2 < rnd2 / 3, "2-D: multivariate TPE " + mtpe2 + " vs random " + rnd2);
        assertTrue(tpeWins >= 10, "TPE won " + tpeWins + " of 12");
    }

    @Test
    void tpeIsReproducibleAndStartsRandom() {
        assertEquals(best(new TPESampler(7), 25, true), best(new TPESampler(7), 25, true));
        // the first nStartupTrials trials are exactly the random sampler's
        Study a = Study.builder().sampler(new TPESampler(3)).build(), b = Study.builder().sampler(new RandomSampler(3)).build();
        Objective f = t -> t.suggestFloat("x", 0, 1) + t.suggestInt("k", 1, 64, true) + t.suggestCategorical("c", List.of(1, 2));
        a.optimize(f, 10);
        b.optimize(f, 10);
        for (int n = 0; n < 10; n++) assertEquals(b.trials().get(n).params(), a.trials().get(n).params());
    }
}
