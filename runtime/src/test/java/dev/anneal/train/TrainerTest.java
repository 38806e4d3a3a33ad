package dev.anneal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.data.DataLoader;
import dev.anneal.data.TensorDataset;
import dev.anneal.data.transform.BatchTransform;
import dev.anneal.nn.Dropout;
import dev.anneal.nn.Linear;
import dev.anneal.nn.Module;
import dev.anneal.nn.ReLU;
import dev.anneal.nn.Sequential;
import dev.anneal.nn.loss.CrossEntropyLoss;
import dev.anneal.optim.AdamW;
import dev.anneal.optim.SGD;
import dev.anneal.optim.StatefulOptimizer;
import dev.anneal.optim.schedule.CosineAnnealingLR;
import dev.anneal.optim.schedule.LRScheduler;
import dev.anneal.optim.schedule.LinearLR;
import dev.anneal.optim.schedule.ReduceLROnPlateau;
import dev.anneal.optim.schedule.SequentialLR;
import dev.anneal.tensor.Generator;
import dev.anneal.train.callback.EarlyStopping;
import dev.anneal.train.callback.ModelCheckpoint;
import dev.anneal.train.callback.TerminateOnNaN;
import dev.anneal.train.checkpoint.Checkpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    /** Three Gaussian blobs in 4-D, 300 points, labels 0..2. */
    static TensorDataset blobs(long seed) {
        Generator g = new Generator(seed);
        int n = 300;
        float[] x = new float[n * 4], y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            for (int j = 0; j < 4; j++) x[i * 4 + j] = (float) ((j == c ? 2.0 : 0.0) + 0.7 * g.nextGaussian());
        }
        return new TensorDataset(Tensor.of(x, n, 4), Tensor.of(y, n));
    }

    static Sequential model(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(4, 16, g), new ReLU(), new Dropout(0.2, g), new Linear(16, 3, g));
    }

    static DataLoader loader(TensorDataset d, boolean shuffle) {
        // a seeded noise transform, so the resume test also covers transform randomness
        BatchTransform jitter = (x, g) -> x.add(Tensor.randn(g, x.shape()).mul(0.01f));
        return DataLoader.builder(d).batchSize(32).shuffle(shuffle).seed(3).prefetch(2).transform(shuffle ? jitter : null).build();
    }

    @Test
    void fitLearnsAndRecordsHistory() {
        Sequential m = model(1);
        Trainer t = Trainer.builder(m, new AdamW(m.parameters(), Map.of("lr", 0.01)), new CrossEntropyLoss()::apply)
                .epochs(8).progress((ProgressBar) null).topK(2).build();
        Trainer.Result r = t.fit(loader(blobs(5), true), loader(blobs(6), false));
        assertEquals(8, r.epochsRun());
        assertNull(r.stopReason());
        History h = r.history();
        assertEquals(8, h.epochs("loss").size());
        assertEquals(8 * 10, h.steps("loss").size()); // 300 / 32 → 10 batches
        assertTrue(h.epochs("loss").get(7) < h.epochs("loss").get(0), h.epochs("loss").toString());
        assertTrue(h.last("val_accuracy") > 0.9, "val accuracy " + h.last("val_accuracy"));
        assertTrue(h.last("val_top2_accuracy") >= h.last("val_accuracy"));
        Trainer.Evaluation ev = t.evaluate(loader(blobs(6), false), true);
        assertEquals(h.last("val_accuracy"), ev.accuracy(), 1e-12);
        long total = 0;
        for (int i = 0; i < 3; i++) {
            long row = 0;
            for (int j = 0; j < 3; j++) row += ev.confusion().count(i, j);
            assertEquals(100, row, "class " + i + " has 100 validation examples");
            total += row;
        }
        assertEquals(300, total);
        assertEquals(ev.accuracy(), ev.confusion().accuracy(), 1e-12);
        Tensor pred = t.predict(loader(blobs(6), false));
        assertArrayEquals(new int[] {300, 3}, pred.shape());
        assertTrue(m.isTraining(), "evaluate and predict restore the training mode");
    }

    private static List<Tensor> params(Module m) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : m.parameters()) out.add(p.clone());
        return out;
    }

    private static LRScheduler warmupCosine(StatefulOptimizer opt, int warm, int total) {
        return new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1.0, warm), new CosineAnnealingLR(opt, total - warm)), new int[] {warm});
    }

    @Test
    void resumingFromACheckpointContinuesBitForBit() {
        TensorDataset train = blobs(7);
        // uninterrupted: 4 epochs
        Sequential a = model(11);
        AdamW optA = new AdamW(a.parameters(), Map.of("lr", 0.02));
        LRScheduler schedA = warmupCosine(optA, 5, 40);
        Trainer.builder(a, optA, new CrossEntropyLoss()::apply).epochs(4).scheduler(schedA, Trainer.Every.BATCH)
                .progress((ProgressBar) null).build().fit(loader(train, true), null);

        // interrupted after 2 epochs, saved by ModelCheckpoint
        Sequential b = model(11);
        AdamW optB = new AdamW(b.parameters(), Map.of("lr", 0.02));
        LRScheduler schedB = warmupCosine(optB, 5, 40);
        ModelCheckpoint ckpt = new ModelCheckpoint(dir, null, null, schedB);
        Trainer.builder(b, optB, new CrossEntropyLoss()::apply).epochs(2).scheduler(schedB, Trainer.Every.BATCH)
                .callback(ckpt).progress((ProgressBar) null).build().fit(loader(train, true), null);

        // a fresh process: different initial weights, fresh optimizer and scheduler, then load
        Sequential c = model(999);
        AdamW optC = new AdamW(c.parameters(), Map.of("lr", 0.02));
        LRScheduler schedC = warmupCosine(optC, 5, 40);
        Checkpoint.Progress p = Checkpoint.load(ckpt.last(), c, optC, schedC);
        assertEquals(2, p.epoch());
        assertEquals(20, p.globalStep());
        Trainer.builder(c, optC, new CrossEntropyLoss()::apply).epochs(4).scheduler(schedC, Trainer.Every.BATCH)
                .progress((ProgressBar) null).build().fit(loader(train, true), null, p.epoch(), p.globalStep(), new History());

        List<Tensor> pa = params(a), pc = params(c);
        for (int i = 0; i < pa.size(); i++) assertArrayEquals(pa.get(i).toArray(), pc.get(i).toArray(), "parameter " + i);
        assertEquals(optA.paramGroups().get(0).lr(), optC.paramGroups().get(0).lr());
    }

    @Test
    void aDamagedCheckpointIsRejectedAndLeavesTheModelAlone() throws IOException {
        Sequential m = model(2);
        AdamW opt = new AdamW(m.parameters());
        Path f = dir.resolve("c.safetensors");
        Checkpoint.save(f, m, opt, null, new Checkpoint.Progress(1, 10, Map.of("note", "x")));
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(f, bytes);
        Sequential other = model(3);
        List<Tensor> before = params(other);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(f, other, new AdamW(other.parameters()), null));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        List<Tensor> after = params(other);
        for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i).toArray(), after.get(i).toArray());

        // a checkpoint of a different model: names the mismatch, changes nothing
        Path g = dir.resolve("g.safetensors");
        Sequential small = new Sequential(new Linear(4, 3, new Generator(1)));
        Checkpoint.save(g, small, new AdamW(small.parameters()), null, new Checkpoint.Progress(0, 0, null));
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(g, other, new AdamW(other.parameters()), null));
        assertTrue(e.getMessage().contains("missing keys"), e.getMessage());
        after = params(other);
        for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i).toArray(), after.get(i).toArray());
    }

    @Test
    void accumulatingTwoHalfBatchesEqualsOneFullBatch() {
        TensorDataset d = blobs(9);
        Sequential one = new Sequential(new Linear(4, 3, new Generator(4)));
        Sequential two = new Sequential(new Linear(4, 3, new Generator(4)));
        Trainer.builder(one, new SGD(one.parameters(), 0.1), new CrossEntropyLoss()::apply).epochs(1).progress((ProgressBar) null).build()
                .fit(DataLoader.builder(d).batchSize(60).build(), null);
        Trainer.builder(two, new SGD(two.parameters(), 0.1), new CrossEntropyLoss()::apply).epochs(1).accumulate(2)
                .progress((ProgressBar) null).build().fit(DataLoader.builder(d).batchSize(30).build(), null);
        List<Tensor> a = params(one), b = params(two);
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i).toArray(), y = b.get(i).toArray();
            for (int j = 0; j < x.length; j++) assertEquals(x[j], y[j], 1e-5, "parameter " + i + " element " + j);
        }
    }

    @Test
    void clippingBoundsEachStep() {
        Sequential m = new Sequential(new Linear(4, 3, new Generator(4)));
        List<Tensor> start = params(m);
        // one batch, one SGD step with lr 1: the step is the clipped gradient, so its norm is ≤ 0.01
        Trainer.builder(m, new SGD(m.parameters(), 1.0), new CrossEntropyLoss()::apply).epochs(1).clipGradNorm(0.01)
                .progress((ProgressBar) null).build().fit(DataLoader.builder(blobs(1)).batchSize(300).build(), null);
        double sq = 0;
        List<Tensor> end = params(m);
        for (int i = 0; i < end.size(); i++) {
            float[] x = start.get(i).toArray(), y = end.get(i).toArray();
            for (int j = 0; j < x.length; j++) sq += (double) (x[j] - y[j]) * (x[j] - y[j]);
        }
        assertEquals(0.01, Math.sqrt(sq), 1e-4);
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        Sequential m = model(1);
        // lr so large that validation loss soon gets worse than its best
        EarlyStopping es = new EarlyStopping("val_loss", EarlyStopping.Mode.MIN, 2, 0, true, 0);
        List<List<Tensor>> snapshots = new ArrayList<>();
        Callback snap = new Callback() {
            @Override
            public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
                snapshots.add(params(ctx.model()));
            }
        };
        Trainer.Result r = Trainer.builder(m, new SGD(m.parameters(), Map.of("lr", 3.0, "momentum", 0.9)), new CrossEntropyLoss()::apply)
                .epochs(30).callback(snap).callback(es).progress((ProgressBar) null).build()
                .fit(loader(blobs(5), true), loader(blobs(6), false));
        assertNotNull(r.stopReason(), "expected an early stop, val_loss " + r.history().epochs("val_loss"));
        assertTrue(r.stopReason().startsWith("early stopping at epoch " + (es.stoppedEpoch() + 1)), r.stopReason());
        assertEquals(es.stoppedEpoch() + 1, r.epochsRun());
        List<Double> vl = r.history().epochs("val_loss");
        int best = 0;
        for (int i = 1; i < vl.size(); i++) if (vl.get(i) < vl.get(best)) best = i;
        assertEquals(best, es.bestEpoch());
        assertEquals(es.stoppedEpoch() - best, 2, "stops after patience epochs without improvement");
        List<Tensor> now = params(m), bestWeights = snapshots.get(best);
        for (int i = 0; i < now.size(); i++) assertArrayEquals(bestWeights.get(i).toArray(), now.get(i).toArray());
    }

    @Test
    void plateauSchedulerIsFedTheMonitoredMetricEachEpoch() {
        Sequential m = model(1);
        SGD opt = new SGD(m.parameters(), 0.5);
        // patience 0 and a threshold no epoch can beat: the lr is cut after every epoch but the first
        ReduceLROnPlateau plateau = ReduceLROnPlateau.builder(opt).mode("min").factor(0.5).patience(0).threshold(10)
                .thresholdMode("abs").build();
        Trainer.Result r = Trainer.builder(m, opt, new CrossEntropyLoss()::apply).epochs(4).plateau(plateau, "val_loss")
                .progress((ProgressBar) null).build().fit(loader(blobs(5), true), loader(blobs(6), false));
        // history records each epoch's lr before the plateau step: 0.5, 0.5, 0.25, 0.125
        assertEquals(List.of(0.5, 0.5, 0.25, 0.125), r.history().epochs("lr"));
        assertEquals(0.0625, opt.paramGroups().get(0).lr(), 1e-15);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Trainer.builder(m, opt, new CrossEntropyLoss()::apply)
                .epochs(1).plateau(plateau, "val_nothing").progress((ProgressBar) null).build().fit(loader(blobs(5), true), null));
        assertTrue(e.getMessage().contains("'val_nothing'"), e.getMessage());
    }

    @Test
    void terminateOnNaNStopsAtTheFirstBadLoss() {
        Sequential m = model(1);
        Trainer.Result r = Trainer.builder(m, new SGD(m.parameters(), 1e30), new CrossEntropyLoss()::apply).epochs(5)
                .callback(new TerminateOnNaN()).progress((ProgressBar) null).build().fit(loader(blobs(5), true), null);
        assertNotNull(r.stopReason());
        assertTrue(r.stopReason().startsWith("loss became NaN") || r.stopReason().startsWith("loss became Infinity"), r.stopReason());
        assertEquals(1, r.epochsRun());
    }

    @Test
    void plainProgressPrintsAtIntervalsAndAtTheEnd() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        long[] now = {0};
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 5_000_000_000L, () -> now[0]);
        bar.begin("epoch 1/2", 10);
        for (int b = 1; b <= 10; b++) {
            now[0] += 1_000_000_000L; // one second per batch
            bar.update(b, 0.5, 0.75);
        }
        bar.end(10, 0.5, 0.75, "val_loss 0.4000  val_acc 0.8000");
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, buf.toString(StandardCharsets.UTF_8));
        assertEquals("epoch 1/2 [===========>            ] 5/10  1.0 batch/s  ETA 5.0s  loss 0.5000  acc 0.7500", lines[0]);
        assertEquals("epoch 1/2 [========================] 10/10  1.0 batch/s  10.0s  loss 0.5000  acc 0.7500  val_loss 0.4000  val_acc 0.8000",
                lines[1]);
    }

    @Test
    void nanLogitsRankHighestSoNaNRowsAreNotCorrect() {
        float nan = Float.NaN;
        Tensor logits = Tensor.of(new float[] {nan, nan, nan, 1, nan, 0, 3, 2, 1}, 3, 3);
        Tensor targets = Tensor.vector(0, 0, 0);
        // row 0: all NaN, the first NaN (class 0) is the prediction; row 1: the NaN at class 1 beats 1; row 2: 3 wins
        assertEquals(2, Metrics.correct(logits, targets));
        assertEquals(0.5, Metrics.accuracy(logits.narrow(0, 1, 2), Tensor.vector(1, 1)), 1e-12); // a NaN target logit is the max
        assertEquals(1.0, Metrics.topK(logits.narrow(0, 1, 1), Tensor.vector(0), 2), 1e-12);
    }
}
