package dev.anneal.tune.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.data.DataLoader;
import dev.anneal.data.TensorDataset;
import dev.anneal.nn.Conv2d;
import dev.anneal.nn.Linear;
import dev.anneal.nn.Module;
import dev.anneal.nn.ReLU;
import dev.anneal.nn.Sequential;
import dev.anneal.nn.loss.CrossEntropyLoss;
import dev.anneal.nn.loss.Losses;
import dev.anneal.optim.Adam;
import dev.anneal.optim.SGD;
import dev.anneal.tensor.Generator;
import dev.anneal.train.Callback;
import dev.anneal.train.ProgressBar;
import dev.anneal.train.Trainer;
import dev.anneal.train.TrainingContext;
import dev.anneal.train.checkpoint.Safetensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruningBehaviourTest {
    @TempDir
    Path dir;

    static Sequential mlp(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(4, 16, g), new ReLU(), new Linear(16, 3, g));
    }

    /** Three Gaussian blobs in 4-D, labels 0..2. */
    static TensorDataset blobs(long seed, int n) {
        Generator g = new Generator(seed);
        float[] x = new float[n * 4], y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            for (int j = 0; j < 4; j++) x[i * 4 + j] = (float) ((j == c ? 2.0 : 0.0) + 0.7 * g.nextGaussian());
        }
        return new TensorDataset(Tensor.of(x, n, 4), Tensor.of(y, n));
    }

    static DataLoader loader(TensorDataset d, boolean shuffle) {
        return DataLoader.builder(d).batchSize(32).shuffle(shuffle).seed(3).build();
    }

    private static List<PruneTarget> weights(Sequential m) {
        return List.of(PruneTarget.weight(m.get(0)), PruneTarget.weight(m.get(2)));
    }

    private static void assertPrunedEntriesZero(Module m) {
        for (Map.Entry<String, Tensor[]> e : Pruning.maskedParameters(m).entrySet()) {
            float[] w = e.getValue()[0].toArray(), mask = e.getValue()[1].toArray();
            for (int i = 0; i < w.length; i++)
                if (mask[i] == 0f) assertEquals(0f, w[i], 0f, e.getKey() + "[" + i + "] is pruned but holds " + w[i]);
        }
    }

    @Test
    void manualStepsKeepPrunedEntriesAtExactlyZero() {
        Sequential m = mlp(1);
        Pruning.l1Unstructured(m.get(0), "weight", 0.5);
        Pruning.lnStructured(m.get(2), "weight", 0.25, 2, 1);
        Tensor before = m.get(0).namedParameters().get("weight").clone();
        SGD opt = new SGD(m.parameters(), Map.of("lr", 0.1, "momentum", 0.9, "weight_decay", 0.01));
        Generator g = new Generator(2);
        for (int step = 0; step < 15; step++) {
            opt.zeroGrad();
            Losses.crossEntropy(m.invoke(Tensor.randn(g, 8, 4)), Tensor.randint(g, 0, 3, 8)).backward();
            Pruning.maskGradients(m);
            float[] grad = m.get(0).namedParameters().get("weight").grad().toArray(), mask = Pruning.mask(m.get(0), "weight").toArray();
            for (int i = 0; i < grad.length; i++) if (mask[i] == 0f) assertEquals(0f, grad[i], 0f, "gradient of pruned entry " + i);
            Pruning.step(m, opt);
            assertPrunedEntriesZero(m);
        }
        float[] b = before.toArray(), a = m.get(0).namedParameters().get("weight").toArray();
        float[] mask = Pruning.mask(m.get(0), "weight").toArray();
        int moved = 0;
        for (int i = 0; i < a.length; i++) if (mask[i] == 1f && a[i] != b[i]) moved++;
        assertEquals(32, moved, "every unpruned weight was trained");
    }

    /**
     * The storage design against PyTorch's: a leaf weight_orig whose forward uses orig ⊙ mask. With
     * momentum and weight decay, the unpruned entries follow the same path in both.
     */
    @Test
    void unprunedWeightsEvolveAsWithOrigTimesMask() {
        Generator g = new Generator(5);
        Tensor w0 = Tensor.randn(g, 5, 4), b0 = Tensor.randn(g, 5);
        Linear a = new Linear(w0.clone().detach(), b0.clone().detach());
        Pruning.l1Unstructured(a, "weight", 0.4);
        Tensor mask = Pruning.mask(a, "weight").clone().detach();
        Tensor orig = w0.clone().detach().requiresGrad(true), bias = b0.clone().detach().requiresGrad(true);
        Map<String, Object> opts = Map.of("lr", 0.05, "momentum", 0.9, "weight_decay", 0.1);
        SGD optA = new SGD(a.parameters(), opts), optB = new SGD(List.of(orig, bias), opts);
        for (int step = 0; step < 10; step++) {
            Tensor x = Tensor.randn(g, 6, 4), y = Tensor.randn(g, 6, 5);
            optA.zeroGrad();
            Losses.mseLoss(a.invoke(x), y).backward();
            Pruning.step(a, optA);
            optB.zeroGrad();
            Losses.mseLoss(x.matmul(orig.mul(mask).t()).add(bias), y).backward();
            optB.step();
        }
        float[] got = a.weight().toArray(), want = orig.detach().mul(mask).toArray();
        for (int i = 0; i < got.length; i++) assertEquals(want[i], got[i], 1e-5, "weight " + i);
        assertArrayEquals(bias.toArray(), a.bias().toArray(), 1e-5f);
    }

    @Test
    void trainerWithKeepPrunedMasksGradientsBeforeClippingAndStaysPruned() {
        Sequential m = mlp(3);
        Pruning.globalUnstructured(weights(m), 0.6);
        List<Float> prunedGrads = new ArrayList<>();
        Callback probe = new Callback() {
            @Override
            public void onBeforeOptimizerStep(TrainingContext ctx) {
                for (Tensor[] pm : Pruning.maskedParameters(ctx.model()).values()) {
                    float[] gr = pm[0].grad().toArray(), mk = pm[1].toArray();
                    for (int i = 0; i < gr.length; i++) if (mk[i] == 0f) prunedGrads.add(gr[i]);
                }
            }
        };
        Trainer t = Trainer.builder(m, new Adam(m.parameters(), Map.of("lr", 0.02)), new CrossEntropyLoss()::apply).epochs(3)
                .clipGradNorm(1.0).callback(Pruning.keepPruned()).callback(probe).progress((ProgressBar) null).build();
        Trainer.Result r = t.fit(loader(blobs(5, 192), true), loader(blobs(6, 96), false));
        assertPrunedEntriesZero(m);
        assertEquals(3 * 6 * 67, prunedGrads.size(), "3 epochs × 6 batches × round(0.6·112) pruned entries");
        for (float v : prunedGrads) assertEquals(0f, v, 0f);
        assertTrue(r.history().epochs("loss").get(2) < r.history().epochs("loss").get(0), r.history().epochs("loss").toString());
        assertEquals(67, SparsityReport.of(m).global().masked());
    }

    @Test
    void removeMakesPruningPermanent() {
        Sequential m = mlp(4);
        Module lin = m.get(0);
        Pruning.l1Unstructured(lin, "weight", 10);
        Tensor pruned = lin.namedParameters().get("weight").clone();
        assertTrue(m.stateDict().containsKey("0.weight_mask"));
        Pruning.remove(lin, "weight");
        assertFalse(Pruning.isPruned(lin));
        assertFalse(Pruning.isPruned(m));
        assertFalse(m.stateDict().containsKey("0.weight_mask"));
        assertTrue(lin.namedBuffers().isEmpty());
        assertArrayEquals(pruned.toArray(), lin.namedParameters().get("weight").toArray());
        assertEquals(10, SparsityReport.of(m).row("0.weight").zeros());
        assertThrows(IllegalArgumentException.class, () -> Pruning.remove(lin, "weight"));
        // no longer held at zero: training may revive the entries
        SGD opt = new SGD(m.parameters(), 0.5);
        Losses.crossEntropy(m.invoke(Tensor.ones(2, 4)), Tensor.vector(0, 1)).backward();
        opt.step();
        assertTrue(SparsityReport.of(m).row("0.weight").zeros() < 10);
    }

    @Test
    void sparsityReportCountsZerosAndMasks() {
        Sequential m = mlp(6);
        Pruning.l1Unstructured(m.get(0), "weight", 16);
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            // a zero the mask does not hold: counted as zero, not as masked
            Tensor w2 = m.get(2).namedParameters().get("weight");
            w2.set(0f, 1, 2);
            w2.set(0f, 2, 3);
        }
        SparsityReport r = SparsityReport.of(m);
        assertEquals(List.of("0.weight", "2.weight"), r.rows().stream().map(SparsityReport.Row::name).toList());
        assertEquals(16, r.row("0.weight").zeros());
        assertEquals(16, r.row("0.weight").masked());
        assertEquals(64, r.row("0.weight").total());
        assertEquals(0.25, r.row("0.weight").sparsity(), 0);
        assertEquals(2, r.row("2.weight").zeros());
        assertEquals(0, r.row("2.weight").masked());
        assertFalse(r.row("2.weight").pruned());
        assertEquals(18, r.global().zeros());
        assertEquals(112, r.global().total());
        assertEquals(18.0 / 112, r.sparsity(), 1e-15);
        String text = r.toString();
        assertTrue(text.contains("0.weight") && text.contains("25.00%") && text.contains("global") && text.contains("16.07%"), text);
        // a pruned bias (rank 1) gets a row too
        Pruning.l1Unstructured(m.get(2), "bias", 1);
        assertEquals(1, SparsityReport.of(m).row("2.bias").masked());
    }

    @Test
    void stateDictsCarryTheMaskAndLoadIntoPrunedOrFreshModels() {
        Sequential a = mlp(7);
        Pruning.l1Unstructured(a.get(0), "weight", 0.5);
        Pruning.lnStructured(a.get(2), "weight", 1, 2, 0);
        Map<String, Tensor> state = a.stateDict();
        assertEquals(List.of("0.weight", "0.bias", "0.weight_mask", "2.weight", "2.bias", "2.weight_mask"), List.copyOf(state.keySet()));
        Path file = dir.resolve("pruned.safetensors");
        Safetensors.write(file, state, Map.of());
        Map<String, Tensor> loaded = Safetensors.read(file).tensors();

        // into a model pruned differently: masks are overwritten by the loaded ones
        Sequential b = mlp(8);
        Pruning.l1Unstructured(b.get(0), "weight", 0.1);
        Pruning.identity(b.get(2), "weight");
        b.loadStateDict(loaded, true);
        for (String k : state.keySet()) assertArrayEquals(state.get(k).toArray(), b.stateDict().get(k).toArray(), k);

        // into a fresh model: Module.loadStateDict refuses the mask keys, Pruning.loadStateDict re-creates the masks
        Sequential c = mlp(9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.loadStateDict(loaded, true));
        assertTrue(e.getMessage().contains("0.weight_mask"), e.getMessage());
        Pruning.loadStateDict(c, loaded, true);
        assertTrue(Pruning.isPruned(c.get(0), "weight") && Pruning.isPruned(c.get(2), "weight"));
        for (String k : state.keySet()) assertArrayEquals(state.get(k).toArray(), c.stateDict().get(k).toArray(), k);

        // a failed load leaves the fresh model unpruned
        Sequential d = mlp(10);
        Map<String, Tensor> bad = new java.util.LinkedHashMap<>(loaded);
        bad.put("2.bias", Tensor.zeros(4));
        assertThrows(IllegalArgumentException.class, () -> Pruning.loadStateDict(d, bad, true));
        assertFalse(Pruning.isPruned(d));
    }

    @Test
    void badArgumentsAreRejectedWithoutChangingAnything() {
        Linear lin = new Linear(5, 6, new Generator(11));
        Tensor w = lin.weight().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pruning.l1Unstructured(lin, "weight", 1.5));
        assertTrue(e.getMessage().contains("amount=1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pruning.l1Unstructured(lin, "weight", -0.1));
        assertThrows(IllegalArgumentException.class, () -> Pruning.l1Unstructured(lin, "weight", -1));
        e = assertThrows(IllegalArgumentException.class, () -> Pruning.l1Unstructured(lin, "weight", 31));
        assertTrue(e.getMessage().contains("31") && e.getMessage().contains("30"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pruning.l1Unstructured(lin, "kernel", 0.5));
        assertTrue(e.getMessage().contains("kernel") && e.getMessage().contains("weight"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pruning.lnStructured(lin, "bias", 0.5, 2, 0));
        assertTrue(e.getMessage().contains("multidimensional"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pruning.lnStructured(lin, "weight", 0.5, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Pruning.lnStructured(lin, "weight", 7, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Pruning.customFromMask(lin, "weight", Tensor.full(0.5f, 6, 5)));
        assertThrows(IllegalArgumentException.class, () -> Pruning.customFromMask(lin, "weight", Tensor.ones(5, 6)));
        assertThrows(IllegalArgumentException.class, () -> Pruning.randomUnstructured(lin, "weight", 0.5, null));
        assertThrows(IllegalArgumentException.class, () -> Pruning.globalUnstructured(List.of(), 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> Pruning.globalUnstructured(List.of(PruneTarget.weight(lin), PruneTarget.weight(lin)), 0.5));
        assertFalse(Pruning.isPruned(lin));
        assertArrayEquals(w.toArray(), lin.weight().toArray());
        // after 20 of 30 entries are pruned, a count applies to the 10 left
        Pruning.l1Unstructured(lin, "weight", 20);
        Tensor mask = Pruning.mask(lin, "weight").clone();
        e = assertThrows(IllegalArgumentException.class, () -> Pruning.l1Unstructured(lin, "weight", 11));
        assertTrue(e.getMessage().contains("=10"), e.getMessage());
        assertArrayEquals(mask.toArray(), Pruning.mask(lin, "weight").toArray());
    }

    @Test
    void tiesPruneTheLowerIndexFirst() {
        Linear lin = new Linear(Tensor.of(new float[] {2, -1, 1, 3, -1, 1, 5, 5, 5}, 3, 3), null);
        Pruning.l1Unstructured(lin, "weight", 3);
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 1, 1, 1, 1}, Pruning.mask(lin, "weight").toArray());
        // rows 0 and 1 have equal L2 norms (3 and 3); the lower index is kept
        Linear rows = new Linear(Tensor.of(new float[] {3, 0, 0, 0, 0, -3, 9, 9, 9}, 3, 3), null);
        Pruning.lnStructured(rows, "weight", 1, 2, 0);
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 1, 1, 1}, Pruning.mask(rows, "weight").toArray());
    }

    @Test
    void randomPruningIsSeededCountsExactlyAndComposes() {
        Linear a = new Linear(8, 10, new Generator(12)), b = new Linear(8, 10, new Generator(13));
        Pruning.randomUnstructured(a, "weight", 0.3, new Generator(99));
        Pruning.randomUnstructured(b, "weight", 0.3, new Generator(99));
        assertArrayEquals(Pruning.mask(a, "weight").toArray(), Pruning.mask(b, "weight").toArray(), "same seed, same mask");
        assertEquals(24, SparsityReport.of(a).global().masked());
        Tensor first = Pruning.mask(a, "weight").clone();
        Pruning.randomUnstructured(a, "weight", 0.5, new Generator(100));
        assertEquals(24 + 28, SparsityReport.of(a).global().masked());
        float[] f = first.toArray(), s = Pruning.mask(a, "weight").toArray();
        for (int i = 0; i < f.length; i++) if (f[i] == 0f) assertEquals(0f, s[i], "a pruned entry stays pruned");
        Pruning.randomUnstructured(b, "weight", 0.5, new Generator(101));
        assertNotEquals(List.of(Pruning.mask(a, "weight").toArray()), List.of(s));

        Conv2d conv = new Conv2d(3, 6, 3, new Generator(14));
        Pruning.randomStructured(conv, "weight", 0.5, 0, new Generator(15));
        float[] m = Pruning.mask(conv, "weight").toArray();
        int dead = 0;
        for (int oc = 0; oc < 6; oc++) {
            float sum = 0;
            for (int i = 0; i < 27; i++) sum += m[oc * 27 + i];
            assertTrue(sum == 0 || sum == 27, "channel " + oc + " is whole");
            if (sum == 0) dead++;
        }
        assertEquals(3, dead);
        Pruning.globalRandomUnstructured(List.of(PruneTarget.weight(conv), PruneTarget.weight(b)), 10, new Generator(16));
        assertEquals(81 + 10 + 24 + 28, SparsityReport.of(conv).global().masked() + SparsityReport.of(b).global().masked());
    }

    @Test
    void structuredPruningOfConvOutputChannelsLeavesTheBias() {
        Conv2d conv = Conv2d.builder(2, 4, 3).padding(1).build(new Generator(17));
        Pruning.lnStructured(conv, "weight", 2, 1, 0);
        float[] m = Pruning.mask(conv, "weight").toArray();
        Tensor y = conv.invoke(Tensor.randn(new Generator(18), 1, 2, 5, 5));
        int dead = 0;
        for (int oc = 0; oc < 4; oc++) {
            if (m[oc * 18] != 0f) continue;
            dead++;
            float bias = conv.bias().item(oc);
            for (int i = 0; i < 25; i++) assertEquals(bias, y.item(0, oc, i / 5, i % 5), 0f);
        }
        assertEquals(2, dead);
    }

    @Test
    void iterativePruneAndFineTuneReachesEachSparsity() {
        Sequential m = mlp(21);
        List<PruneTarget> targets = weights(m);
        DataLoader train = loader(blobs(22, 192), true), valid = loader(blobs(23, 96), false);
        Trainer.builder(m, new Adam(m.parameters(), Map.of("lr", 0.02)), new CrossEntropyLoss()::apply).epochs(4)
                .progress((ProgressBar) null).build().fit(train, null);
        IterativePruning.Result r = IterativePruning.run(IterativePruning.l1PerLayer(targets), targets, new double[] {0.5, 0.75, 0.9},
                () -> Trainer.builder(m, new Adam(m.parameters(), Map.of("lr", 0.01)), new CrossEntropyLoss()::apply).epochs(2)
                        .progress((ProgressBar) null), train, valid);
        assertEquals(3, r.steps().size());
        // per layer: round(s·64) and round(s·48) zeros
        assertEquals((32 + 24) / 112.0, r.steps().get(0).sparsity(), 1e-12);
        assertEquals((48 + 36) / 112.0, r.steps().get(1).sparsity(), 1e-12);
        assertEquals((58 + 43) / 112.0, r.steps().get(2).sparsity(), 1e-12);
        assertTrue(r.baselineAccuracy() > 0.85, r.toString());
        // up to 75% the pruned MLP recovers with fine-tuning; at 90% (5 weights left in the last layer) it cannot
        assertTrue(r.steps().get(0).accuracyFineTuned() > 0.85 && r.steps().get(1).accuracyFineTuned() > 0.85, r.toString());
        assertTrue(r.steps().get(2).accuracyFineTuned() >= r.steps().get(2).accuracyPruned(), r.toString());
        assertPrunedEntriesZero(m);
        assertTrue(r.toString().contains("0.7500"), r.toString());

        Sequential s = mlp(24);
        IterativePruning.lnStructuredPerLayer(List.of(PruneTarget.weight(s.get(0))), 2, 0).pruneTo(0.5);
        IterativePruning.lnStructuredPerLayer(List.of(PruneTarget.weight(s.get(0))), 2, 0).pruneTo(0.75);
        assertEquals(12 * 4, SparsityReport.of(s).row("0.weight").masked(), "12 of 16 neurons");
        IterativePruning.globalL1(weights(s)).pruneTo(0.8);
        assertEquals(Math.round(0.8 * 112), SparsityReport.of(s).global().masked());
        assertThrows(IllegalArgumentException.class, () -> IterativePruning.run(IterativePruning.globalL1(targets), targets,
                new double[] {0.5, 0.4}, () -> null, train, valid));
    }

    @Test
    void weightsOfFindsLinearAndConvWeightsAndRemoveAllMakesAModelDense() {
        Generator g = new Generator(25);
        Conv2d conv = Conv2d.builder(1, 4, 3).padding(1).build(g);
        Linear fc = new Linear(4 * 16, 5, g), sq = new Linear(5, 5, g);
        Sequential m = new Sequential(conv, new dev.anneal.nn.BatchNorm2d(4), new ReLU(), new dev.anneal.nn.Flatten(), fc, new ReLU(), sq,
                new ReLU(), sq);
        List<PruneTarget> targets = PruneTarget.weightsOf(m);
        assertEquals(3, targets.size(), "conv and linear weights, the shared Linear once, no BatchNorm weight");
        assertTrue(targets.get(0).module() == conv && targets.get(1).module() == fc && targets.get(2).module() == sq);
        assertEquals(List.of(PruneTarget.weight(fc)), PruneTarget.weightsOf(fc), "a layer on its own");
        assertThrows(IllegalArgumentException.class, () -> PruneTarget.weightsOf(null));

        Pruning.globalUnstructured(targets, 0.5);
        Pruning.l1Unstructured(fc, "bias", 2);
        Tensor x = Tensor.randn(new Generator(26), 2, 1, 4, 4);
        m.eval();
        float[] before = m.invoke(x).toArray();
        long zeros = SparsityReport.of(targets).global().zeros();
        assertEquals(190, zeros, "round(0.5 · 381) = 190, half to even");
        assertEquals(List.of("0.weight", "4.weight", "4.bias", "6.weight"), Pruning.removeAll(m));
        assertFalse(Pruning.isPruned(m));
        for (String k : m.stateDict().keySet()) assertFalse(k.endsWith(Pruning.MASK_SUFFIX), k);
        assertArrayEquals(before, m.invoke(x).toArray(), "the same function");
        assertEquals(zeros, SparsityReport.of(targets).global().zeros(), "the zeros stay");
        assertEquals(2, SparsityReport.of(List.of(new PruneTarget(fc, "bias"))).global().zeros());
        assertEquals(List.of(), Pruning.removeAll(m), "nothing left to remove");
    }

    @Test
    void globalRandomScheduleReachesEachSparsityOverAllTargets() {
        Sequential m = mlp(27);
        IterativePruning.Pruner p = IterativePruning.globalRandom(weights(m), new Generator(28));
        p.pruneTo(0.3);
        assertEquals(Math.round(0.3 * 112), SparsityReport.of(m).global().masked());
        Tensor first = Pruning.mask(m.get(0), "weight").clone();
        p.pruneTo(0.8);
        assertEquals(Math.round(0.8 * 112), SparsityReport.of(m).global().masked());
        float[] f = first.toArray(), s = Pruning.mask(m.get(0), "weight").toArray();
        for (int i = 0; i < f.length; i++) if (f[i] == 0f) assertEquals(0f, s[i], "entry " + i + " stays pruned");
        // the same seed gives the same masks
        Sequential n = mlp(27);
        IterativePruning.Pruner q = IterativePruning.globalRandom(weights(n), new Generator(28));
        q.pruneTo(0.3);
        q.pruneTo(0.8);
        assertArrayEquals(s, Pruning.mask(n.get(0), "weight").toArray());
        assertThrows(IllegalArgumentException.class, () -> IterativePruning.globalRandom(weights(n), null));
    }
}
