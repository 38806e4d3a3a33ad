package dev.anneal.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every optimizer makes progress on Rosenbrock and a noisy quadratic; lr 0 and zero gradients change nothing. */
class TextbookTest {
    /** name, builder for a parameter list, options for Rosenbrock, lr for the noisy quadratic. */
    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("SGD", (Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>>) o -> p -> new SGD(p, o),
                        Map.of("lr", 1e-3, "momentum", 0.9), 0.1),
                Arguments.of("Adam", (Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>>) o -> p -> new Adam(p, o),
                        Map.of("lr", 0.02), 0.05),
                Arguments.of("AdamW", (Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>>) o -> p -> new AdamW(p, o),
                        Map.of("lr", 0.02), 0.05),
                Arguments.of("Adagrad", (Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>>) o -> p -> new Adagrad(p, o),
                        Map.of("lr", 0.2), 0.5),
                Arguments.of("RMSprop", (Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>>) o -> p -> new RMSprop(p, o),
                        Map.of("lr", 3e-3), 0.01),
                Arguments.of("Adadelta", (Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>>) o -> p -> new Adadelta(p, o),
                        Map.of("lr", 1.0), 1.0),
                Arguments.of("Adamax", (Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>>) o -> p -> new Adamax(p, o),
                        Map.of("lr", 0.05), 0.05),
                Arguments.of("NAdam", (Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>>) o -> p -> new NAdam(p, o),
                        Map.of("lr", 0.02), 0.05),
                Arguments.of("RAdam", (Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>>) o -> p -> new RAdam(p, o),
                        Map.of("lr", 1e-3), 0.05),
                Arguments.of("Lion", (Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>>) o -> p -> new Lion(p, o),
                        Map.of("lr", 3e-3), 0.01));
    }

    static Tensor rosenbrock(Tensor p) {
        Tensor x = p.select(0, 0), y = p.select(0, 1);
        return x.rsub(1f).pow(2f).add(y.sub(x.pow(2f)).pow(2f).mul(100f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void lowersRosenbrockFromOnePointFive(String name, Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>> build,
                                          Map<String, Object> options, double quadraticLr) {
        Tensor p = Tensor.vector(1.5f, 1.5f).requiresGrad(true);
        StatefulOptimizer opt = build.apply(options).apply(List.of(p));
        float start = rosenbrock(p).item();
        float loss = start;
        for (int i = 0; i < 500; i++) {
            loss = opt.step(() -> {
                opt.zeroGrad();
                Tensor l = rosenbrock(p);
                l.backward();
                return l;
            }).item();
        }
        float end = rosenbrock(p).item();
        assertTrue(end < 0.5f && end < start / 100, name + ": Rosenbrock went from " + start + " to " + end + " in 500 steps (at "
                + p + ", last closure loss " + loss + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void lowersNoisyQuadratic(String name, Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>> build,
                              Map<String, Object> options, double quadraticLr) {
        // f(w) = ½ Σ h_i (w_i − c_i)²; gradients carry N(0, 0.1²) noise from a seeded generator
        Generator gen = new Generator(11);
        int n = 16;
        Tensor h = Tensor.rand(gen, n).add(0.5f), c = Tensor.randn(gen, n);
        Tensor w = Tensor.zeros(n).requiresGrad(true);
        Map<String, Object> o = new java.util.HashMap<>(options);
        o.put("lr", quadraticLr);
        StatefulOptimizer opt = build.apply(o).apply(List.of(w));
        Function<Tensor, Float> f = x -> x.detach().sub(c).pow(2f).mul(h).sum().mul(0.5f).item();
        float start = f.apply(w);
        for (int i = 0; i < 300; i++) {
            try (GradMode.NoGrad s = GradMode.noGrad()) {
                w.setGrad(w.detach().sub(c).mul(h).add(Tensor.randn(gen, n).mul(0.1f)));
            }
            opt.step();
        }
        float end = f.apply(w);
        assertTrue(end < start * 0.2f, name + ": noisy quadratic went from " + start + " to " + end + " in 300 steps");
    }

    /** All options that would move a parameter are on: decay, momentum; lr 0 still leaves the group alone. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void groupWithZeroLrIsUnchanged(String name, Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>> build,
                                    Map<String, Object> options, double quadraticLr) {
        Generator gen = new Generator(3);
        Tensor a = Tensor.randn(gen, 3, 5).requiresGrad(true), b = Tensor.randn(gen, 7).requiresGrad(true);
        float[] b0 = b.toArray(), a0 = a.toArray();
        StatefulOptimizer opt = build.apply(options).apply(List.of(a));
        Map<String, Object> frozen = new java.util.HashMap<>(Map.of("lr", 0.0));
        if (opt.hyperparameters().names().contains("weight_decay")) frozen.put("weight_decay", 0.1);
        opt.addParamGroup(List.of(b), frozen);
        for (int i = 0; i < 5; i++) {
            a.setGrad(Tensor.randn(gen, 3, 5));
            b.setGrad(Tensor.randn(gen, 7));
            opt.step();
        }
        assertArrayEquals(b0, b.toArray(), name + ": lr 0 group changed");
        assertTrue(!java.util.Arrays.equals(a0, a.toArray()), name + ": the other group did not move");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void zeroGradientsWithoutDecayChangeNothing(String name, Function<Map<String, Object>, Function<List<Tensor>, StatefulOptimizer>> build,
                                                Map<String, Object> options, double quadraticLr) {
        Tensor a = Tensor.randn(new Generator(5), 4, 3).requiresGrad(true);
        float[] a0 = a.toArray();
        Map<String, Object> noDecay = new java.util.HashMap<>(options);
        noDecay.put("weight_decay", 0.0); // AdamW decays by default
        StatefulOptimizer opt = build.apply(noDecay).apply(List.of(a));
        for (int i = 0; i < 5; i++) {
            a.setGrad(Tensor.zeros(4, 3));
            opt.step();
        }
        assertArrayEquals(a0, a.toArray(), name + ": zero gradients moved the parameter");
    }
}
