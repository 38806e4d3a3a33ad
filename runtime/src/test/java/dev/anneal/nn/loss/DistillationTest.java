package dev.anneal.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.GradCheck;
import dev.anneal.autograd.Tensor;
import dev.anneal.data.Batch;
import dev.anneal.data.DataLoader;
import dev.anneal.data.TensorDataset;
import dev.anneal.nn.Dropout;
import dev.anneal.nn.Linear;
import dev.anneal.nn.Module;
import dev.anneal.nn.ReLU;
import dev.anneal.nn.Sequential;
import dev.anneal.optim.Adam;
import dev.anneal.optim.SGD;
import dev.anneal.tensor.Generator;
import dev.anneal.testing.Approx;
import dev.anneal.testing.Reference;
import dev.anneal.train.Callback;
import dev.anneal.train.ProgressBar;
import dev.anneal.train.Trainer;
import dev.anneal.train.TrainingContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Losses.distillation against PyTorch (tools/reference/gen_prune_distill.py), by gradcheck, and through Trainer.distillFrom. */
class DistillationTest {
    private static final Reference REF = Reference.load("prune_distill.txt");

    @Test
    void matchesPyTorchLossAndGradients() {
        for (String c : List.of("kd_t2_a07", "kd_t1_a05", "kd_t4_a1", "kd_t3_a0")) {
            Tensor s = REF.get(c + "/student").clone().detach().requiresGrad(true);
            Tensor t = REF.get(c + "/teacher").clone().detach().requiresGrad(true);
            float[] opts = REF.get(c + "/opts").toArray();
            Tensor loss = Losses.distillation(s, t, REF.get(c + "/targets"), opts[0], opts[1]);
            assertEquals(REF.scalar(c + "/loss"), loss.item(), 2e-6 * Math.abs(REF.scalar(c + "/loss")) + 1e-7, c + " loss");
            loss.backward();
            Approx.assertClose(c + " grad student", REF.get(c + "/grad_student"), s.grad(), 1e-5, 1e-7);
            if (opts[1] == 0f) assertNull(t.grad(), c + ": alpha 0 does not involve the teacher");
            else Approx.assertClose(c + " grad teacher", REF.get(c + "/grad_teacher"), t.grad(), 1e-5, 1e-7);
        }
    }

    @Test
    void gradcheckInStudentAndTeacher() {
        Generator g = new Generator(31);
        Tensor s = Tensor.randn(g, 3, 4).requiresGrad(true), t = Tensor.randn(g, 3, 4).mul(2).requiresGrad(true);
        Tensor y = Tensor.vector(0, 3, 1);
        GradCheck.check(in -> Losses.distillation(in[0], in[1], y, 2.5, 0.6), s, t);
        GradCheck.check(in -> Losses.distillationKL(in[0], in[1], 0.7), s, t);
    }

    /** The T² factor: the soft term's gradient in the student logits is (softmax(s/T) − softmax(t/T))·T/N. */
    @Test
    void softGradientScalesAsTemperatureOverBatch() {
        Generator g = new Generator(32);
        Tensor t = Tensor.randn(g, 4, 5);
        for (double temp : new double[] {1, 3, 8}) {
            Tensor s = Tensor.randn(g, 4, 5).requiresGrad(true);
            Losses.distillationKL(s, t, temp).backward();
            float T = (float) temp;
            Tensor expected = s.detach().div(T).softmax(1).sub(t.div(T).softmax(1)).mul(T / 4);
            Approx.assertClose("T=" + temp, expected, s.grad(), 1e-5, 1e-7);
        }
        Tensor same = Tensor.randn(g, 2, 3);
        assertEquals(0f, Losses.distillationKL(same, same, 2).item(), 1e-7f);
    }

    @Test
    void badArgumentsAreRejected() {
        Tensor s = Tensor.zeros(2, 3), y = Tensor.vector(0, 1);
        assertThrows(IllegalArgumentException.class, () -> Losses.distillation(s, Tensor.zeros(2, 4), y, 2, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Losses.distillation(Tensor.zeros(3), Tensor.zeros(3), y, 2, 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.distillation(s, s, y, 0, 0.5));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.distillation(s, s, y, Double.POSITIVE_INFINITY, 0.5));
        e = assertThrows(IllegalArgumentException.class, () -> Losses.distillation(s, s, y, 2, 1.5));
        assertTrue(e.getMessage().contains("alpha"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.distillation(s, s, null, 2, 0.5));
    }

    // ---------------------------------------------------------------- Trainer.distillFrom

    /** Four classes in 6-D: the class is the sign pattern of two projections plus noise. */
    private static TensorDataset task(long seed, int n) {
        Generator g = new Generator(seed);
        float[] x = new float[n * 6], y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            y[i] = c;
            for (int j = 0; j < 6; j++) x[i * 6 + j] = (float) (0.8 * g.nextGaussian());
            x[i * 6] += (c & 1) == 0 ? 1.5f : -1.5f;
            x[i * 6 + 1] += (c & 2) == 0 ? 1.5f : -1.5f;
        }
        return new TensorDataset(Tensor.of(x, n, 6), Tensor.of(y, n));
    }

    private static DataLoader loader(TensorDataset d, boolean shuffle) {
        return DataLoader.builder(d).batchSize(32).shuffle(shuffle).seed(4).build();
    }

    private static Sequential teacher() {
        Generator g = new Generator(41);
        Sequential t = new Sequential(new Linear(6, 32, g), new ReLU(), new Dropout(0.3, g), new Linear(32, 4, g));
        Trainer.builder(t, new Adam(t.parameters(), Map.of("lr", 0.02)), new CrossEntropyLoss()::apply).epochs(6)
                .progress((ProgressBar) null).build().fit(loader(task(42, 256), true), null);
        return t;
    }

    @Test
    void studentTrainsFromATeacherInEvalModeWithoutTouchingIt() {
        Sequential teacher = teacher();
        teacher.train();
        Map<String, Tensor> before = snapshot(teacher);
        Linear student = new Linear(6, 4, new Generator(43));
        boolean[] teacherEvalDuringFit = {true};
        Callback watch = new Callback() {
            @Override
            public void onBatchEnd(TrainingContext ctx, int batch, Map<String, Double> logs) {
                teacherEvalDuringFit[0] &= !teacher.isTraining();
            }
        };
        Trainer.Result r = Trainer.builder(student, new Adam(student.parameters(), Map.of("lr", 0.02)), new CrossEntropyLoss()::apply)
                .epochs(5).distillFrom(teacher, 3.0, 0.7).callback(watch).progress((ProgressBar) null).build()
                .fit(loader(task(44, 256), true), loader(task(45, 128), false));
        List<Double> loss = r.history().epochs("loss");
        assertTrue(loss.get(4) < 0.7 * loss.get(0), "distillation loss falls: " + loss);
        assertTrue(r.history().last("val_accuracy") > 0.8, "student accuracy " + r.history().last("val_accuracy"));
        assertTrue(teacherEvalDuringFit[0], "teacher runs in eval mode");
        assertTrue(teacher.isTraining(), "the teacher's mode is restored after fit");
        for (Map.Entry<String, Tensor> e : teacher.stateDict().entrySet())
            assertArrayEquals(before.get(e.getKey()).toArray(), e.getValue().toArray(), e.getKey() + " unchanged");
        for (Tensor p : teacher.parameters()) assertTrue(p.grad() == null || p.grad().abs().sum().item() == 0f, "no teacher gradient");
    }

    /** One epoch of Trainer.distillFrom takes exactly the steps of a hand-written loop with Losses.distillation. */
    @Test
    void trainerFeedsTheTeacherLogitsOfEachBatch() {
        Sequential teacher = teacher();
        Linear a = new Linear(6, 4, new Generator(46)), b = new Linear(6, 4, new Generator(46));
        DataLoader data = loader(task(47, 96), false);
        Trainer.builder(a, new SGD(a.parameters(), 0.1), new CrossEntropyLoss()::apply).epochs(1).distillFrom(teacher, 2.0, 0.4)
                .progress((ProgressBar) null).build().fit(data, null);
        SGD opt = new SGD(b.parameters(), 0.1);
        teacher.eval();
        for (Batch batch : data.epoch(0)) {
            opt.zeroGrad();
            Tensor soft;
            try (dev.anneal.autograd.GradMode.NoGrad ignored = dev.anneal.autograd.GradMode.noGrad()) {
                soft = teacher.invoke(batch.inputs());
            }
            Losses.distillation(b.invoke(batch.inputs()), soft, batch.targets(), 2.0, 0.4).backward();
            opt.step();
        }
        assertArrayEquals(b.weight().toArray(), a.weight().toArray());
        assertArrayEquals(b.bias().toArray(), a.bias().toArray());
        assertFalse(a.weight().toArray()[0] == new Linear(6, 4, new Generator(46)).weight().toArray()[0], "trained");
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(a, new SGD(a.parameters(), 0.1), new CrossEntropyLoss()::apply)
                .distillFrom(a, 2, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(a, new SGD(a.parameters(), 0.1), new CrossEntropyLoss()::apply)
                .distillFrom(teacher, -1, 0.5));
    }

    private static Map<String, Tensor> snapshot(Module m) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }
}
