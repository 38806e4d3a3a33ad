package dev.anneal.nn.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.testing.Approx;
import dev.anneal.testing.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every loss and option combination against PyTorch 1.13 (tools/reference/gen_losses.py → losses.txt). */
class LossConformanceTest {
    private static final Reference REF = Reference.load("losses.txt");
    private static final Reduction[] CODES = {Reduction.NONE, Reduction.MEAN, Reduction.SUM, Reduction.BATCHMEAN};
    /** Loss values and gradients agree to 1e-5 relative (float32 throughout; both sides round differently only in the last bits). */
    private static final double RTOL = 1e-5;
    /**
     * Gradients also get an absolute slack of 1e-7 × their largest element: entries that are differences of
     * O(1) terms (σ(x) − t, softmax − target) carry PyTorch's float32 rounding of those terms (about one ulp
     * of the largest entry), which no relative bound on the small result can absorb; this implementation
     * forms them in double.
     */
    private static final double GRAD_ATOL_PER_SCALE = 1e-7;

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        List<String> cases = new ArrayList<>();
        for (String name : REF.names())
            if (name.endsWith("/loss")) cases.add(name.substring(0, name.length() - "/loss".length()));
        assertTrue(cases.size() > 200, "expected the full case list, found " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c, () -> check(c)));
    }

    private static Tensor opt(String c, String what) {
        return REF.has(c + "/" + what) ? REF.get(c + "/" + what) : null;
    }

    static Tensor compute(String kind, Tensor x, Tensor t, float[] o, Tensor weight, Tensor posWeight) {
        Reduction red = CODES[(int) o[0]];
        int ignore = (int) o[1];
        switch (kind) {
            case "ce": return Losses.crossEntropy(x, t, weight, ignore, red, o[2]);
            case "nll": return Losses.nllLoss(x, t, weight, ignore, red);
            case "mse": return Losses.mseLoss(x, t, red);
            case "l1": return Losses.l1Loss(x, t, red);
            case "smoothl1": return Losses.smoothL1Loss(x, t, red, o[3]);
            case "huber": return Losses.huberLoss(x, t, red, o[3]);
            case "bce": return Losses.binaryCrossEntropy(x, t, weight, red);
            case "bcel": return Losses.binaryCrossEntropyWithLogits(x, t, weight, posWeight, red);
            case "kl": return Losses.klDiv(x, t, red, o[4] != 0);
            default: throw new AssertionError("unknown loss kind " + kind);
        }
    }

    private static void check(String c) {
        String kind = c.substring(0, c.indexOf('.'));
        Tensor x = REF.get(c + "/input").clone().detach().requiresGrad(true);
        Tensor t = REF.get(c + "/target").clone().detach();
        Tensor gradTarget = opt(c, "grad_target");
        if (gradTarget != null) t.requiresGrad(true);
        float[] o = REF.get(c + "/opts").toArray();
        Tensor loss = compute(kind, x, t, o, opt(c, "weight"), opt(c, "pos_weight"));
        Approx.assertClose(c + " loss", REF.get(c + "/loss"), loss, RTOL);
        Tensor up = opt(c, "upstream");
        if (up != null) loss.backward(up);
        else loss.backward();
        assertGradClose(c + " grad input", REF.get(c + "/grad_input"), x.grad());
        if (gradTarget != null) assertGradClose(c + " grad target", gradTarget, t.grad());
    }

    private static void assertGradClose(String what, Tensor expected, Tensor actual) {
        double scale = 0;
        for (float v : expected.toArray()) if (Float.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        Approx.assertClose(what, expected, actual, RTOL, GRAD_ATOL_PER_SCALE * scale);
    }
}
