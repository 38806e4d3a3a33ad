package dev.anneal.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Step k, save, rebuild, load, continue: the lrs equal those of the uninterrupted run, bit for bit. */
class ScheduleStateDictTest {
    static Stream<String> cases() {
        return ScheduleCases.NAMES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resumesExactly(String name) {
        float[] metric = ScheduleConformanceTest.metric(name);
        ScheduleCases.Run straight = ScheduleCases.build(name, metric);
        int calls = straight.calls();
        double[][] lrs = new double[calls][], moms = new double[calls][];
        for (int t = 0; t < calls; t++) {
            straight.step(t);
            lrs[t] = straight.lrs();
            if (straight.cyclesMomentum()) moms[t] = straight.momenta();
        }
        for (int k : new int[] {1, calls / 3, calls - 7}) {
            ScheduleCases.Run first = ScheduleCases.build(name, metric);
            for (int t = 0; t < k; t++) first.step(t);
            Map<String, Object> state = first.stateDict();
            assertPlain(name, state);
            List<Map<String, Object>> options = ScheduleCases.groupOptions(first.opt);
            for (int t = k; t < calls; t++) first.step(t); // the saved map must not follow the scheduler

            ScheduleCases.Run resumed = ScheduleCases.build(name, metric);
            ScheduleCases.restoreGroupOptions(resumed.opt, options);
            resumed.loadStateDict(state);
            for (int t = k; t < calls; t++) {
                resumed.step(t);
                assertArrayEquals(lrs[t], resumed.lrs(), 0.0, name + ": lr after call " + t + " resumed at " + k);
                if (resumed.cyclesMomentum())
                    assertArrayEquals(moms[t], resumed.momenta(), 0.0, name + ": momentum after call " + t + " resumed at " + k);
            }
        }
    }

    /** Values are Double, Integer, Long, Boolean, String, or lists of those (maps for nested schedulers). */
    private static void assertPlain(String where, Object v) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertTrue(e.getKey() instanceof String, where + ": key " + e.getKey());
                assertPlain(where + "." + e.getKey(), e.getValue());
            }
        } else if (v instanceof List<?> l) {
            for (Object o : l) assertPlain(where + "[]", o);
        } else {
            assertTrue(v instanceof Double || v instanceof Integer || v instanceof Long || v instanceof Boolean || v instanceof String,
                    where + " has a value of type " + (v == null ? "null" : v.getClass().getSimpleName()));
        }
    }

    @Test
    void badStateChangesNothing() {
        TestOptimizer o = TestOptimizer.sgd();
        StepLR s = new StepLR(o, 3, 0.5);
        for (int i = 0; i < 4; i++) s.step();
        Map<String, Object> before = s.stateDict();
        Map<String, Object> bad = new LinkedHashMap<>(before);
        bad.put("last_epoch", 99);
        bad.remove("gamma");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(bad));
        assertTrue(e.getMessage().contains("StepLR") && e.getMessage().contains("'gamma'"), e.getMessage());
        assertEquals(before, s.stateDict());

        Map<String, Object> wrongType = new LinkedHashMap<>(before);
        wrongType.put("step_size", "three");
        e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(wrongType));
        assertTrue(e.getMessage().contains("step_size"), e.getMessage());
        assertEquals(before, s.stateDict());
    }

    @Test
    void badNestedStateChangesNothing() {
        TestOptimizer o = TestOptimizer.sgd();
        SequentialLR s = new SequentialLR(o, List.of(new LinearLR(o, 0.5, 1.0, 4), new ExponentialLR(o, 0.9)), new int[] {4});
        for (int i = 0; i < 6; i++) s.step();
        Map<String, Object> before = s.stateDict();
        Map<String, Object> other = new SequentialLR(o, List.of(new LinearLR(o, 0.5, 1.0, 4), new ExponentialLR(o, 0.9)), new int[] {4})
                .stateDict();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> children = (List<Map<String, Object>>) other.get("_schedulers");
        children.get(1).remove("gamma"); // the first child loads, the second fails
        assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(other));
        assertEquals(before, s.stateDict());
    }
}
