package dev.anneal.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Construction checks, initial_lr, resuming, closed-form jumps and other documented behaviour. */
class SchedulerBehaviourTest {
    private static void assertError(Class<? extends Throwable> type, Executable e, String... fragments) {
        Throwable t = assertThrows(type, e);
        for (String f : fragments) assertTrue(t.getMessage().contains(f), "message '" + t.getMessage() + "' lacks '" + f + "'");
    }

    @Test
    void storesInitialLrAndKeepsAnExistingOne() {
        TestOptimizer o = TestOptimizer.sgd();
        new ExponentialLR(o, 0.5);
        assertEquals(0.1, o.paramGroups().get(0).getDouble("initial_lr"));
        assertEquals(0.02, o.paramGroups().get(1).getDouble("initial_lr"));
        o.paramGroups().get(0).setLr(0.3);
        StepLR s = new StepLR(o, 2);
        assertEquals(List.of(0.1, 0.02), s.baseLrs()); // setdefault: the first scheduler's base lr stays
        assertEquals(List.of(0.3, 0.02), s.getLastLr()); // chainable: the current lr is kept at step 0
        assertEquals(0, s.lastEpoch());
    }

    @Test
    void resumingNeedsInitialLr() {
        assertError(IllegalArgumentException.class, () -> new StepLR(TestOptimizer.sgd(), 3, 0.1, 5), "initial_lr", "param group 0", "lastEpoch=5");
        assertError(IllegalArgumentException.class, () -> new ExponentialLR(TestOptimizer.sgd(), 0.9, -2), "lastEpoch");
        TestOptimizer o = TestOptimizer.sgd();
        new StepLR(o, 3);
        StepLR resumed = new StepLR(o, 3, 0.1, 5);
        assertEquals(6, resumed.lastEpoch());
        assertEquals(0.1 * 0.1, o.paramGroups().get(0).lr(), 1e-15); // epoch 6 is a multiple of 3: one chainable decay
    }

    @Test
    void stepToEpochUsesTheClosedForm() {
        TestOptimizer o = TestOptimizer.sgd();
        StepLR s = new StepLR(o, 10, 0.5);
        s.step(35);
        assertEquals(0.1 * 0.125, o.paramGroups().get(0).lr(), 1e-15);
        assertEquals(35, s.lastEpoch());
        s.step();
        assertEquals(0.1 * 0.125, o.paramGroups().get(0).lr(), 1e-15);
        CosineAnnealingLR c = new CosineAnnealingLR(TestOptimizer.sgd(), 10, 0.01);
        c.step(5);
        assertEquals(0.01 + (0.1 - 0.01) / 2, c.getLastLr().get(0), 1e-15);
    }

    @Test
    void chainableSchedulersMultiply() {
        TestOptimizer o = TestOptimizer.sgd();
        ExponentialLR a = new ExponentialLR(o, 0.5);
        StepLR b = new StepLR(o, 2, 0.1);
        for (int i = 0; i < 4; i++) {
            a.step();
            b.step();
        }
        assertEquals(0.02 * Math.pow(0.5, 4) * 0.01, o.paramGroups().get(1).lr(), 1e-17);
    }

    @Test
    void warmRestartsAcceptFractionalEpochs() {
        TestOptimizer o = TestOptimizer.sgd();
        CosineAnnealingWarmRestarts s = new CosineAnnealingWarmRestarts(o, 4, 2, 0.0);
        s.step(5.0); // 1 step into the second period of length 8
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 1 / 8)) / 2, o.paramGroups().get(0).lr(), 1e-15);
        assertEquals(5, s.lastEpoch());
        s.step(2.5);
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 2.5 / 4)) / 2, o.paramGroups().get(0).lr(), 1e-15);
        assertEquals(2, s.lastEpoch());
        assertError(IllegalArgumentException.class, () -> s.step(-1.0), "non-negative", "-1.0");
    }

    @Test
    void constructorChecks() {
        TestOptimizer o = TestOptimizer.sgd();
        assertError(IllegalArgumentException.class, () -> new StepLR(o, 0), "StepLR", "stepSize", "0");
        assertError(IllegalArgumentException.class, () -> new ConstantLR(o, 1.5, 3), "ConstantLR", "factor", "1.5");
        assertError(IllegalArgumentException.class, () -> new LinearLR(o, 0.0, 1.0, 5), "LinearLR", "startFactor");
        assertError(IllegalArgumentException.class, () -> new LinearLR(o, 0.5, 1.2, 5), "LinearLR", "endFactor", "1.2");
        assertError(IllegalArgumentException.class, () -> new CosineAnnealingLR(o, 0), "CosineAnnealingLR", "tMax");
        assertError(IllegalArgumentException.class, () -> new CosineAnnealingWarmRestarts(o, 0), "t0", "0");
        assertError(IllegalArgumentException.class, () -> new CosineAnnealingWarmRestarts(o, 3, 0, 0.0), "tMult", "0");
        assertError(IllegalArgumentException.class, () -> new PolynomialLR(o, 0, 1.0), "PolynomialLR", "totalIters");
        assertError(IllegalArgumentException.class, () -> new LambdaLR(o, List.of(e -> 1.0)), "LambdaLR", "expected 2", "got 1");
        assertError(IllegalArgumentException.class, () -> new MultiplicativeLR(o, List.of(e -> 1.0, e -> 1.0, e -> 1.0)), "expected 2", "got 3");
        assertError(IllegalArgumentException.class, () -> OneCycleLR.builder(o).maxLr(0.1).build(), "totalSteps", "epochs");
        assertError(IllegalArgumentException.class, () -> OneCycleLR.builder(o).maxLr(0.1).totalSteps(0).build(), "totalSteps", "0");
        assertError(IllegalArgumentException.class, () -> OneCycleLR.builder(o).maxLr(0.1).epochs(3).build(), "stepsPerEpoch");
        assertError(IllegalArgumentException.class, () -> OneCycleLR.builder(o).maxLr(0.1).totalSteps(10).pctStart(1.5).build(), "pctStart", "1.5");
        assertError(IllegalArgumentException.class, () -> OneCycleLR.builder(o).maxLr(0.1).totalSteps(10).annealStrategy("exp").build(),
                "annealStrategy", "exp");
        assertError(IllegalArgumentException.class, () -> OneCycleLR.builder(o).maxLr(0.1, 0.2, 0.3).totalSteps(10).build(),
                "maxLr", "expected 2", "got 3");
        TestOptimizer plain = new TestOptimizer().group(TestOptimizer.opts("lr", 0.1));
        assertError(IllegalArgumentException.class, () -> OneCycleLR.builder(plain).maxLr(0.1).totalSteps(10).build(), "momentum", "beta1");
        assertError(IllegalArgumentException.class, () -> CyclicLR.builder(plain).baseLr(0.01).maxLr(0.1).build(), "CyclicLR", "momentum");
        assertError(IllegalArgumentException.class, () -> CyclicLR.builder(o).baseLr(0.01).maxLr(0.1).mode("square").build(), "mode", "square");
        assertError(IllegalArgumentException.class, () -> ReduceLROnPlateau.builder(o).factor(1.0).build(), "factor", "< 1.0");
        assertError(IllegalArgumentException.class, () -> ReduceLROnPlateau.builder(o).mode("avg").build(), "mode", "avg");
        assertError(IllegalArgumentException.class, () -> ReduceLROnPlateau.builder(o).thresholdMode("pct").build(), "thresholdMode", "pct");
        assertError(IllegalArgumentException.class, () -> ReduceLROnPlateau.builder(o).minLr(0.1, 0.2, 0.3).build(), "minLr", "expected 2");
        TestOptimizer other = TestOptimizer.sgd();
        assertError(IllegalArgumentException.class, () -> new SequentialLR(o, List.of(new StepLR(o, 2), new StepLR(other, 2)), new int[] {3}),
                "SequentialLR", "scheduler 1");
        assertError(IllegalArgumentException.class, () -> new SequentialLR(o, List.of(new StepLR(o, 2), new StepLR(o, 2)), new int[] {3, 4}),
                "SequentialLR", "2 schedulers", "2 milestones");
        assertError(IllegalArgumentException.class, () -> new ChainedScheduler(List.of(new StepLR(o, 2), new StepLR(other, 2))),
                "ChainedScheduler", "0 and 1");
    }

    @Test
    void oneCycleStopsAfterTotalSteps() {
        OneCycleLR s = OneCycleLR.builder(TestOptimizer.sgd()).maxLr(0.1).totalSteps(5).build();
        for (int i = 0; i < 5; i++) s.step();
        assertError(IllegalStateException.class, s::step, "OneCycleLR", "7 times", "total steps is 5");
    }

    @Test
    void oneCycleCyclesBeta1() {
        TestOptimizer o = TestOptimizer.adam();
        OneCycleLR s = OneCycleLR.builder(o).maxLr(1.0).totalSteps(10).pctStart(0.5).build();
        assertEquals(0.95, o.paramGroups().get(0).getDouble("beta1"), 1e-15);
        for (int i = 0; i < 4; i++) s.step(); // the peak: end of phase one at step 4
        assertEquals(0.85, o.paramGroups().get(1).getDouble("beta1"), 1e-15);
        assertEquals(1.0, o.paramGroups().get(1).lr(), 1e-15);
        assertEquals(0.99, o.paramGroups().get(1).getDouble("beta2"));
    }

    @Test
    void plateauReducesAfterPatienceAndRespectsMinLr() {
        TestOptimizer o = TestOptimizer.sgd();
        ReduceLROnPlateau s = ReduceLROnPlateau.builder(o).factor(0.5).patience(1).minLr(0.06, 0.0).build();
        assertEquals(List.of(0.1, 0.02), s.getLastLr());
        s.step(1.0);
        s.step(1.0);
        assertEquals(List.of(0.1, 0.02), s.getLastLr());
        s.step(1.0); // second bad epoch > patience 1
        assertEquals(List.of(0.06, 0.01), s.getLastLr());
        assertEquals(1.0, s.best());
        assertEquals(3, s.lastEpoch());
    }
}
