package dev.anneal.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Constructor checks and defaults as PyTorch 1.13, groups, zeroGrad, skipping, closures. */
class OptimizerBehaviourTest {
    static Tensor param() {
        return Tensor.vector(1f, -2f, 3f).requiresGrad(true);
    }

    static void assertMessage(Executable e, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) assertTrue(ex.getMessage().contains(p), "message '" + ex.getMessage() + "' lacks '" + p + "'");
    }

    @Test
    void argumentChecksNameOptimizerOptionAndRange() {
        assertMessage(() -> new Adam(List.of(param()), Map.of("beta2", 1.0)), "Adam: invalid beta2: 1.0 (expected 0 <= beta2 < 1)");
        assertMessage(() -> new Adam(List.of(param()), Map.of("beta1", -0.1)), "Adam: invalid beta1: -0.1");
        assertMessage(() -> new AdamW(List.of(param()), Map.of("lr", -1e-3)), "AdamW: invalid lr: -0.001 (expected 0 <= lr)");
        assertMessage(() -> new SGD(List.of(param()), -0.1), "SGD: invalid lr");
        assertMessage(() -> new SGD(List.of(param()), Map.of("momentum", 0.9)), "SGD: option 'lr' is required");
        assertMessage(() -> new SGD(List.of(param()), Map.of("lr", 0.1, "nesterov", true)), "Nesterov momentum requires a momentum and zero dampening");
        assertMessage(() -> new SGD(List.of(param()), Map.of("lr", 0.1, "nesterov", true, "momentum", 0.9, "dampening", 0.1)), "Nesterov");
        assertMessage(() -> new SGD(List.of(param()), Map.of("lr", 0.1, "weight_decay", -1)), "SGD: invalid weight_decay: -1.0");
        assertMessage(() -> new Adagrad(List.of(param()), Map.of("lr_decay", -1)), "Adagrad: invalid lr_decay");
        assertMessage(() -> new Adagrad(List.of(param()), Map.of("initial_accumulator_value", -1)), "initial_accumulator_value");
        assertMessage(() -> new RMSprop(List.of(param()), Map.of("alpha", -0.5)), "RMSprop: invalid alpha");
        assertMessage(() -> new RMSprop(List.of(param()), Map.of("momentum", -0.5)), "RMSprop: invalid momentum");
        assertMessage(() -> new Adadelta(List.of(param()), Map.of("rho", 1.5)), "Adadelta: invalid rho: 1.5 (expected 0 <= rho <= 1)");
        assertMessage(() -> new NAdam(List.of(param()), Map.of("momentum_decay", -1)), "NAdam: invalid momentum_decay");
        assertMessage(() -> new RAdam(List.of(param()), Map.of("eps", -1)), "RAdam: invalid eps");
        assertMessage(() -> new Lion(List.of(param()), Map.of("beta2", 1.0)), "Lion: invalid beta2");
        assertMessage(() -> new Adamax(List.of(param()), Map.of("lr", Double.NaN)), "Adamax: invalid lr: NaN");
        assertMessage(() -> new Adam(List.of(param()), Map.of("betas", 0.9)), "Adam: unknown option 'betas'", "beta1, beta2");
        assertMessage(() -> new Adam(List.of(param()), Map.of("amsgrad", 1)), "option 'amsgrad' must be a boolean");
        assertMessage(() -> new Adam(List.of(param()), Map.of("lr", "fast")), "option 'lr' must be a number");
        Tensor shared = param();
        assertMessage(() -> new Adam(Map.of(), List.of(new ParamGroup(List.of(shared), null), new ParamGroup(List.of(shared), null))),
                "appears in group 0 and group 1");
    }

    @Test
    void defaultsAreTorch113s() {
        Map<String, Object> adam = new Adam(List.of(param())).defaults();
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0, "amsgrad", false, "maximize", false), adam);
        assertEquals(1e-2, new AdamW(List.of(param())).defaults().get("weight_decay"));
        assertEquals(Map.of("lr", 1e-2, "lr_decay", 0.0, "weight_decay", 0.0, "initial_accumulator_value", 0.0, "eps", 1e-10, "maximize", false),
                new Adagrad(List.of(param())).defaults());
        assertEquals(Map.of("lr", 1e-2, "alpha", 0.99, "eps", 1e-8, "weight_decay", 0.0, "momentum", 0.0, "centered", false, "maximize", false),
                new RMSprop(List.of(param())).defaults());
        assertEquals(Map.of("lr", 1.0, "rho", 0.9, "eps", 1e-6, "weight_decay", 0.0, "maximize", false), new Adadelta(List.of(param())).defaults());
        assertEquals(2e-3, new Adamax(List.of(param())).defaults().get("lr"));
        assertEquals(Map.of("lr", 2e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0, "momentum_decay", 4e-3),
                new NAdam(List.of(param())).defaults());
        assertEquals(1e-3, new RAdam(List.of(param())).defaults().get("lr"));
        assertEquals(Map.of("lr", 1e-4, "beta1", 0.9, "beta2", 0.99, "weight_decay", 0.0, "maximize", false), new Lion(List.of(param())).defaults());
        assertEquals(Map.of("lr", 0.5, "momentum", 0.0, "dampening", 0.0, "weight_decay", 0.0, "nesterov", false, "maximize", false),
                new SGD(List.of(param()), 0.5).defaults());
    }

    @Test
    void groupsOverrideDefaultsAndCanBeAddedLater() {
        Tensor a = param(), b = param(), c = param();
        Adam opt = new Adam(Map.of("lr", 0.1, "weight_decay", 0.01),
                List.of(new ParamGroup(List.of(a), Map.of("beta1", 0.5)), new ParamGroup(List.of(b), null)));
        assertEquals(0.5, opt.paramGroups().get(0).getDouble("beta1"));
        assertEquals(0.1, opt.paramGroups().get(0).lr());
        assertEquals(0.9, opt.paramGroups().get(1).getDouble("beta1"));
        assertEquals(0.01, opt.paramGroups().get(1).getDouble("weight_decay"));
        ParamGroup added = opt.addParamGroup(List.of(c), Map.of("lr", 0.3));
        assertSame(added, opt.paramGroups().get(2));
        assertEquals(0.3, added.lr());
        assertEquals(0.01, added.getDouble("weight_decay"));
        assertMessage(() -> opt.addParamGroup(List.of(a), null), "appears in group 0 and group 3");
        assertMessage(() -> opt.addParamGroup(List.of(param()), Map.of("eps", -1.0)), "Adam: invalid eps");
        assertEquals(3, opt.paramGroups().size());
    }

    @Test
    void zeroGradZeroesInPlaceByDefaultLikeTorch113() {
        Tensor a = param();
        SGD opt = new SGD(List.of(a), 0.1);
        a.mul(a).sum().backward();
        Tensor g = a.grad();
        opt.zeroGrad();
        assertSame(g, a.grad());
        assertArrayEquals(new float[3], a.grad().toArray());
        opt.zeroGrad(true);
        assertNull(a.grad());
    }

    @Test
    void paramWithoutGradIsSkippedAndFrozenParamUntouched() {
        Tensor noGrad = param(), frozen = Tensor.vector(1f, 2f, 3f), live = param();
        frozen.setGrad(Tensor.vector(1f, 1f, 1f));
        Adam opt = new Adam(List.of(noGrad, frozen, live), Map.of("lr", 0.1));
        live.setGrad(Tensor.vector(1f, 1f, 1f));
        opt.step();
        assertArrayEquals(new float[] {1f, -2f, 3f}, noGrad.toArray());
        assertArrayEquals(new float[] {1f, 2f, 3f}, frozen.toArray());
        assertArrayEquals(new float[] {0.9f, -2.1f, 2.9f}, live.toArray(), 1e-6f);
        assertEquals(List.of(2), List.copyOf(opt.stateDict().state().keySet()));
    }

    @Test
    void stepWithClosureReturnsItsLossAndEvaluatesOnce() {
        Tensor a = param();
        SGD opt = new SGD(List.of(a), 0.1);
        int[] calls = {0};
        Tensor loss = opt.step(() -> {
            calls[0]++;
            opt.zeroGrad();
            Tensor l = a.mul(a).sum();
            l.backward();
            return l;
        });
        assertEquals(1, calls[0]);
        assertEquals(14f, loss.item());
        assertArrayEquals(new float[] {0.8f, -1.6f, 2.4f}, a.toArray(), 1e-6f);
    }

    @Test
    void stepRunsWithoutRecordingAndRestoresGradMode() {
        Tensor a = param();
        SGD opt = new SGD(List.of(a), 0.1);
        a.setGrad(Tensor.ones(3));
        assertTrue(GradMode.isEnabled());
        opt.step();
        assertTrue(GradMode.isEnabled());
        assertTrue(a.isLeaf());
        // a parameter saved for backward and then updated is reported, as in PyTorch
        Tensor y = a.mul(a).sum();
        opt.step();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().toLowerCase().contains("modified") || e.getMessage().toLowerCase().contains("in place")
                || e.getMessage().toLowerCase().contains("in-place"), e.getMessage());
    }

    @Test
    void schedulerStyleLrChangeTakesEffectAndBadValuesAreCaughtAtStep() {
        Tensor a = param();
        SGD opt = new SGD(List.of(a), 0.1);
        opt.paramGroups().get(0).setLr(0.5);
        a.setGrad(Tensor.ones(3));
        opt.step();
        assertArrayEquals(new float[] {0.5f, -2.5f, 2.5f}, a.toArray());
        opt.paramGroups().get(0).setLr(-1);
        assertMessage(opt::step, "SGD.step: group 0: SGD: invalid lr: -1.0");
        assertArrayEquals(new float[] {0.5f, -2.5f, 2.5f}, a.toArray());
    }
}
