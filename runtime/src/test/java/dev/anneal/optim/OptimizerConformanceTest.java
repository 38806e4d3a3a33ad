package dev.anneal.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.testing.Approx;
import dev.anneal.testing.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer against PyTorch 1.13 (Lion against the generator's NumPy float32 reference):
 * both parameters after each of 60 steps, then the final state, within 1e-6 relative
 * (tools/reference/gen_optim.py).
 */
class OptimizerConformanceTest {
    private static final Reference REF = Reference.load("optim.txt");
    private static final double RTOL = 1e-6;

    static final Map<String, BiFunction<Map<String, Object>, List<ParamGroup>, StatefulOptimizer>> BUILDERS = new LinkedHashMap<>();
    static final Map<String, Hyperparameters> SPECS = new LinkedHashMap<>();

    static {
        BUILDERS.put("SGD", SGD::new);
        BUILDERS.put("Adam", Adam::new);
        BUILDERS.put("AdamW", AdamW::new);
        BUILDERS.put("Adagrad", Adagrad::new);
        BUILDERS.put("RMSprop", RMSprop::new);
        BUILDERS.put("Adadelta", Adadelta::new);
        BUILDERS.put("Adamax", Adamax::new);
        BUILDERS.put("NAdam", NAdam::new);
        BUILDERS.put("RAdam", RAdam::new);
        BUILDERS.put("Lion", Lion::new);
        SPECS.put("SGD", SGD.SPEC);
        SPECS.put("Adam", Adam.SPEC);
        SPECS.put("AdamW", AdamW.SPEC);
        SPECS.put("Adagrad", Adagrad.SPEC);
        SPECS.put("RMSprop", RMSprop.SPEC);
        SPECS.put("Adadelta", Adadelta.SPEC);
        SPECS.put("Adamax", Adamax.SPEC);
        SPECS.put("NAdam", NAdam.SPEC);
        SPECS.put("RAdam", RAdam.SPEC);
        SPECS.put("Lion", Lion.SPEC);
    }

    static Stream<String> cases() {
        Set<String> out = new LinkedHashSet<>();
        for (String n : REF.names()) if (n.contains("/g0/")) out.add(n.substring(0, n.indexOf('/')));
        return out.stream();
    }

    /** The hyperparameters as written (float32 in the file; the shortest decimal recovers e.g. 0.01 exactly). */
    static Map<String, Object> options(String c, int group) {
        String opt = c.substring(0, c.indexOf('.'));
        Map<String, Object> defaults = SPECS.get(opt).defaults();
        String prefix = c + "/g" + group + "/";
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : REF.names()) {
            if (!n.startsWith(prefix)) continue;
            String key = n.substring(prefix.length());
            float v = REF.scalar(n);
            out.put(key, defaults.get(key) instanceof Boolean ? (Object) (v != 0f) : (Object) Double.parseDouble(Float.toString(v)));
        }
        return out;
    }

    static Tensor ref(String name) {
        return REF.get(name);
    }

    /** g = a·w + b, rounded twice in float32 exactly as the generator does. */
    static void setGradients(Tensor w1, Tensor w2) {
        try (GradMode.NoGrad s = GradMode.noGrad()) {
            w1.setGrad(w1.detach().mul(ref("grad/a1")).add(ref("grad/b1")));
            w2.setGrad(w2.detach().mul(ref("grad/a2")).add(ref("grad/b2")));
        }
    }

    static StatefulOptimizer build(String c, Tensor w1, Tensor w2) {
        String opt = c.substring(0, c.indexOf('.'));
        List<ParamGroup> groups = List.of(new ParamGroup(List.of(w1), options(c, 0)), new ParamGroup(List.of(w2), options(c, 1)));
        return BUILDERS.get(opt).apply(Map.of(), groups);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesReferenceTrajectory(String c) {
        Tensor w1 = ref("init/w1").clone().detach().requiresGrad(true), w2 = ref("init/w2").clone().detach().requiresGrad(true);
        StatefulOptimizer opt = build(c, w1, w2);
        int steps = 0;
        while (REF.has(c + "/p/" + (steps + 1))) {
            steps++;
            setGradients(w1, w2);
            opt.step();
            Tensor both = Tensor.cat(List.of(w1.detach().reshape(-1), w2.detach()), 0);
            Approx.assertClose(c + " step " + steps, ref(c + "/p/" + steps), both, RTOL);
        }
        assertTrue(steps >= 50, c + ": only " + steps + " reference steps");
        OptimizerState st = opt.stateDict();
        for (int pos = 0; pos < 2; pos++) {
            String prefix = c + "/state/" + pos + "/";
            List<String> names = new ArrayList<>();
            for (String n : REF.names()) if (n.startsWith(prefix)) names.add(n.substring(prefix.length()));
            Map<String, Object> mine = st.state().get(pos);
            for (String name : names) {
                Object v = mine.get(name);
                if (name.equals("step")) assertEquals((long) REF.scalar(prefix + name), (long) (Long) mine.get("step"), c + " step");
                else if (v instanceof Tensor t) Approx.assertClose(c + " state " + pos + " " + name, ref(prefix + name), t, RTOL);
                else if (v instanceof Double d) assertEquals(REF.scalar(prefix + name), d, RTOL * Math.abs(d), c + " " + name);
                else throw new AssertionError(c + ": no state '" + name + "' for parameter " + pos + " (have " + mine.keySet() + ")");
            }
        }
    }
}
