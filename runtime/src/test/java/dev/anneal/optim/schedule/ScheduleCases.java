package dev.anneal.optim.schedule;

import dev.anneal.optim.ParamGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The scheduler cases of tools/reference/gen_schedules.py, built by name on a fresh TestOptimizer. */
final class ScheduleCases {
    private ScheduleCases() {}

    static final List<String> NAMES = List.of("step_a", "step_b", "multistep_a", "multistep_b", "exp_a", "poly_a", "poly_b",
            "linear_a", "linear_b", "linear_c", "const_a", "const_b", "cos_a", "cos_b", "cos_resume", "cawr_a", "cawr_b", "cawr_frac4",
            "cawr_frac3", "onecycle_cos", "onecycle_lin3", "onecycle_nomom", "onecycle_cos3", "cyclic_tri", "cyclic_tri2", "cyclic_exp",
            "cyclic_custom_cycle", "cyclic_custom_iter", "lambda_a", "lambda_b", "mult_a", "mult_b", "seq_a", "seq_b", "seq_c",
            "chain_a", "chain_b", "plateau_min_rel", "plateau_max_abs", "plateau_eps", "plateau_cool");

    static final int STEPS = 210;

    /** A built case: its optimizer, how to take call number t, and its state. */
    static final class Run {
        final String name;
        final TestOptimizer opt;
        final Object scheduler;
        private final float[] metric;

        Run(String name, TestOptimizer opt, Object scheduler, float[] metric) {
            this.name = name;
            this.opt = opt;
            this.scheduler = scheduler;
            this.metric = metric;
        }

        /** The number of scheduler calls the reference makes. */
        int calls() {
            if (name.startsWith("cawr_frac")) {
                int iters = iters();
                return (STEPS / iters) * iters + 10;
            }
            return STEPS;
        }

        private int iters() {
            return name.charAt(name.length() - 1) - '0';
        }

        /** Scheduler call number t (0-based), as the generator makes it. */
        void step(int t) {
            if (scheduler instanceof ReduceLROnPlateau p) {
                p.step(metric[t]);
            } else if (name.startsWith("cawr_frac") && t < (STEPS / iters()) * iters()) {
                int iters = iters();
                ((CosineAnnealingWarmRestarts) scheduler).step(t / iters + (double) (t % iters) / iters);
            } else {
                ((LRScheduler) scheduler).step();
            }
        }

        List<Double> lastLr() {
            return scheduler instanceof ReduceLROnPlateau p ? p.getLastLr() : ((LRScheduler) scheduler).getLastLr();
        }

        double[] lrs() {
            return option("lr");
        }

        boolean cyclesMomentum() {
            return name.startsWith("onecycle") || name.startsWith("cyclic");
        }

        double[] momenta() {
            return option(name.equals("onecycle_cos") ? "beta1" : "momentum");
        }

        double[] option(String key) {
            List<ParamGroup> gs = opt.paramGroups();
            double[] v = new double[gs.size()];
            for (int i = 0; i < v.length; i++) v[i] = gs.get(i).getDouble(key);
            return v;
        }

        Map<String, Object> stateDict() {
            return scheduler instanceof ReduceLROnPlateau p ? p.stateDict() : ((LRScheduler) scheduler).stateDict();
        }

        void loadStateDict(Map<String, Object> s) {
            if (scheduler instanceof ReduceLROnPlateau p) p.loadStateDict(s);
            else ((LRScheduler) scheduler).loadStateDict(s);
        }
    }

    static Run build(String name, float[] metric) {
        TestOptimizer o = name.equals("onecycle_cos") ? TestOptimizer.adam() : TestOptimizer.sgd();
        return new Run(name, o, make(name, o), metric);
    }

    private static Object make(String name, TestOptimizer o) {
        switch (name) {
            case "step_a": return new StepLR(o, 30, 0.1);
            case "step_b": return new StepLR(o, 7, 0.5);
            case "multistep_a": return new MultiStepLR(o, new int[] {30, 80, 150}, 0.1);
            case "multistep_b": return new MultiStepLR(o, new int[] {10, 10, 50, 51}, 0.5);
            case "exp_a": return new ExponentialLR(o, 0.98);
            case "poly_a": return new PolynomialLR(o, 100, 1.0);
            case "poly_b": return new PolynomialLR(o, 150, 2.5);
            case "linear_a": return new LinearLR(o);
            case "linear_b": return new LinearLR(o, 0.1, 1.0, 50);
            case "linear_c": return new LinearLR(o, 1.0, 0.2, 120);
            case "const_a": return new ConstantLR(o);
            case "const_b": return new ConstantLR(o, 0.25, 40);
            case "cos_a": return new CosineAnnealingLR(o, 50);
            case "cos_b": return new CosineAnnealingLR(o, 37, 0.001);
            case "cos_resume":
                new StepLR(o, 5); // stores initial_lr
                return new CosineAnnealingLR(o, 60, 1e-4, 10);
            case "cawr_a": return new CosineAnnealingWarmRestarts(o, 10);
            case "cawr_b": return new CosineAnnealingWarmRestarts(o, 5, 2, 1e-3);
            case "cawr_frac4": return new CosineAnnealingWarmRestarts(o, 3, 2, 1e-4);
            case "cawr_frac3": return new CosineAnnealingWarmRestarts(o, 4, 1, 0.0);
            case "onecycle_cos": return OneCycleLR.builder(o).maxLr(0.5, 0.05).totalSteps(STEPS).build();
            case "onecycle_lin3":
                return OneCycleLR.builder(o).maxLr(1.0).epochs(21).stepsPerEpoch(10).pctStart(0.25).annealStrategy("linear")
                        .threePhase(true).baseMomentum(0.8, 0.7).maxMomentum(0.95, 0.9).divFactor(10.0).finalDivFactor(100.0).build();
            case "onecycle_nomom": return OneCycleLR.builder(o).maxLr(0.3).totalSteps(STEPS + 5).pctStart(0.4).cycleMomentum(false).build();
            case "onecycle_cos3": return OneCycleLR.builder(o).maxLr(0.4, 0.2).totalSteps(STEPS).threePhase(true).build();
            case "cyclic_tri": return CyclicLR.builder(o).baseLr(0.01, 0.001).maxLr(0.1, 0.01).stepSizeUp(20).build();
            case "cyclic_tri2":
                return CyclicLR.builder(o).baseLr(0.01).maxLr(0.1).stepSizeUp(15).stepSizeDown(25).mode("triangular2")
                        .baseMomentum(0.8, 0.75).maxMomentum(0.9, 0.95).build();
            case "cyclic_exp":
                return CyclicLR.builder(o).baseLr(0.005).maxLr(0.2, 0.05).stepSizeUp(10).mode("exp_range").gamma(0.99).cycleMomentum(false).build();
            case "cyclic_custom_cycle":
                return CyclicLR.builder(o).baseLr(0.01).maxLr(0.1).stepSizeUp(12).scaleFn(x -> 1.0 / (1.0 + 0.5 * (x - 1))).scaleMode("cycle").build();
            case "cyclic_custom_iter":
                return CyclicLR.builder(o).baseLr(0.01).maxLr(0.1).stepSizeUp(9).stepSizeDown(4).scaleFn(x -> 1.0 / (1.0 + 0.01 * x))
                        .scaleMode("iterations").build();
            case "lambda_a": return new LambdaLR(o, List.of(e -> Math.pow(0.95, e), e -> 1.0 / (1.0 + 0.05 * e)));
            case "lambda_b": return new LambdaLR(o, e -> Math.pow(0.5, e / 40));
            case "mult_a": return new MultiplicativeLR(o, e -> 0.98);
            case "mult_b": return new MultiplicativeLR(o, List.of(e -> 0.99, e -> e % 50 == 0 ? 0.5 : 1.0));
            case "seq_a": return new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1.0, 10), new CosineAnnealingLR(o, 100)), new int[] {10});
            case "seq_b":
                return new SequentialLR(o, List.of(new ConstantLR(o, 0.5, 20), new ExponentialLR(o, 0.97), new StepLR(o, 20, 0.5)),
                        new int[] {30, 120});
            case "seq_c":
                return new SequentialLR(o, List.of(new LinearLR(o, 0.2, 1.0, 5), new CosineAnnealingWarmRestarts(o, 20, 2, 0.0)), new int[] {5});
            case "chain_a": return new ChainedScheduler(List.of(new ConstantLR(o, 0.1, 5), new ExponentialLR(o, 0.97)));
            case "chain_b":
                return new ChainedScheduler(List.of(new LinearLR(o, 0.25, 1.0, 20), new CosineAnnealingLR(o, 80),
                        new MultiStepLR(o, new int[] {60, 90}, 0.5)));
            case "plateau_min_rel": return ReduceLROnPlateau.builder(o).mode("min").factor(0.5).patience(5).build();
            case "plateau_max_abs":
                return ReduceLROnPlateau.builder(o).mode("max").factor(0.3).patience(2).threshold(0.01).thresholdMode("abs").cooldown(3)
                        .minLr(0.001, 0.0001).build();
            case "plateau_eps":
                return ReduceLROnPlateau.builder(o).mode("min").factor(0.1).patience(0).thresholdMode("abs").minLr(1e-3).eps(1e-2).build();
            case "plateau_cool": return ReduceLROnPlateau.builder(o).mode("min").threshold(0.1).cooldown(5).patience(3).build();
            default: throw new IllegalArgumentException("unknown case " + name);
        }
    }

    /** Copies every option of every group (what an optimizer's state dict would carry). */
    static List<Map<String, Object>> groupOptions(TestOptimizer o) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ParamGroup g : o.paramGroups()) out.add(g.options());
        return out;
    }

    static void restoreGroupOptions(TestOptimizer o, List<Map<String, Object>> options) {
        for (int i = 0; i < options.size(); i++) {
            ParamGroup g = o.paramGroups().get(i);
            options.get(i).forEach(g::set);
        }
    }
}
