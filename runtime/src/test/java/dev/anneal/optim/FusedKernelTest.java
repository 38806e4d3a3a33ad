package dev.anneal.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.OptimizerKernels;
import dev.anneal.kernels.Parallel;
import dev.anneal.tensor.Generator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused kernels (vector or scalar path, split over two threads) against the plain
 * per-element references in {@link ReferenceOptimizers}: identical bits for parameters and state,
 * on a parameter long enough for several parallel chunks and a vector tail; and the copy path
 * for a non-contiguous parameter gives the same bits as the direct path.
 */
class FusedKernelTest {
    private static final int N = 2 * OptimizerKernels.GRAIN + 1037;
    private static final int STEPS = 8;
    private static int savedThreads;

    @BeforeAll
    static void twoThreads() {
        savedThreads = Parallel.threads();
        Parallel.setThreads(2);
    }

    @AfterAll
    static void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** One reference step: arrays p, g, the reference state map (name → array), step number, options. */
    interface RefStep {
        void apply(float[] p, float[] g, Map<String, float[]> st, long step, Map<String, Object> o);
    }

    static double d(Map<String, Object> o, String k) {
        return ((Number) o.get(k)).doubleValue();
    }

    static boolean b(Map<String, Object> o, String k) {
        return (Boolean) o.get(k);
    }

    static float[] arr(Map<String, float[]> st, String name) {
        return st.computeIfAbsent(name, k -> new float[N]);
    }

    static Arguments c(String name, BiFunction<List<Tensor>, Map<String, Object>, StatefulOptimizer> build, Hyperparameters spec,
                       Map<String, Object> options, RefStep ref) {
        Map<String, Object> full = spec.resolve(null, options);
        return Arguments.of(name, build, full, ref);
    }

    static Stream<Arguments> cases() {
        RefStep sgd = (p, g, st, t, o) -> {
            boolean first = !st.containsKey("momentum_buffer");
            ReferenceOptimizers.sgd(p, g, arr(st, "momentum_buffer"), first, d(o, "lr"), d(o, "momentum"), d(o, "dampening"),
                    d(o, "weight_decay"), b(o, "nesterov"), b(o, "maximize"));
        };
        RefStep adam = (p, g, st, t, o) -> ReferenceOptimizers.adam(p, g, arr(st, "exp_avg"), arr(st, "exp_avg_sq"),
                arr(st, "max_exp_avg_sq"), t, d(o, "lr"), d(o, "beta1"), d(o, "beta2"), d(o, "eps"), d(o, "weight_decay"), b(o, "amsgrad"),
                b(o, "maximize"), false);
        RefStep adamw = (p, g, st, t, o) -> ReferenceOptimizers.adam(p, g, arr(st, "exp_avg"), arr(st, "exp_avg_sq"),
                arr(st, "max_exp_avg_sq"), t, d(o, "lr"), d(o, "beta1"), d(o, "beta2"), d(o, "eps"), d(o, "weight_decay"), b(o, "amsgrad"),
                b(o, "maximize"), true);
        RefStep adagrad = (p, g, st, t, o) -> {
            if (!st.containsKey("sum")) java.util.Arrays.fill(arr(st, "sum"), (float) d(o, "initial_accumulator_value"));
            ReferenceOptimizers.adagrad(p, g, st.get("sum"), t, d(o, "lr"), d(o, "lr_decay"), d(o, "weight_decay"), d(o, "eps"),
                    b(o, "maximize"));
        };
        RefStep rmsprop = (p, g, st, t, o) -> ReferenceOptimizers.rmsprop(p, g, arr(st, "square_avg"), arr(st, "grad_avg"),
                arr(st, "momentum_buffer"), d(o, "lr"), d(o, "alpha"), d(o, "eps"), d(o, "weight_decay"), d(o, "momentum"), b(o, "centered"),
                b(o, "maximize"));
        RefStep adadelta = (p, g, st, t, o) -> ReferenceOptimizers.adadelta(p, g, arr(st, "square_avg"), arr(st, "acc_delta"), d(o, "lr"),
                d(o, "rho"), d(o, "eps"), d(o, "weight_decay"), b(o, "maximize"));
        RefStep adamax = (p, g, st, t, o) -> ReferenceOptimizers.adamax(p, g, arr(st, "exp_avg"), arr(st, "exp_inf"), t, d(o, "lr"),
                d(o, "beta1"), d(o, "beta2"), d(o, "eps"), d(o, "weight_decay"), b(o, "maximize"));
        RefStep nadam = (p, g, st, t, o) -> {
            float[] mp = st.computeIfAbsent("mu_product", k -> new float[] {1f});
            mp[0] = ReferenceOptimizers.nadam(p, g, arr(st, "exp_avg"), arr(st, "exp_avg_sq"), mp[0], t, d(o, "lr"), d(o, "beta1"),
                    d(o, "beta2"), d(o, "eps"), d(o, "weight_decay"), d(o, "momentum_decay"));
        };
        RefStep radam = (p, g, st, t, o) -> ReferenceOptimizers.radam(p, g, arr(st, "exp_avg"), arr(st, "exp_avg_sq"), t, d(o, "lr"),
                d(o, "beta1"), d(o, "beta2"), d(o, "eps"), d(o, "weight_decay"));
        RefStep lion = (p, g, st, t, o) -> ReferenceOptimizers.lion(p, g, arr(st, "exp_avg"), d(o, "lr"), d(o, "beta1"), d(o, "beta2"),
                d(o, "weight_decay"), b(o, "maximize"));
        return Stream.of(
                c("SGD plain", SGD::new, SGD.SPEC, Map.of("lr", 0.1), sgd),
                c("SGD momentum dampening decay", SGD::new, SGD.SPEC,
                        Map.of("lr", 0.05, "momentum", 0.9, "dampening", 0.1, "weight_decay", 0.01), sgd),
                c("SGD nesterov maximize", SGD::new, SGD.SPEC, Map.of("lr", 0.05, "momentum", 0.9, "nesterov", true, "maximize", true), sgd),
                c("Adam defaults", Adam::new, Adam.SPEC, Map.of(), adam),
                c("Adam amsgrad decay maximize", Adam::new, Adam.SPEC,
                        Map.of("lr", 0.01, "amsgrad", true, "weight_decay", 0.1, "maximize", true, "beta1", 0.8), adam),
                c("AdamW defaults", AdamW::new, AdamW.SPEC, Map.of(), adamw),
                c("AdamW amsgrad maximize", AdamW::new, AdamW.SPEC, Map.of("lr", 0.01, "amsgrad", true, "weight_decay", 0.3, "maximize", true),
                        adamw),
                c("Adagrad defaults", Adagrad::new, Adagrad.SPEC, Map.of(), adagrad),
                c("Adagrad all options", Adagrad::new, Adagrad.SPEC,
                        Map.of("lr_decay", 0.1, "weight_decay", 0.1, "initial_accumulator_value", 0.1, "maximize", true, "eps", 1e-6), adagrad),
                c("RMSprop defaults", RMSprop::new, RMSprop.SPEC, Map.of(), rmsprop),
                c("RMSprop centered momentum decay maximize", RMSprop::new, RMSprop.SPEC,
                        Map.of("centered", true, "momentum", 0.9, "weight_decay", 0.1, "maximize", true, "alpha", 0.9), rmsprop),
                c("Adadelta defaults", Adadelta::new, Adadelta.SPEC, Map.of(), adadelta),
                c("Adadelta decay maximize", Adadelta::new, Adadelta.SPEC, Map.of("weight_decay", 0.1, "maximize", true, "rho", 0.5), adadelta),
                c("Adamax defaults", Adamax::new, Adamax.SPEC, Map.of(), adamax),
                c("Adamax decay maximize", Adamax::new, Adamax.SPEC, Map.of("weight_decay", 0.1, "maximize", true, "eps", 1e-3), adamax),
                c("NAdam defaults", NAdam::new, NAdam.SPEC, Map.of(), nadam),
                c("NAdam decay", NAdam::new, NAdam.SPEC, Map.of("weight_decay", 0.1, "momentum_decay", 0.01), nadam),
                c("RAdam defaults", RAdam::new, RAdam.SPEC, Map.of(), radam),
                c("RAdam rectified decay", RAdam::new, RAdam.SPEC, Map.of("weight_decay", 0.1, "beta2", 0.9), radam),
                c("Lion defaults", Lion::new, Lion.SPEC, Map.of(), lion),
                c("Lion decay maximize", Lion::new, Lion.SPEC, Map.of("weight_decay", 0.5, "maximize", true, "lr", 1e-3), lion));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fusedAgreesWithReference(String name, BiFunction<List<Tensor>, Map<String, Object>, StatefulOptimizer> build,
                                  Map<String, Object> options, RefStep ref) {
        Generator gen = new Generator(7);
        float[] p0 = Tensor.randn(gen, N).toArray();
        Tensor p = Tensor.of(p0, N).requiresGrad(true);
        // the same updates through the copy path: the parameter is a strided view of a bigger buffer
        Tensor base = Tensor.zeros(N, 2);
        base.select(1, 1).copyFrom(Tensor.of(p0, N));
        Tensor strided = base.select(1, 1).detach().requiresGrad(true);
        StatefulOptimizer opt = build.apply(List.of(p), options);
        StatefulOptimizer optStrided = build.apply(List.of(strided), options);
        float[] rp = p0.clone();
        Map<String, float[]> rs = new HashMap<>();
        for (int t = 1; t <= STEPS; t++) {
            float[] g = Tensor.randn(gen, N).mul(0.5f).toArray();
            p.setGrad(Tensor.of(g, N));
            strided.setGrad(Tensor.of(g, N));
            opt.step();
            optStrided.step();
            ref.apply(rp, g, rs, t, options);
            assertArrayEquals(rp, p.toArray(), name + ": parameter after step " + t);
            assertArrayEquals(rp, strided.toArray(), name + ": strided parameter after step " + t);
        }
        Map<String, Object> st = opt.stateDict().state().get(0);
        for (Map.Entry<String, Object> e : st.entrySet()) {
            if (e.getValue() instanceof Tensor t) assertArrayEquals(rs.get(e.getKey()), t.toArray(), name + ": state " + e.getKey());
            else if (e.getKey().equals("mu_product")) assertArrayEquals(rs.get("mu_product"), new float[] {(float) (double) (Double) e.getValue()});
        }
    }
}
