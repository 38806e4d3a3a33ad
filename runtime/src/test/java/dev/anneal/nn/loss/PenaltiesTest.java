package dev.anneal.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.nn.Module;
import java.util.List;
import org.junit.jupiter.api.Test;

class PenaltiesTest {
    /** A stand-in model: a linear layer's weight and bias, a norm scale, and a child with a weight. */
    private static final class Net extends Module {
        final Tensor w = registerParameter("weight", Tensor.of(new float[] {1, -2, 0, 3}, 2, 2));
        final Tensor b = registerParameter("bias", Tensor.vector(5, -5));
        final Tensor scale = registerParameter("norm_weight", Tensor.vector(7, 7));
        final Child child = registerModule("block", new Child());

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    private static final class Child extends Module {
        final Tensor w = registerParameter("weight", Tensor.of(new float[] {0.5f, -0.5f}, 1, 2));
        final Tensor ln = registerParameter("weight_g", Tensor.vector(4));

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    @Test
    void l1AndL2SumOverAllTensorsWithGradients() {
        Tensor a = Tensor.of(new float[] {1, -2, 0, 3}, 2, 2).requiresGrad(true), b = Tensor.vector(-0.5f).requiresGrad(true);
        Tensor l1 = Penalties.l1(List.of(a, b));
        assertEquals(6.5f, l1.item(), 0f);
        l1.backward();
        assertArrayEquals(new float[] {1, -1, 0, 1}, a.grad().toArray(), 0f);
        a.setGrad(null);
        b.setGrad(null);
        Tensor l2 = Penalties.l2(List.of(a, b));
        assertEquals(1 + 4 + 9 + 0.25f, l2.item(), 0f); // Σw², no ½
        l2.mul(3f).backward();
        assertArrayEquals(new float[] {6, -12, 0, 18}, a.grad().toArray(), 0f);
        assertArrayEquals(new float[] {-3}, b.grad().toArray(), 0f);
        assertEquals(0f, Penalties.l2(List.of()).item(), 0f);
    }

    @Test
    void changingAParameterBeforeBackwardIsReported() {
        Tensor a = Tensor.vector(1, 2).requiresGrad(true);
        Tensor l2 = Penalties.l2(List.of(a));
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            a.mulInPlace(2f);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, l2::backward);
        assertTrue(e.getMessage().contains("l2Penalty"), e.getMessage());
    }

    @Test
    void weightsOnlyKeepsMatricesNamedWeight() {
        Net net = new Net();
        List<Tensor> ws = Penalties.weightsOnly(net);
        assertEquals(2, ws.size());
        assertSame(net.w, ws.get(0));
        assertSame(net.child.w, ws.get(1));
        assertEquals(1 + 4 + 9 + 0.25f + 0.25f, Penalties.l2(ws).item(), 0f);
        List<Tensor> biases = Penalties.select(net, (name, p) -> name.endsWith("bias"));
        assertEquals(List.of(net.b), biases);
    }
}
