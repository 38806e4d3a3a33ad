package dev.anneal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneal.autograd.Tensor;
import dev.anneal.data.transform.Normalize;
import dev.anneal.tensor.Generator;
import org.junit.jupiter.api.Test;

/** Normalize's one-pass loop gives exactly the values of (x − mean) / std as tensor ops, on views too; with grad it stays differentiable. */
class NormalizeOnePassTest {
    private static final float[] MEAN = {0.3f, -1.7f, 2.1f}, STD = {0.45f, 3.3f, 0.011f};

    private static Tensor byTensorOps(Tensor x) {
        int[] s = x.shape();
        Tensor flat = x.reshape(s[0], s[1], -1);
        return flat.sub(Tensor.of(MEAN, 3, 1)).div(Tensor.of(STD, 3, 1)).reshape(s);
    }

    @Test
    void equalsSubThenDivBitForBit() {
        Normalize norm = new Normalize(MEAN, STD);
        Tensor x = Tensor.randn(new Generator(4), 7, 3, 5, 4).mul(3f);
        assertArrayEquals(byTensorOps(x).toArray(), norm.apply(x, null).toArray());
        Tensor view = Tensor.randn(new Generator(5), 4, 5, 3, 6).permute(0, 2, 1, 3); // non-contiguous [4, 3, 5, 6]
        assertArrayEquals(byTensorOps(view).toArray(), norm.apply(view, null).toArray());
        Tensor flat = Tensor.randn(new Generator(6), 9, 3); // [N, C]
        assertArrayEquals(byTensorOps(flat).toArray(), norm.apply(flat, null).toArray());
    }

    @Test
    void applyToANormalizedDatasetGivesTheBatchesAPerBatchTransformWould() {
        TensorDataset raw = new TensorDataset(Tensor.randn(new Generator(8), 20, 3, 2, 2), Tensor.arange(20));
        Normalize norm = Normalize.fit(raw);
        TensorDataset once = norm.applyTo(raw);
        DataLoader perBatch = DataLoader.builder(raw).batchSize(6).shuffle(true).seed(3).transform(norm).build();
        DataLoader pre = DataLoader.builder(once).batchSize(6).shuffle(true).seed(3).build();
        java.util.Iterator<Batch> a = perBatch.epoch(1).iterator(), b = pre.epoch(1).iterator();
        int batches = 0;
        while (a.hasNext()) {
            Batch x = a.next(), y = b.next();
            assertArrayEquals(x.inputs().toArray(), y.inputs().toArray(), "batch " + batches);
            assertArrayEquals(x.targets().toArray(), y.targets().toArray(), "targets " + batches);
            batches++;
        }
        assertEquals(4, batches);
        assertEquals(false, b.hasNext());
    }

    @Test
    void inputsThatRequireGradKeepTheirGraph() {
        Tensor x = Tensor.randn(new Generator(7), 2, 3, 2).requiresGrad(true);
        Tensor y = new Normalize(MEAN, STD).apply(x, null);
        y.sum().backward();
        float[] g = x.grad().toArray();
        for (int i = 0; i < g.length; i++) assertEquals(1f / STD[(i / 2) % 3], g[i], 1e-6f * Math.abs(1f / STD[(i / 2) % 3]), "grad " + i);
    }
}
