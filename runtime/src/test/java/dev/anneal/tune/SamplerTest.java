package dev.anneal.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.tensor.Generator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {
    @Test
    void gridCoversExactlyTheProductInStableOrder() {
        Map<String, List<?>> grid = new LinkedHashMap<>();
        grid.put("a", List.of(1, 2, 3));
        grid.put("b", List.of("x", "y"));
        Study s = Study.builder().sampler(new GridSampler(grid)).build();
        s.optimize(t -> t.suggestCategorical("a", List.of(1, 2, 3)) + (t.suggestCategorical("b", List.of("x", "y")).equals("x") ? 0 : 10), 100);
        assertEquals(6, s.trials().size()); // stops at the grid's size although 100 were allowed
        List<String> seen = new ArrayList<>();
        for (FrozenTrial t : s.trials()) seen.add(t.params().get("a") + "" + t.params().get("b"));
        assertEquals(List.of("1x", "1y", "2x", "2y", "3x", "3y"), seen);
        assertEquals(1.0, s.bestValue());
    }

    @Test
    void gridOfAConditionalSpaceListsEachConfigurationOnce() {
        SearchSpace space = new SearchSpace()
                .add("optimizer", SearchSpace.choice("sgd", "adam"))
                .add("momentum", SearchSpace.discreteUniform(0.0, 0.9, 0.45), "optimizer", List.of("sgd"))
                .add("layers", SearchSpace.intRange(1, 3, 2));
        List<Map<String, Object>> g = space.grid();
        // sgd: 3 momenta × 2 layer counts; adam: 2 layer counts (no momentum)
        assertEquals(8, g.size());
        assertEquals(Map.of("optimizer", "sgd", "momentum", 0.45, "layers", 3), g.get(3));
        assertEquals(Map.of("optimizer", "adam", "layers", 1), g.get(6));
        Study s = Study.builder().sampler(GridSampler.of(space)).build();
        s.optimize(t -> space.suggest(t).size(), 50);
        Set<Map<String, Object>> got = new HashSet<>();
        for (FrozenTrial t : s.trials()) {
            assertEquals(TrialState.COMPLETE, t.state(), t.error());
            got.add(t.params());
        }
        assertEquals(new HashSet<>(g), got);
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace().add("lr", SearchSpace.logUniform(1e-4, 1)).grid());
    }

    @Test
    void randomIsUniformWithinBounds() {
        Generator g = new Generator(11);
        FloatDistribution u = new FloatDistribution(-1, 3, false);
        int n = 8000;
        int[] bins = new int[4];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double x = RandomSampler.draw(g, u);
            assertTrue(x >= -1 && x < 3, "out of bounds: " + x);
            bins[(int) Math.floor(x + 1)]++;
            sum += x;
        }
        assertEquals(1.0, sum / n, 4 * Math.sqrt(16.0 / 12 / n)); // mean within 4 standard errors
        for (int b : bins) assertEquals(n / 4.0, b, 4 * Math.sqrt(n * 0.25 * 0.75));
    }

    @Test
    void randomIsLogUniformWithinBounds() {
        Generator g = new Generator(12);
        FloatDistribution d = new FloatDistribution(1e-4, 1e-1, true);
        int n = 8000, belowMilli = 0;
        double sumLog = 0;
        for (int i = 0; i < n; i++) {
            double x = RandomSampler.draw(g, d);
            assertTrue(x >= 1e-4 && x <= 1e-1, "out of bounds: " + x);
            sumLog += Math.log10(x);
            if (x < 1e-3) belowMilli++;
        }
        assertEquals(-2.5, sumLog / n, 4 * Math.sqrt(9.0 / 12 / n)); // log10 x uniform on [−4, −1]
        assertEquals(n / 3.0, belowMilli, 4 * Math.sqrt(n * (1 / 3.0) * (2 / 3.0)));
        // log ints follow Optuna's rule: P(k) = ln((k+½)/(k−½)) / ln((high+½)/(low−½)); P(1) on [1, 100] = ln 3 / ln 201
        IntDistribution li = new IntDistribution(1, 100, true, 1);
        int ones = 0;
        for (int i = 0; i < n; i++) {
            double k = RandomSampler.draw(g, li);
            assertTrue(k >= 1 && k <= 100 && k == Math.rint(k));
            if (k == 1) ones++;
        }
        double p1 = Math.log(3) / Math.log(201);
        assertEquals(n * p1, ones, 4 * Math.sqrt(n * p1 * (1 - p1)));
        // stepped values stay on the grid
        for (int i = 0; i < 200; i++) {
            double k = RandomSampler.draw(g, new IntDistribution(3, 20, false, 4)); // 3, 7, 11, 15, 19
            assertEquals(0, ((int) k - 3) % 4);
            assertTrue(k >= 3 && k <= 19);
            double f = RandomSampler.draw(g, new FloatDistribution(0, 1, false, 0.25));
            assertEquals(0, f * 4 - Math.rint(f * 4), 1e-12);
        }
    }

    @Test
    void randomStudiesAreReproducibleFromTheSeed() {
        Objective f = t -> t.suggestFloat("lr", 1e-4, 1e-1, true) + t.suggestInt("units", 16, 256, 16);
        List<Map<String, Object>> a = params(new RandomSampler(5), f), b = params(new RandomSampler(5), f), c = params(new RandomSampler(6), f);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    static List<Map<String, Object>> params(Sampler s, Objective f) {
        Study st = Study.builder().sampler(s).build();
        st.optimize(f, 12);
        List<Map<String, Object>> out = new ArrayList<>();
        for (FrozenTrial t : st.trials()) out.add(t.params());
        return out;
    }

    @Test
    void distributionsCheckTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> new FloatDistribution(1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new FloatDistribution(0, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new IntDistribution(1, 10, true, 2));
        assertThrows(IllegalArgumentException.class, () -> new CategoricalDistribution(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new CategoricalDistribution(List.of(new Object())));
        assertEquals(9, new IntDistribution(1, 10, false, 2).high()); // lowered to the grid, as Optuna
        assertEquals(0.9, new FloatDistribution(0, 1, false, 0.3).high(), 1e-15);
        assertEquals(new CategoricalDistribution(List.of(32, 64)), new CategoricalDistribution(List.of(32L, 64L)));
    }
}
