package dev.anneal.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.optim.examples.AdaBelief;
import dev.anneal.optim.examples.CentralizedSGD;
import dev.anneal.tensor.Generator;
import dev.anneal.testing.Approx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The extension API: the examples against independent formulas, and the mistakes it prevents. */
class CustomOptimizerTest {
    @Test
    void adaBeliefMatchesThePaperFormula() {
        Generator gen = new Generator(1);
        int n = 10;
        Tensor p = Tensor.randn(gen, n).requiresGrad(true);
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
        AdaBelief opt = new AdaBelief(List.of(p), Map.of("lr", lr, "eps", eps, "weight_decay", wd));
        double[] w = new double[n], m = new double[n], s = new double[n];
        float[] p0 = p.toArray();
        for (int i = 0; i < n; i++) w[i] = p0[i];
        for (int t = 1; t <= 30; t++) {
            float[] g = Tensor.randn(gen, n).toArray();
            p.setGrad(Tensor.of(g, n));
            opt.step();
            for (int i = 0; i < n; i++) {
                // Zhuang et al. 2020, Alg. 2: s_t = β2 s + (1−β2)(g − m_t)² + ε; θ −= α m̂ / (√ŝ + ε); decoupled decay
                w[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                s[i] = b2 * s[i] + (1 - b2) * (g[i] - m[i]) * (g[i] - m[i]) + eps;
                double mHat = m[i] / (1 - Math.pow(b1, t)), sHat = s[i] / (1 - Math.pow(b2, t));
                w[i] -= lr * mHat / (Math.sqrt(sHat) + eps);
            }
        }
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) expected[i] = (float) w[i];
        // the example runs in float32 tensor ops, the formula here in double: 30 steps of float rounding
        Approx.assertClose("AdaBelief after 30 steps", Tensor.of(expected, n), p, 1e-5, 1e-6);
    }

    @Test
    void centralizedSgdIsSgdOnCentralizedGradients() {
        Generator gen = new Generator(2);
        Tensor a = Tensor.randn(gen, 4, 3, 2).requiresGrad(true), bias = Tensor.randn(gen, 4).requiresGrad(true);
        Tensor a2 = a.detach().clone().requiresGrad(true), bias2 = bias.detach().clone().requiresGrad(true);
        CentralizedSGD gc = new CentralizedSGD(List.of(a, bias), Map.of("lr", 0.05, "momentum", 0.9));
        SGD sgd = new SGD(List.of(a2, bias2), Map.of("lr", 0.05, "momentum", 0.9));
        for (int t = 0; t < 20; t++) {
            Tensor ga = Tensor.randn(gen, 4, 3, 2), gb = Tensor.randn(gen, 4);
            a.setGrad(ga);
            bias.setGrad(gb);
            gc.step();
            // by hand: subtract each output row's mean over the other dims; a 1-D bias is left alone
            float[] c = ga.toArray();
            for (int r = 0; r < 4; r++) {
                double mean = 0;
                for (int j = 0; j < 6; j++) mean += c[r * 6 + j];
                mean /= 6;
                for (int j = 0; j < 6; j++) c[r * 6 + j] -= (float) mean;
            }
            a2.setGrad(Tensor.of(c, 4, 3, 2));
            bias2.setGrad(gb);
            sgd.step();
            assertArrayEquals(ga.toArray(), a.grad().toArray(), "the real gradient was centralized in place");
        }
        Approx.assertClose("centralized weight", a2, a, 1e-5);
        Approx.assertClose("bias", bias2, bias, 1e-5);
    }

    /** A deliberately careless optimizer: scribbles on its gradient, records what it sees. */
    static final class Probe extends StatefulOptimizer {
        final List<Boolean> gradModeSeen = new ArrayList<>();
        final List<Long> steps = new ArrayList<>();

        Probe(List<Tensor> params) {
            super(Hyperparameters.of("Probe").number("lr", 0.1, 0), params, Map.of());
        }

        @Override
        protected void update(ParamUpdate u) {
            gradModeSeen.add(GradMode.isEnabled());
            steps.add(u.step());
            u.grad().mulInPlace(1000f);
            Tensor count = u.state("visits");
            count.addInPlace(Tensor.scalar(1f));
            u.setScalar("last_lr", u.option("lr"));
            u.param().addInPlace(u.grad().mul((float) -u.option("lr") / 1000f));
        }
    }

    @Test
    void frameworkGuardsAgainstTheCommonMistakes() {
        Tensor a = Tensor.vector(1f, 2f).requiresGrad(true), b = Tensor.vector(3f).requiresGrad(true);
        Probe opt = new Probe(List.of(a, b));
        Tensor shared = Tensor.vector(0.5f, 0.5f);
        a.setGrad(shared);
        opt.step(); // b has no gradient: skipped, its step count does not advance
        b.setGrad(Tensor.vector(1f));
        opt.step();
        assertArrayEquals(new float[] {0.5f, 0.5f}, shared.toArray(), "the shared gradient was changed");
        assertEquals(List.of(false, false, false), opt.gradModeSeen);
        assertEquals(List.of(1L, 2L, 1L), opt.steps, "per-parameter step counts");
        OptimizerState st = opt.stateDict();
        assertEquals(2L, st.state().get(0).get("step"));
        assertEquals(1L, st.state().get(1).get("step"));
        assertArrayEquals(new float[] {2f, 2f}, ((Tensor) st.state().get(0).get("visits")).toArray());
        assertEquals(0.1, st.state().get(0).get("last_lr"));
        // state belongs to positions, so a fresh optimizer over fresh tensors picks it up
        Probe fresh = new Probe(List.of(Tensor.vector(0f, 0f).requiresGrad(true), Tensor.vector(0f).requiresGrad(true)));
        fresh.loadStateDict(st);
        OptimizerState back = fresh.stateDict();
        assertEquals(2L, back.state().get(0).get("step"));
        assertEquals(0.1, back.state().get(1).get("last_lr"));
        assertArrayEquals(new float[] {2f, 2f}, ((Tensor) back.state().get(0).get("visits")).toArray());
        assertEquals(true, GradMode.isEnabled());
    }

    @Test
    void reservedAndClashingStateNamesAreRejected() {
        Tensor a = Tensor.vector(1f).requiresGrad(true);
        StatefulOptimizer bad = new StatefulOptimizer(Hyperparameters.of("Bad").number("lr", 0.1, 0), List.of(a), Map.of()) {
            @Override
            protected void update(ParamUpdate u) {
                u.state("step");
            }
        };
        a.setGrad(Tensor.vector(1f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::step);
        assertEquals(true, e.getMessage().contains("reserved"), e.getMessage());
    }

    @Test
    void adaBeliefResumesBitForBit() {
        Generator gen = new Generator(9);
        Tensor p = Tensor.randn(gen, 6).requiresGrad(true);
        float[] init = p.toArray();
        AdaBelief a = new AdaBelief(List.of(p));
        List<Tensor> gs = new ArrayList<>();
        for (int t = 0; t < 8; t++) gs.add(Tensor.randn(gen, 6));
        OptimizerState mid = null;
        float[] midP = null;
        for (int t = 0; t < 8; t++) {
            p.setGrad(gs.get(t));
            a.step();
            if (t == 3) {
                mid = a.stateDict();
                midP = p.toArray();
            }
        }
        Tensor q = Tensor.of(midP, 6).requiresGrad(true);
        AdaBelief b = new AdaBelief(List.of(q));
        b.loadStateDict(mid);
        for (int t = 4; t < 8; t++) {
            q.setGrad(gs.get(t));
            b.step();
        }
        assertArrayEquals(p.toArray(), q.toArray());
        assertFalse(java.util.Arrays.equals(init, p.toArray()));
    }
}
