package dev.anneal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sequential's fused pairs (ReLU→Dropout, Linear→ReLU) give bit-for-bit the values and gradients of
 * the same layers run one by one, draw the same dropout masks, and leave summary() unchanged.
 */
class FusedLayersTest {
    private static Sequential model(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Flatten(), new Linear(12, 16, g), new BatchNorm1d(16), new ReLU(), new Dropout(0.3, g),
                new Linear(16, 8, g), new ReLU(), new Dropout(0.2, g), new Linear(8, 6, g), new ReLU(), new Linear(6, 4, g), new ReLU());
    }

    private static Tensor layerByLayer(Sequential m, Tensor x) {
        for (Module layer : m) x = layer.invoke(x);
        return x;
    }

    @Test
    void fusedForwardAndBackwardEqualTheLayersOneByOne() {
        for (boolean training : new boolean[] {true, false}) {
            Sequential fused = model(5), plain = model(5);
            fused.train(training);
            plain.train(training);
            for (int step = 0; step < 3; step++) {
                Tensor x1 = Tensor.randn(new Generator(20 + step), 10, 3, 4).requiresGrad(true);
                Tensor x2 = x1.detach().requiresGrad(true);
                Tensor y1 = fused.invoke(x1), y2 = layerByLayer(plain, x2);
                assertArrayEquals(y2.toArray(), y1.toArray(), "output, step " + step + ", training " + training);
                Tensor w = Tensor.randn(new Generator(40 + step), 10, 4);
                y1.mul(w).sum().backward();
                y2.mul(w).sum().backward();
                assertArrayEquals(x2.grad().toArray(), x1.grad().toArray(), "input gradient, step " + step);
                List<Tensor> p1 = fused.parameters(), p2 = plain.parameters();
                for (int i = 0; i < p1.size(); i++)
                    assertArrayEquals(p2.get(i).grad().toArray(), p1.get(i).grad().toArray(), "parameter " + i + ", step " + step);
            }
        }
    }

    @Test
    void fusedOpsAreRecordedAndTheLastReluStaysItsOwnLayer() {
        Sequential m = model(6);
        Tensor y = m.invoke(Tensor.randn(new Generator(1), 10, 12).requiresGrad(true));
        assertEquals("relu", y.gradFnName());
        Sequential head = new Sequential(new Linear(4, 3, new Generator(2)), new ReLU(), new Linear(3, 2, new Generator(3)));
        Tensor h = head.get(0) instanceof Linear l ? l.forward(Tensor.ones(2, 4).requiresGrad(true), true) : null;
        assertEquals("linearRelu", h.gradFnName());
        Tensor r = new Sequential(new ReLU(), new Dropout(0.5, new Generator(4))).invoke(Tensor.ones(4, 4).requiresGrad(true));
        assertEquals("reluDropout", r.gradFnName());
    }

    @Test
    void summaryStillListsEveryLayer() {
        String s = model(7).summary(1, 3, 4);
        // one row per layer, each with the shape the layer put out, fused pairs included
        assertEquals(12, s.lines().filter(l -> l.matches("^\\d+\\s.*\\]\\s+\\d+$")).count(), s);
        assertEquals(true, s.lines().anyMatch(l -> l.matches("^3\\s+ReLU\\(\\)\\s+\\[1, 16\\]\\s+0$")), s);
        assertEquals(true, s.lines().anyMatch(l -> l.matches("^7\\s+Dropout\\(p=0.2\\)\\s+\\[1, 8\\]\\s+0$")), s);
    }
}
