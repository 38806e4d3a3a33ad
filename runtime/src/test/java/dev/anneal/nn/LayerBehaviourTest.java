package dev.anneal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.init.Init;
import dev.anneal.tensor.Generator;
import dev.anneal.testing.Reference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shapes, argument checks, initialisation and container APIs of the layers. */
class LayerBehaviourTest {
    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }

    @Test
    void linearDefaultInitMatchesPyTorchBounds() {
        Reference ref = Reference.load("layers.txt");
        Linear l = new Linear(784, 256, new Generator(7));
        float wBound = ref.scalar("linear_default/weight_bound"), bBound = ref.scalar("linear_default/bias_bound");
        assertEquals(1 / Math.sqrt(784), wBound, 1e-7); // kaiming_uniform(a=√5) reduces to 1/√fan_in
        float[] w = l.weight().toArray(), b = l.bias().toArray();
        double max = 0, sum = 0, sq = 0;
        for (float v : w) {
            assertTrue(Math.abs(v) <= wBound);
            max = Math.max(max, Math.abs(v));
            sum += v;
            sq += v * v;
        }
        for (float v : b) assertTrue(Math.abs(v) <= bBound);
        double mean = sum / w.length, std = Math.sqrt(sq / w.length - mean * mean);
        assertEquals(ref.scalar("linear_default/weight_max_abs"), max, wBound * 1e-3);
        assertEquals(wBound / Math.sqrt(3), std, wBound / Math.sqrt(3) * 0.01); // uniform: std = bound/√3; 200k samples
        assertEquals(ref.scalar("linear_default/weight_std"), std, wBound / Math.sqrt(3) * 0.01);
        assertEquals(0, mean, 0.005 * wBound);
        assertTrue(b.length == 256 && Math.abs(b[0]) > 0);
    }

    @Test
    void layersWithoutGeneratorDrawFromTheSeededDefault() {
        Init.manualSeed(99);
        Linear a = new Linear(5, 4);
        Embedding ea = new Embedding(6, 2);
        Init.manualSeed(99);
        Linear b = new Linear(5, 4);
        Embedding eb = new Embedding(6, 2);
        assertArrayEquals(a.weight().toArray(), b.weight().toArray());
        assertArrayEquals(a.bias().toArray(), b.bias().toArray());
        assertArrayEquals(ea.weight().toArray(), eb.weight().toArray());
        assertFalse(java.util.Arrays.equals(a.weight().toArray(), new Linear(5, 4).weight().toArray()));
        // an explicit generator gives the same layer as the default one seeded alike
        Init.manualSeed(5);
        assertArrayEquals(new Linear(3, 3).weight().toArray(), new Linear(3, 3, new Generator(5)).weight().toArray());
    }

    @Test
    void linearChecksItsInput() {
        Linear l = new Linear(4, 3, new Generator(1));
        assertArrayEquals(new int[] {2, 5, 3}, l.invoke(Tensor.zeros(2, 5, 4)).shape());
        assertArrayEquals(new int[] {3}, l.invoke(Tensor.zeros(4)).shape());
        assertArrayEquals(new int[] {0, 3}, l.invoke(Tensor.zeros(0, 4)).shape());
        Linear empty = new Linear(0, 2, new Generator(1)); // no inputs: the output is the bias, which is zero (bound 0)
        assertArrayEquals(new float[4], empty.invoke(Tensor.zeros(2, 0)).toArray());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> l.invoke(Tensor.zeros(2, 5))), "Linear", "[2, 5]", "4");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> l.invoke(Tensor.scalar(1))), "Linear", "[]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Linear(-1, 3)), "Linear", "-1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Linear(Tensor.zeros(3, 4), Tensor.zeros(4))),
                "bias", "[3]", "[4]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Linear(Tensor.zeros(3), null)), "weight", "[3]");
        Linear noBias = new Linear(4, 3, false, new Generator(1));
        assertNull(noBias.bias());
        assertEquals(List.of("weight"), new ArrayList<>(noBias.namedParameters().keySet()));
    }

    @Test
    void linearOnStridedInputsAndWeights() {
        Generator g = new Generator(4);
        Tensor base = Tensor.randn(g, 5, 3).requiresGrad(true), copy = Tensor.of(base.toArray(), 5, 3).requiresGrad(true);
        Tensor wBase = Tensor.randn(g, 5, 4);
        Linear strided = new Linear(wBase.t().detach(), null); // weight [4, 5] as a transposed view
        Linear plain = new Linear(Tensor.of(wBase.t().toArray(), 4, 5), null);
        Tensor a = strided.invoke(base.t()), b = plain.invoke(copy.t().contiguous());
        assertArrayEquals(b.toArray(), a.toArray(), 1e-6f);
        a.sum().backward();
        b.sum().backward();
        assertArrayEquals(copy.grad().toArray(), base.grad().toArray(), 1e-6f);
        assertArrayEquals(plain.weight().grad().toArray(), strided.weight().grad().toArray(), 1e-6f);
    }

    @Test
    void linearFromTensorsSharesThem() {
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), b = Tensor.vector(10, 20);
        Linear l = new Linear(w, b);
        assertSame(w, l.weight());
        assertTrue(w.requiresGrad());
        assertArrayEquals(new float[] {10 + 1 - 3, 20 + 4 - 6}, l.invoke(Tensor.vector(1, 0, -1)).toArray());
    }

    @Test
    void embeddingLooksUpRowsAndProtectsThePaddingRow() {
        Embedding e = new Embedding(5, 3, 1, new Generator(2));
        assertArrayEquals(new float[3], e.weight().select(0, 1).toArray());
        Tensor idx = Tensor.of(new float[] {1, 3, 3, 1, 0, 1}, 2, 3);
        Tensor out = e.invoke(idx);
        assertArrayEquals(new int[] {2, 3, 3}, out.shape());
        assertArrayEquals(e.weight().select(0, 3).toArray(), out.select(0, 0).select(0, 1).toArray());
        out.backward(Tensor.onesLike(out));
        float[] g = e.weight().grad().toArray();
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 2, 2, 2, 0, 0, 0}, g); // row 3 twice, padding row 1 never
        assertEquals(4, new Embedding(5, 3, -1, new Generator(1)).paddingIdx());
        assertEquals(-1, new Embedding(5, 3, new Generator(1)).paddingIdx());
        assertArrayEquals(new int[] {3}, e.invoke(Tensor.scalar(2)).shape());
    }

    @Test
    void embeddingInitIsStandardNormal() {
        float[] w = new Embedding(1000, 100, new Generator(3)).weight().toArray();
        double sum = 0, sq = 0;
        for (float v : w) {
            sum += v;
            sq += v * v;
        }
        double mean = sum / w.length;
        assertEquals(0, mean, 0.01);
        assertEquals(1, Math.sqrt(sq / w.length - mean * mean), 0.01);
    }

    @Test
    void embeddingRejectsBadIndices() {
        Embedding e = new Embedding(5, 3, new Generator(2));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> e.invoke(Tensor.vector(0, 5))), "Embedding", "5.0", "[0, 5)");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> e.invoke(Tensor.vector(-1))), "Embedding", "-1.0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> e.invoke(Tensor.vector(1.5f))), "Embedding", "1.5");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 3, 5, new Generator(1))), "padding_idx", "5");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 3, -6, new Generator(1))), "padding_idx", "-6");
    }

    @Test
    void embeddingFromPretrainedUsesTheTensor() {
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Embedding frozen = Embedding.fromPretrained(w, true);
        assertSame(w, frozen.weight());
        assertFalse(w.requiresGrad());
        assertEquals(0, frozen.parameterCount(true));
        assertArrayEquals(new float[] {3, 4, 1, 2}, frozen.invoke(Tensor.vector(1, 0)).toArray());
        assertFalse(frozen.invoke(Tensor.vector(1, 0)).requiresGrad());
    }

    @Test
    void flattenShapes() {
        Tensor x = Tensor.zeros(2, 3, 4, 5);
        assertArrayEquals(new int[] {2, 60}, new Flatten().invoke(x).shape());
        assertArrayEquals(new int[] {2, 12, 5}, new Flatten(1, 2).invoke(x).shape());
        assertArrayEquals(new int[] {120}, new Flatten(0, -1).invoke(x).shape());
        assertArrayEquals(new int[] {6, 4, 5}, new Flatten(0, 1).invoke(x).shape());
    }

    @Test
    void sequentialApi() {
        ReLU r = new ReLU();
        Tanh t = new Tanh();
        Sequential s = new Sequential(r);
        assertSame(s, s.add(t));
        assertEquals(2, s.size());
        assertSame(r, s.get(0));
        assertSame(t, s.get(-1));
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> s.get(2)), "Sequential", "2");
        List<Module> seen = new ArrayList<>();
        s.forEach(seen::add);
        assertEquals(List.of(r, t), seen);
        assertEquals(List.of("0", "1"), new ArrayList<>(s.namedChildren().keySet()));
        assertArrayEquals(new float[] {0, (float) Math.tanh(2)}, s.invoke(Tensor.vector(-1, 2)).toArray());
        Tensor x = Tensor.vector(1, 2);
        assertSame(x, new Sequential().invoke(x));
        assertThrows(IllegalArgumentException.class, () -> s.add(null));
    }

    @Test
    void residualAddsTheInputOrShortcut() {
        Tensor x = Tensor.vector(-1, 2);
        assertArrayEquals(new float[] {-1, 4}, new Residual(new ReLU()).invoke(x).toArray());
        assertArrayEquals(new float[] {-1, 4}, new Residual(new ReLU(), new Identity()).invoke(x).toArray());
        Residual bad = new Residual(new Linear(2, 3, new Generator(1)));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> bad.invoke(Tensor.zeros(4, 2))),
                "Residual", "body output [4, 3]", "input [4, 2]", "shortcut");
        Residual badShortcut = new Residual(new Linear(2, 3, new Generator(1)), new Linear(2, 4, new Generator(1)));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> badShortcut.invoke(Tensor.zeros(4, 2))),
                "Residual", "[4, 3]", "shortcut output [4, 4]");
        assertEquals(List.of("body.weight", "body.bias", "shortcut.weight", "shortcut.bias"),
                new ArrayList<>(badShortcut.namedParameters().keySet()));
    }

    @Test
    void activationArgumentChecks() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new GELU("erf")), "GELU", "erf");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Softmax(2).invoke(Tensor.zeros(2, 3))), "dim 2");
        assertArrayEquals(new float[] {-0.01f, 2}, new LeakyReLU().invoke(Tensor.vector(-1, 2)).toArray());
    }
}
