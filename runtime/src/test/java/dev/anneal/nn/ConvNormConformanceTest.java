package dev.anneal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.nn.functional.Conv;
import dev.anneal.nn.functional.Norm;
import dev.anneal.nn.functional.Pool;
import dev.anneal.testing.Approx;
import dev.anneal.testing.Reference;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Convolution, pooling and normalization against PyTorch 1.13 (tools/reference/gen_conv_norm.py). */
class ConvNormConformanceTest {
    private static final Reference REF = Reference.load("conv_norm.txt");
    /** Convolution and normalization sum many float32 products in a different order than PyTorch (GEMM blocking, vector lanes). */
    private static final double RTOL_SUMS = 1e-4;
    /** Pooling only picks or averages a few values, so it agrees almost to the last bit. */
    private static final double RTOL = 1e-5;

    private static List<String> cases(String prefix) {
        List<String> out = REF.names().stream().filter(n -> n.startsWith(prefix) && n.endsWith("/params"))
                .map(n -> n.substring(0, n.length() - "/params".length())).collect(Collectors.toList());
        assertTrue(out.size() >= 4, "reference has too few " + prefix + " cases");
        return out;
    }

    private static int[] params(String c) {
        float[] p = REF.get(c + "/params").toArray();
        int[] r = new int[p.length];
        for (int i = 0; i < p.length; i++) r[i] = Math.round(p[i]);
        return r;
    }

    private static Tensor leaf(String name) {
        return REF.get(name).clone().detach().requiresGrad(true);
    }

    @Test
    void conv2dForwardAndGradients() {
        for (String c : cases("conv_")) {
            int[] p = params(c);
            Tensor x = leaf(c + "/x"), w = leaf(c + "/w"), b = p[7] == 1 ? leaf(c + "/b") : null;
            Tensor y = Conv.conv2d(x, w, b, new int[] {p[0], p[1]}, new int[] {p[2], p[3]}, new int[] {p[4], p[5]}, p[6]);
            Approx.assertClose(c + " y", REF.get(c + "/y"), y, RTOL_SUMS);
            y.backward(REF.get(c + "/gy"));
            Approx.assertClose(c + " grad x", REF.get(c + "/grad_x"), x.grad(), RTOL_SUMS);
            Approx.assertClose(c + " grad w", REF.get(c + "/grad_w"), w.grad(), RTOL_SUMS);
            if (b != null) Approx.assertClose(c + " grad b", REF.get(c + "/grad_b"), b.grad(), RTOL_SUMS);
        }
    }

    @Test
    void maxPool2dForwardAndGradients() {
        for (String c : cases("maxpool_")) {
            int[] p = params(c);
            Tensor x = leaf(c + "/x");
            Tensor y = Pool.maxPool2d(x, new int[] {p[0], p[1]}, new int[] {p[2], p[3]}, new int[] {p[4], p[5]}, new int[] {p[6], p[7]},
                    p[8] == 1);
            Approx.assertClose(c + " y", REF.get(c + "/y"), y, RTOL);
            y.backward(REF.get(c + "/gy"));
            // ties: the gradient must land on the same (first) maximum as PyTorch's
            Approx.assertClose(c + " grad x", REF.get(c + "/grad_x"), x.grad(), RTOL);
        }
    }

    @Test
    void avgPool2dForwardAndGradients() {
        for (String c : cases("avgpool_")) {
            int[] p = params(c);
            Tensor x = leaf(c + "/x");
            Tensor y = Pool.avgPool2d(x, new int[] {p[0], p[1]}, new int[] {p[2], p[3]}, new int[] {p[4], p[5]}, p[6] == 1, p[7] == 1, p[8]);
            Approx.assertClose(c + " y", REF.get(c + "/y"), y, RTOL, 1e-7);
            y.backward(REF.get(c + "/gy"));
            Approx.assertClose(c + " grad x", REF.get(c + "/grad_x"), x.grad(), RTOL, 1e-7);
        }
    }

    @Test
    void adaptiveAvgPool2dForwardAndGradients() {
        for (String c : cases("adaptive_")) {
            int[] p = params(c);
            Tensor x = leaf(c + "/x");
            Tensor y = Pool.adaptiveAvgPool2d(x, p[0], p[1]);
            Approx.assertClose(c + " y", REF.get(c + "/y"), y, RTOL, 1e-7);
            y.backward(REF.get(c + "/gy"));
            Approx.assertClose(c + " grad x", REF.get(c + "/grad_x"), x.grad(), RTOL, 1e-7);
        }
    }

    @Test
    void batchNormTrainingStepsThenEval() {
        for (String c : cases("bn")) {
            int[] p = params(c);
            Double momentum = p[1] < 0 ? null : p[1] / 1000.0;
            boolean affine = p[2] == 1;
            int channels = REF.get(c + "/x0").size(1);
            BatchNorm m = p[0] == 4 ? new BatchNorm2d(channels, 1e-5, momentum, affine, true)
                    : new BatchNorm1d(channels, 1e-5, momentum, affine, true);
            if (affine) {
                try (GradMode.NoGrad ignored = GradMode.noGrad()) {
                    m.weight().copyFrom(REF.get(c + "/weight"));
                    m.bias().copyFrom(REF.get(c + "/bias"));
                }
            }
            for (int i = 0; i < p[3]; i++) {
                String s = c + " step " + i;
                if (affine) {
                    m.weight().setGrad(null);
                    m.bias().setGrad(null);
                }
                Tensor x = leaf(c + "/x" + i);
                Tensor y = m.invoke(x);
                Approx.assertClose(s + " y", REF.get(c + "/y" + i), y, RTOL_SUMS, 1e-6);
                y.backward(REF.get(c + "/gy" + i));
                Approx.assertClose(s + " grad x", REF.get(c + "/grad_x" + i), x.grad(), RTOL_SUMS, 1e-6);
                if (affine) {
                    Approx.assertClose(s + " grad w", REF.get(c + "/grad_w" + i), m.weight().grad(), RTOL_SUMS, 1e-6);
                    Approx.assertClose(s + " grad b", REF.get(c + "/grad_b" + i), m.bias().grad(), RTOL_SUMS, 1e-6);
                }
                Approx.assertClose(s + " running mean", REF.get(c + "/running_mean" + i), m.runningMean(), RTOL_SUMS, 1e-6);
                Approx.assertClose(s + " running var", REF.get(c + "/running_var" + i), m.runningVar(), RTOL_SUMS, 1e-6);
                assertEquals(i + 1, m.numBatchesTracked().item(), 0f);
            }
            m.eval();
            if (affine) {
                m.weight().setGrad(null);
                m.bias().setGrad(null);
            }
            Tensor x = leaf(c + "/x_eval");
            Tensor y = m.invoke(x);
            Approx.assertClose(c + " eval y", REF.get(c + "/y_eval"), y, RTOL_SUMS, 1e-6);
            y.backward(REF.get(c + "/gy_eval"));
            Approx.assertClose(c + " eval grad x", REF.get(c + "/grad_x_eval"), x.grad(), RTOL_SUMS, 1e-6);
            if (affine) {
                Approx.assertClose(c + " eval grad w", REF.get(c + "/grad_w_eval"), m.weight().grad(), RTOL_SUMS, 1e-6);
                Approx.assertClose(c + " eval grad b", REF.get(c + "/grad_b_eval"), m.bias().grad(), RTOL_SUMS, 1e-6);
            }
            assertEquals(p[3], m.numBatchesTracked().item(), 0f, "eval must not count batches");
        }
    }

    @Test
    void layerNormForwardAndGradients() {
        for (String c : cases("ln_")) {
            int[] ns = params(c);
            boolean affine = REF.has(c + "/weight");
            Tensor x = leaf(c + "/x");
            Tensor w = affine ? leaf(c + "/weight") : null, b = affine ? leaf(c + "/bias") : null;
            Tensor y = Norm.layerNorm(x, ns, w, b, REF.scalar(c + "/eps"));
            Approx.assertClose(c + " y", REF.get(c + "/y"), y, RTOL_SUMS, 1e-6);
            y.backward(REF.get(c + "/gy"));
            Approx.assertClose(c + " grad x", REF.get(c + "/grad_x"), x.grad(), RTOL_SUMS, 1e-6);
            if (affine) {
                Approx.assertClose(c + " grad w", REF.get(c + "/grad_w"), w.grad(), RTOL_SUMS, 1e-6);
                Approx.assertClose(c + " grad b", REF.get(c + "/grad_b"), b.grad(), RTOL_SUMS, 1e-6);
            }
        }
    }
}
