package dev.anneal.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Save after k steps, rebuild everything from scratch, load, continue: the same bits as never stopping. */
class StateDictTest {
    /** A tiny "model": two parameters built from a seed, as a fresh program would build them. */
    static List<Tensor> model() {
        Generator g = new Generator(42);
        return List.of(Tensor.randn(g, 3, 4).requiresGrad(true), Tensor.randn(g, 5).requiresGrad(true));
    }

    /** Deterministic, parameter-dependent gradients: g = w·w·0.5 − 0.3·step. */
    static void grads(List<Tensor> ps, int step) {
        for (Tensor p : ps) p.setGrad(p.detach().mul(p.detach()).mul(0.5f).sub(0.3f * step));
    }

    static List<ParamGroup> twoGroups(List<Tensor> ps) {
        return List.of(new ParamGroup(List.of(ps.get(0)), Map.of()), new ParamGroup(List.of(ps.get(1)), Map.of("lr", 0.003, "weight_decay", 0.1)));
    }

    static Stream<Arguments> optimizers() {
        List<Arguments> out = new ArrayList<>();
        OptimizerConformanceTest.BUILDERS.forEach((name, b) -> {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("lr", 0.01);
            Hyperparameters spec = OptimizerConformanceTest.SPECS.get(name);
            if (spec.names().contains("momentum")) defaults.put("momentum", 0.9);
            if (spec.names().contains("amsgrad")) defaults.put("amsgrad", true);
            if (spec.names().contains("centered")) defaults.put("centered", true);
            out.add(Arguments.of(name, b, defaults));
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void resumesBitForBit(String name, BiFunction<Map<String, Object>, List<ParamGroup>, StatefulOptimizer> build, Map<String, Object> defaults) {
        int k = 4, total = 9;
        List<Tensor> straight = model();
        StatefulOptimizer a = build.apply(defaults, twoGroups(straight));
        OptimizerState saved = null;
        List<float[]> savedParams = new ArrayList<>();
        for (int s = 1; s <= total; s++) {
            grads(straight, s);
            a.step();
            if (s == k) {
                saved = a.stateDict();
                for (Tensor p : straight) savedParams.add(p.toArray());
            }
        }
        // a new program: build model and optimizer afresh, restore parameters (as a checkpoint would) and the optimizer
        List<Tensor> resumed = model();
        for (int i = 0; i < resumed.size(); i++) resumed.get(i).detach().copyFrom(Tensor.of(savedParams.get(i), resumed.get(i).shape()));
        Map<String, Object> otherDefaults = new LinkedHashMap<>(defaults);
        otherDefaults.put("lr", 0.5); // the loaded options must win
        StatefulOptimizer b = build.apply(otherDefaults, twoGroups(resumed));
        b.loadStateDict(saved);
        assertEquals(0.01, b.paramGroups().get(0).lr());
        assertEquals(0.003, b.paramGroups().get(1).lr());
        for (int s = k + 1; s <= total; s++) {
            grads(resumed, s);
            b.step();
        }
        for (int i = 0; i < resumed.size(); i++)
            assertArrayEquals(straight.get(i).toArray(), resumed.get(i).toArray(), name + ": parameter " + i + " after resuming");
        assertEquals((long) total, b.stateDict().state().get(0).get("step"));
    }

    @Test
    void snapshotIsACopyAndKeyedByPosition() {
        List<Tensor> ps = model();
        Adam opt = new Adam(Map.of(), twoGroups(ps));
        grads(ps, 1);
        opt.step();
        OptimizerState st = opt.stateDict();
        float[] before = ((Tensor) st.state().get(1).get("exp_avg")).toArray();
        grads(ps, 2);
        opt.step();
        assertArrayEquals(before, ((Tensor) st.state().get(1).get("exp_avg")).toArray());
        assertEquals(List.of(0), st.groups().get(0).get("params"));
        assertEquals(List.of(1), st.groups().get(1).get("params"));
        assertEquals(0.1, st.groups().get(1).get("weight_decay"));
        assertEquals(0.9, st.groups().get(0).get("beta1"));
    }

    @Test
    void loadValidatesEverythingBeforeChangingAnything() {
        List<Tensor> ps = model();
        Adam opt = new Adam(Map.of(), twoGroups(ps));
        grads(ps, 1);
        opt.step();
        OptimizerState good = opt.stateDict();
        Adam target = new Adam(Map.of("lr", 0.2), twoGroups(model()));
        OptimizerState before = target.stateDict();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(new SGD(model(), 0.1).stateDict()));
        assertTrue(e.getMessage().contains("saved by SGD"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(new Adam(model()).stateDict()));
        assertTrue(e.getMessage().contains("1 parameter groups, this optimizer has 2"), e.getMessage());

        List<Map<String, Object>> groups = new ArrayList<>(good.groups());
        Map<String, Object> g1 = new LinkedHashMap<>(groups.get(1));
        g1.put("params", List.of(1, 2));
        groups.set(1, g1);
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(new OptimizerState("Adam", groups, good.state())));
        assertTrue(e.getMessage().contains("group 1 has 2 parameters in the state, 1 here"), e.getMessage());

        Map<String, Object> badBeta = new LinkedHashMap<>(good.groups().get(0));
        badBeta.put("beta2", 1.0);
        e = assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(new OptimizerState("Adam", List.of(badBeta, good.groups().get(1)), good.state())));
        assertTrue(e.getMessage().contains("invalid beta2: 1.0 (expected 0 <= beta2 < 1)"), e.getMessage());

        Map<Integer, Map<String, Object>> badShape = new LinkedHashMap<>(good.state());
        Map<String, Object> s1 = new LinkedHashMap<>(badShape.get(1));
        s1.put("exp_avg", Tensor.zeros(4));
        badShape.put(1, s1);
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(new OptimizerState("Adam", good.groups(), badShape)));
        assertTrue(e.getMessage().contains("'exp_avg' of parameter 1 has shape [4], the parameter has shape [5]"), e.getMessage());

        Map<Integer, Map<String, Object>> badStep = new LinkedHashMap<>(good.state());
        Map<String, Object> s0 = new LinkedHashMap<>(badStep.get(0));
        s0.put("step", 3.0);
        badStep.put(0, s0);
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(new OptimizerState("Adam", good.groups(), badStep)));
        assertTrue(e.getMessage().contains("\"step\" as a non-negative Long"), e.getMessage());

        Map<Integer, Map<String, Object>> badPos = new LinkedHashMap<>(good.state());
        badPos.put(7, good.state().get(0));
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(new OptimizerState("Adam", good.groups(), badPos)));
        assertTrue(e.getMessage().contains("position 7, but there are 2 parameters"), e.getMessage());

        OptimizerState after = target.stateDict();
        assertEquals(before.groups(), after.groups());
        assertEquals(before.state(), after.state());
        target.loadStateDict(good);
        assertEquals(0.001, target.paramGroups().get(0).lr());
        assertEquals(2, target.stateDict().state().size());
    }
}
