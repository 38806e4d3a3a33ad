package dev.anneal.tune.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.Linear;
import dev.anneal.nn.Module;
import dev.anneal.nn.loss.Losses;
import dev.anneal.optim.Adam;
import dev.anneal.optim.Optimizer;
import dev.anneal.optim.SGD;
import dev.anneal.testing.Approx;
import dev.anneal.testing.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Masks against torch.nn.utils.prune (tools/reference/gen_prune_distill.py). */
class PruningConformanceTest {
    private static final Reference REF = Reference.load("prune_distill.txt");

    /** A module owning one parameter "weight" holding the reference weights (any rank). */
    static final class Holder extends Module {
        Holder(Tensor w) {
            registerParameter("weight", w);
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    private static Holder holder(String key) {
        return new Holder(REF.get(key).clone().detach());
    }

    @SafeVarargs
    private static void single(String c, Consumer<Module>... steps) {
        Holder m = holder(c + "/w0");
        Tensor w0 = REF.get(c + "/w0");
        for (int i = 0; i < steps.length; i++) {
            steps[i].accept(m);
            assertArrayEquals(REF.get(c + "/mask0_" + i).toArray(), Pruning.mask(m, "weight").toArray(), c + " mask after step " + i);
        }
        assertArrayEquals(REF.get(c + "/final0").toArray(), m.namedParameters().get("weight").toArray(), c + " weight ⊙ mask");
        assertArrayEquals(REF.get(c + "/final0").toArray(), w0.mul(Pruning.mask(m, "weight")).toArray(), c + " is orig ⊙ mask");
    }

    @Test
    void l1UnstructuredByFractionAndCount() {
        single("l1_frac", m -> Pruning.l1Unstructured(m, "weight", 0.3));
        single("l1_count", m -> Pruning.l1Unstructured(m, "weight", 7));
        single("l1_conv", m -> Pruning.l1Unstructured(m, "weight", 0.5));
        single("l1_none", m -> Pruning.l1Unstructured(m, "weight", 0.0));
        single("l1_all", m -> Pruning.l1Unstructured(m, "weight", 1.0));
    }

    @Test
    void fractionsRoundHalfToEvenAsPython() {
        single("l1_round_half_down", m -> Pruning.l1Unstructured(m, "weight", 0.25));
        single("l1_round_half_up", m -> Pruning.l1Unstructured(m, "weight", 0.35));
    }

    @Test
    void lnStructuredAlongEachDim() {
        single("ln_rows", m -> Pruning.lnStructured(m, "weight", 0.5, 2, 0));
        single("ln_cols_l1", m -> Pruning.lnStructured(m, "weight", 2, 1, 1));
        single("ln_conv_out", m -> Pruning.lnStructured(m, "weight", 0.25, 2, 0));
        single("ln_conv_in_inf", m -> Pruning.lnStructured(m, "weight", 1, Double.POSITIVE_INFINITY, 1));
        single("ln_conv_last_neg", m -> Pruning.lnStructured(m, "weight", 1, 3, -1));
    }

    @Test
    void iterativePruningComposesMasksAsPruningContainer() {
        single("iter_l1", m -> Pruning.l1Unstructured(m, "weight", 0.5), m -> Pruning.l1Unstructured(m, "weight", 0.5),
                m -> Pruning.l1Unstructured(m, "weight", 3));
        single("iter_ln", m -> Pruning.lnStructured(m, "weight", 0.25, 2, 0), m -> Pruning.lnStructured(m, "weight", 0.5, 2, 0),
                m -> Pruning.lnStructured(m, "weight", 1, 2, 1));
        single("iter_mixed", m -> Pruning.l1Unstructured(m, "weight", 0.4), m -> Pruning.lnStructured(m, "weight", 0.5, 2, 0));
    }

    @Test
    void globalUnstructuredOverSeveralParametersRepeatedly() {
        List<Holder> mods = new ArrayList<>();
        List<PruneTarget> targets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mods.add(holder("global/w" + i));
            targets.add(PruneTarget.weight(mods.get(i)));
        }
        Pruning.globalUnstructured(targets, 0.6);
        check(mods, 0);
        Pruning.globalUnstructured(targets, 0.5);
        check(mods, 1);
        Pruning.globalUnstructured(targets, 10);
        check(mods, 2);
        SparsityReport r = SparsityReport.of(targets);
        assertTrue(r.global().zeros() == 58 + 19 + 10, r.toString());
    }

    private static void check(List<Holder> mods, int step) {
        for (int i = 0; i < mods.size(); i++) {
            Tensor expected = REF.get("global/mask" + i + "_" + step);
            assertArrayEquals(expected.toArray(), Pruning.mask(mods.get(i), "weight").toArray(), "global mask " + i + " step " + step);
            assertArrayEquals(REF.get("global/w" + i).mul(expected).toArray(), mods.get(i).namedParameters().get("weight").toArray());
        }
    }

    @Test
    void worksOnLinearLayersToo() {
        Tensor w = REF.get("ln_rows/w0");
        Linear lin = new Linear(w.clone().detach(), Tensor.zeros(6));
        assertFalse(Pruning.isPruned(lin));
        Pruning.lnStructured(lin, "weight", 0.5, 2, 0);
        assertTrue(Pruning.isPruned(lin) && Pruning.isPruned(lin, "weight") && !Pruning.isPruned(lin, "bias"));
        assertArrayEquals(REF.get("ln_rows/final0").toArray(), lin.weight().toArray());
        // the pruned output neurons give exactly the bias (zero here)
        Tensor y = lin.invoke(Tensor.ones(1, 5));
        float[] mask = Pruning.mask(lin, "weight").toArray();
        for (int o = 0; o < 6; o++) if (mask[o * 5] == 0f) assertTrue(y.item(0, o) == 0f, "neuron " + o);
    }

    /**
     * Training after pruning against PyTorch's weight_orig + forward pre-hook: masking gradients before each
     * step and re-applying the mask after it gives the same effective weights, for SGD with momentum and
     * weight decay and for Adam with weight decay.
     */
    @Test
    void trainingAPrunedLayerMatchesPyTorch() {
        Map<String, Function<List<Tensor>, Optimizer>> opts = Map.of(
                "train_sgd", ps -> new SGD(ps, Map.of("lr", 0.05, "momentum", 0.9, "weight_decay", 0.1)),
                "train_adam", ps -> new Adam(ps, Map.of("lr", 0.01, "weight_decay", 0.1)));
        for (Map.Entry<String, Function<List<Tensor>, Optimizer>> c : opts.entrySet()) {
            String k = c.getKey();
            Linear lin = new Linear(REF.get(k + "/w0").clone().detach(), REF.get(k + "/b0").clone().detach());
            Pruning.l1Unstructured(lin, "weight", 0.4);
            Pruning.lnStructured(lin, "weight", 1, 2, 0);
            assertArrayEquals(REF.get(k + "/mask").toArray(), Pruning.mask(lin, "weight").toArray(), k + " mask");
            Optimizer opt = c.getValue().apply(lin.parameters());
            Tensor xs = REF.get(k + "/x"), ys = REF.get(k + "/y");
            for (int step = 0; step < xs.size(0); step++) {
                opt.zeroGrad();
                Losses.mseLoss(lin.invoke(xs.select(0, step)), ys.select(0, step)).backward();
                Pruning.step(lin, opt);
            }
            Approx.assertClose(k + " weight", REF.get(k + "/weight"), lin.weight(), 1e-5, 1e-6);
            Approx.assertClose(k + " bias", REF.get(k + "/bias"), lin.bias(), 1e-5, 1e-6);
            float[] w = lin.weight().toArray(), m = Pruning.mask(lin, "weight").toArray();
            for (int i = 0; i < w.length; i++) if (m[i] == 0f) assertTrue(w[i] == 0f, k + " pruned entry " + i + " is " + w[i]);
        }
    }
}
