package dev.anneal.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.testing.Approx;
import dev.anneal.testing.Reference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** clipGradNorm / clipGradValue against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (schedules.txt). */
class ClipConformanceTest {
    static final Reference REF = Reference.load("schedules.txt");

    /** Three parameters holding the reference gradients, and a fourth without a gradient. */
    private static List<Tensor> params() {
        List<Tensor> ps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Tensor g = REF.get("clip/grad" + i);
            Tensor p = Tensor.zeros(g.shape()).requiresGrad(true);
            p.setGrad(g.clone());
            ps.add(p);
        }
        ps.add(Tensor.zeros(4).requiresGrad(true));
        return ps;
    }

    private static void assertGrads(String c, List<Tensor> ps) {
        for (int i = 0; i < 3; i++) Approx.assertClose(c + "/grad" + i, REF.get("clip/" + c + "/grad" + i), ps.get(i).grad(), 1e-6, 1e-7);
        assertNull(ps.get(3).grad());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"n2_clip, 2, 1", "n2_noclip, 2, 100", "n1_clip, 1, 2", "n1_noclip, 1, 100", "ninf_clip, Infinity, 0.5",
        "ninf_noclip, Infinity, 10", "nhalf_clip, 0.5, 5", "nhalf_noclip, 0.5, 1e4", "n3_clip, 3, 0.1"})
    void clipsByNormAsPyTorch(String c, double normType, double maxNorm) {
        List<Tensor> ps = params();
        double total = Clip.clipGradNorm(ps, maxNorm, normType, true);
        float expected = REF.scalar("clip/" + c + "/total");
        assertEquals(expected, total, 1e-6 * expected, c + ": total norm");
        assertEquals(c.endsWith("_clip"), total > maxNorm, c + ": case sanity");
        assertGrads(c, ps);
    }

    @Test
    void nanGradientGivesNanTotalOrError() {
        List<Tensor> ps = params();
        ps.get(1).grad().set(Float.NaN, 2);
        float before = ps.get(0).grad().item(0, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Clip.clipGradNorm(ps, 1.0, 2.0, true));
        assertTrue(e.getMessage().contains("clipGradNorm") && e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(before, ps.get(0).grad().item(0, 0)); // nothing changed

        double total = Clip.clipGradNorm(ps, 1.0, 2.0, false);
        assertTrue(Double.isNaN(total) && Float.isNaN(REF.scalar("clip/nan/total")));
        assertGrads("nan", ps);
    }

    @Test
    void infiniteGradientWithInfNorm() {
        List<Tensor> ps = params();
        ps.get(0).grad().set(Float.POSITIVE_INFINITY, 1, 1);
        assertThrows(IllegalStateException.class, () -> Clip.clipGradNorm(ps, 1.0, Double.POSITIVE_INFINITY, true));
        double total = Clip.clipGradNorm(ps, 1.0, Double.POSITIVE_INFINITY, false);
        assertEquals(Double.POSITIVE_INFINITY, total);
        assertEquals(Float.POSITIVE_INFINITY, REF.scalar("clip/inf/total"));
        assertGrads("inf", ps);
    }

    @Test
    void clipsByValueAsPyTorch() {
        List<Tensor> ps = params();
        Clip.clipGradValue(ps, 0.7);
        assertGrads("value", ps);
    }

    @Test
    void noGradientsGiveZero() {
        Tensor p = Tensor.zeros(3).requiresGrad(true);
        assertEquals(0.0, Clip.clipGradNorm(List.of(p), 1.0));
        Clip.clipGradValue(List.of(p), 1.0);
        assertNull(p.grad());
    }
}
