package dev.anneal.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneal.autograd.Tensor;
import dev.anneal.testing.Approx;
import dev.anneal.testing.Reference;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scheduler case replays PyTorch 1.13's lr (and momentum) trajectory on two groups. */
class ScheduleConformanceTest {
    static final Reference REF = Reference.load("schedules.txt");

    static Stream<String> cases() {
        return ScheduleCases.NAMES.stream();
    }

    static float[] metric(String name) {
        return REF.has(name + "/metric") ? REF.get(name + "/metric").toArray() : null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void replaysPyTorchTrajectory(String name) {
        Tensor expectedLr = REF.get(name + "/lr");
        ScheduleCases.Run run = ScheduleCases.build(name, metric(name));
        int calls = run.calls();
        assertEquals(expectedLr.size(0), calls + 1, name + ": reference rows");
        float[] lr = new float[(calls + 1) * 2], mom = new float[(calls + 1) * 2];
        record(run, 0, lr, mom);
        for (int t = 0; t < calls; t++) {
            run.step(t);
            record(run, t + 1, lr, mom);
            double[] now = run.lrs();
            List<Double> last = run.lastLr();
            assertArrayEquals(now, last.stream().mapToDouble(Double::doubleValue).toArray(), 0.0, name + ": getLastLr after call " + t);
        }
        Approx.assertClose(name + "/lr", expectedLr, Tensor.of(lr, calls + 1, 2), 1e-6, 1e-12);
        if (run.cyclesMomentum())
            Approx.assertClose(name + "/momentum", REF.get(name + "/momentum"), Tensor.of(mom, calls + 1, 2), 1e-6, 1e-12);
    }

    private static void record(ScheduleCases.Run run, int row, float[] lr, float[] mom) {
        double[] l = run.lrs();
        lr[2 * row] = (float) l[0];
        lr[2 * row + 1] = (float) l[1];
        if (run.cyclesMomentum()) {
            double[] m = run.momenta();
            mom[2 * row] = (float) m[0];
            mom[2 * row + 1] = (float) m[1];
        }
    }
}
