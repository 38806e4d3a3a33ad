package dev.anneal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Module tree behaviour exercised through the real layers: names, modes, counts, state dicts, summary. */
class ModuleTest {
    /** A layer with a buffer, standing in for a normalization layer: y = x·scale, counting its calls in a buffer. */
    static final class Scaled extends Module {
        final Tensor scale, calls;

        Scaled(int n) {
            scale = registerParameter("scale", Tensor.ones(n));
            calls = registerBuffer("calls", Tensor.zeros(1));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(scale);
        }
    }

    private static Sequential nested(Generator g) {
        return new Sequential(
                new Linear(4, 3, g),
                new Sequential(new Scaled(3), new ReLU(), new Dropout(0.5, g)),
                new Residual(new Linear(3, 3, false, g)),
                new Linear(3, 2, g));
    }

    @Test
    void namedParametersUseDottedNamesThroughNestedContainers() {
        Sequential m = nested(new Generator(3));
        assertEquals(List.of("0.weight", "0.bias", "1.0.scale", "2.body.weight", "3.weight", "3.bias"),
                new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(List.of("1.0.calls"), new ArrayList<>(m.namedBuffers().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "1.0.scale", "1.0.calls", "2.body.weight", "3.weight", "3.bias"),
                new ArrayList<>(m.stateDict().keySet()));
        assertEquals(List.of("", "0", "1", "1.0", "1.1", "1.2", "2", "2.body", "3"), new ArrayList<>(m.namedModules().keySet()));
        assertSame(((Linear) m.get(0)).weight(), m.namedParameters().get("0.weight"));
        for (Tensor p : m.parameters()) assertTrue(p.requiresGrad());
    }

    @Test
    void sharedLayerParametersAppearOnce() {
        Linear shared = new Linear(3, 3, new Generator(1));
        Sequential m = new Sequential(shared, new ReLU(), shared);
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(12, m.parameterCount(false));
    }

    @Test
    void parameterCountAndFreeze() {
        Sequential m = nested(new Generator(3));
        long total = 4 * 3 + 3 + 3 + 3 * 3 + 3 * 2 + 2;
        assertEquals(total, m.parameterCount(false));
        assertEquals(total, m.parameterCount(true));
        m.get(0).freeze();
        assertFalse(((Linear) m.get(0)).weight().requiresGrad());
        assertEquals(total - 15, m.parameterCount(true));
        assertEquals(total, m.parameterCount(false));
        // a frozen layer gets no gradient; the rest still do
        Tensor x = Tensor.randn(new Generator(5), 2, 4);
        m.eval();
        m.invoke(x).sum().backward();
        assertEquals(null, ((Linear) m.get(0)).weight().grad());
        assertTrue(((Linear) m.get(3)).weight().grad() != null);
        m.unfreeze();
        assertEquals(total, m.parameterCount(true));
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Sequential m = nested(new Generator(3));
        for (Module sub : m.namedModules().values()) assertTrue(sub.isTraining());
        assertSame(m, m.eval());
        for (Map.Entry<String, Module> e : m.namedModules().entrySet()) assertFalse(e.getValue().isTraining(), e.getKey());
        m.train();
        for (Map.Entry<String, Module> e : m.namedModules().entrySet()) assertTrue(e.getValue().isTraining(), e.getKey());
        // the nested dropout follows: eval output is deterministic, training output is not the eval one
        Tensor x = Tensor.ones(64, 4);
        m.eval();
        float[] a = m.invoke(x).toArray(), b = m.invoke(x).toArray();
        assertArrayEquals(a, b);
        m.train();
        assertFalse(java.util.Arrays.equals(a, m.invoke(x).toArray()));
    }

    @Test
    void stateDictRoundTripCopiesValues() {
        Sequential src = nested(new Generator(1)), dst = nested(new Generator(2));
        ((Scaled) ((Sequential) src.get(1)).get(0)).calls.fill(7f);
        Tensor x = Tensor.randn(new Generator(9), 3, 4);
        src.eval();
        dst.eval();
        assertFalse(java.util.Arrays.equals(src.invoke(x).toArray(), dst.invoke(x).toArray()));
        Map<String, Tensor> sd = src.stateDict();
        dst.loadStateDict(sd, true);
        assertArrayEquals(src.invoke(x).toArray(), dst.invoke(x).toArray());
        assertEquals(7f, dst.namedBuffers().get("1.0.calls").item());
        // values were copied, not shared
        assertFalse(src.namedParameters().get("0.weight").sharesStorageWith(dst.namedParameters().get("0.weight")));
        Tensor dstWeight = dst.namedParameters().get("0.weight");
        assertNotSame(sd.get("0.weight"), dstWeight);
        assertTrue(dstWeight.requiresGrad() && dstWeight.isLeaf());
    }

    @Test
    void strictLoadListsMissingUnexpectedAndMismatchedKeysAndChangesNothing() {
        Sequential m = nested(new Generator(1));
        Map<String, float[]> before = snapshot(m);
        Map<String, Tensor> sd = new LinkedHashMap<>(nested(new Generator(2)).stateDict());
        sd.remove("3.bias");
        sd.put("4.weight", Tensor.zeros(2));
        sd.put("0.weight", Tensor.zeros(4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd, true));
        assertTrue(e.getMessage().contains("missing keys: [3.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys: [4.weight]"), e.getMessage());
        assertTrue(e.getMessage().contains("0.weight (checkpoint [4, 4], model [3, 4])"), e.getMessage());
        assertUnchanged(before, m);

        // non-strict tolerates missing/unexpected keys but never a shape mismatch
        assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd, false));
        assertUnchanged(before, m);
        sd.remove("0.weight");
        m.loadStateDict(sd, false);
        assertArrayEquals(sd.get("0.bias").toArray(), m.namedParameters().get("0.bias").toArray());
        assertArrayEquals(before.get("3.bias"), m.namedParameters().get("3.bias").toArray());
        assertArrayEquals(before.get("0.weight"), m.namedParameters().get("0.weight").toArray());
    }

    private static Map<String, float[]> snapshot(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) out.put(e.getKey(), e.getValue().toArray());
        return out;
    }

    private static void assertUnchanged(Map<String, float[]> before, Module m) {
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) assertArrayEquals(before.get(e.getKey()), e.getValue().toArray(), e.getKey());
    }

    @Test
    void summaryOfASmallMlp() {
        Sequential mlp = new Sequential(new Flatten(), new Linear(12, 8, new Generator(1)), new ReLU(), new Dropout(0.2),
                new Linear(8, 3, new Generator(2)), new LogSoftmax(1));
        String expected = String.join("\n",
                "name  layer                                              output shape   params",
                "------------------------------------------------------------------------------",
                "0     Flatten(start_dim=1, end_dim=-1)                   [5, 12]             0",
                "1     Linear(in_features=12, out_features=8, bias=True)  [5, 8]            104",
                "2     ReLU()                                             [5, 8]              0",
                "3     Dropout(p=0.2)                                     [5, 8]              0",
                "4     Linear(in_features=8, out_features=3, bias=True)   [5, 3]             27",
                "5     LogSoftmax(dim=1)                                  [5, 3]              0",
                "------------------------------------------------------------------------------",
                "input [5, 3, 4] -> output [5, 3]",
                "parameters: 131 total, 131 trainable",
                "");
        String actual = mlp.summary(5, 3, 4);
        assertEquals(expected, actual.replace(System.lineSeparator(), "\n"));
        assertTrue(mlp.isTraining(), "summary restores training mode");
    }

    @Test
    void reprsFollowPyTorch() {
        Generator g = new Generator(1);
        assertEquals("Linear(in_features=784, out_features=256, bias=True)", new Linear(784, 256, g).toString());
        assertEquals("Linear(in_features=3, out_features=2, bias=False)", new Linear(3, 2, false, g).toString());
        assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
        assertEquals("Dropout(p=0.5)", new Dropout().toString());
        assertEquals("Dropout2d(p=0.1)", new Dropout2d(0.1).toString());
        assertEquals("Embedding(10, 3, padding_idx=0)", new Embedding(10, 3, 0, g).toString());
        assertEquals("Embedding(10, 3)", new Embedding(10, 3, g).toString());
        assertEquals("ReLU()", new ReLU().toString());
        assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
        assertEquals("ELU(alpha=1.0)", new ELU().toString());
        assertEquals("GELU(approximate='none')", new GELU().toString());
        assertEquals("GELU(approximate='tanh')", new GELU("tanh").toString());
        assertEquals("Tanh()", new Tanh().toString());
        assertEquals("Sigmoid()", new Sigmoid().toString());
        assertEquals("Softmax(dim=-1)", new Softmax(-1).toString());
        assertEquals("LogSoftmax(dim=1)", new LogSoftmax(1).toString());
        assertEquals("Identity()", new Identity().toString());
        assertEquals("Sequential()", new Sequential().toString());
        assertEquals(String.join("\n",
                "Sequential(",
                "  (0): Linear(in_features=2, out_features=2, bias=True)",
                "  (1): Residual(",
                "    (body): Sequential(",
                "      (0): Tanh()",
                "    )",
                "    (shortcut): Identity()",
                "  )",
                ")"), new Sequential(new Linear(2, 2, g), new Residual(new Sequential(new Tanh()), new Identity())).toString());
    }
}
