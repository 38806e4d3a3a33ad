package dev.anneal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.data.transform.RandomHorizontalFlip;
import dev.anneal.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** Example i has input [i, 10i] and target i. */
    private static TensorDataset numbered(int n) {
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    private static List<float[]> targets(Iterable<Batch> epoch) {
        List<float[]> out = new ArrayList<>();
        for (Batch b : epoch) out.add(b.targets().toArray());
        return out;
    }

    @Test
    void sequentialBatchesKeepOrderAndTheLastPartialBatch() {
        DataLoader dl = DataLoader.builder(numbered(10)).batchSize(4).build();
        assertEquals(3, dl.numBatches());
        List<float[]> t = targets(dl.epoch(0));
        assertEquals(3, t.size());
        assertArrayEquals(new float[] {0, 1, 2, 3}, t.get(0));
        assertArrayEquals(new float[] {8, 9}, t.get(2));
        Batch first = dl.epoch(0).iterator().next();
        assertArrayEquals(new float[] {0, 0, 1, 10, 2, 20, 3, 30}, first.inputs().toArray());
        assertArrayEquals(new int[] {4, 2}, first.inputs().shape());
    }

    @Test
    void dropLastDropsThePartialBatch() {
        DataLoader dl = DataLoader.builder(numbered(10)).batchSize(4).dropLast(true).build();
        assertEquals(2, dl.numBatches());
        assertEquals(2, targets(dl.epoch(0)).size());
    }

    @Test
    void shuffleIsAPermutationFixedBySeedAndEpoch() {
        DataLoader a = DataLoader.builder(numbered(100)).batchSize(7).shuffle(true).seed(5).build();
        DataLoader b = DataLoader.builder(numbered(100)).batchSize(7).shuffle(true).seed(5).build();
        DataLoader c = DataLoader.builder(numbered(100)).batchSize(7).shuffle(true).seed(6).build();
        int[] e0 = a.order(0);
        assertArrayEquals(e0, b.order(0));
        assertFalse(Arrays.equals(e0, a.order(1)), "each epoch has its own order");
        assertFalse(Arrays.equals(e0, c.order(0)), "each seed has its own order");
        Set<Integer> seen = new HashSet<>();
        for (float[] t : targets(a.epoch(0))) for (float v : t) seen.add((int) v);
        assertEquals(100, seen.size());
    }

    @Test
    void prefetchingGivesTheSameBatchesAsDirect() {
        Generator g = new Generator(3);
        TensorDataset images = new TensorDataset(Tensor.rand(g, 50, 1, 4, 4), Tensor.arange(50));
        DataLoader direct = DataLoader.builder(images).batchSize(8).shuffle(true).seed(9).prefetch(0)
                .transform(new RandomHorizontalFlip(0.5)).build();
        DataLoader pre = DataLoader.builder(images).batchSize(8).shuffle(true).seed(9).prefetch(3)
                .transform(new RandomHorizontalFlip(0.5)).build();
        for (int epoch = 0; epoch < 2; epoch++) {
            List<Batch> x = new ArrayList<>(), y = new ArrayList<>();
            direct.epoch(epoch).forEach(x::add);
            pre.epoch(epoch).forEach(y::add);
            assertEquals(x.size(), y.size());
            for (int i = 0; i < x.size(); i++) {
                assertArrayEquals(x.get(i).inputs().toArray(), y.get(i).inputs().toArray());
                assertArrayEquals(x.get(i).targets().toArray(), y.get(i).targets().toArray());
            }
        }
    }

    @Test
    void iteratorAdvancesEpochsAndSetEpochRewinds() {
        DataLoader dl = DataLoader.builder(numbered(20)).batchSize(20).shuffle(true).seed(1).build();
        float[] e0 = dl.iterator().next().targets().toArray();
        float[] e1 = dl.iterator().next().targets().toArray();
        assertFalse(Arrays.equals(e0, e1));
        dl.setEpoch(1);
        assertArrayEquals(e1, dl.iterator().next().targets().toArray());
    }

    @Test
    void errorsInABatchReachTheConsumer() {
        Dataset broken = new Dataset() {
            @Override
            public int size() {
                return 10;
            }

            @Override
            public Batch batch(int[] indices) {
                if (indices[0] >= 5) throw new IllegalStateException("broken example " + indices[0]);
                return new Batch(Tensor.zeros(indices.length, 1), Tensor.zeros(indices.length));
            }
        };
        DataLoader dl = DataLoader.builder(broken).batchSize(5).prefetch(2).build();
        var it = dl.epoch(0).iterator();
        assertTrue(it.hasNext());
        it.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, it::hasNext);
        assertEquals("broken example 5", e.getMessage());
    }

    @Test
    void badSettingsAreRejected() {
        TensorDataset d = numbered(3);
        assertEquals("DataLoader: batchSize must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(d).batchSize(0)).getMessage());
        assertEquals("DataLoader: prefetch must be non-negative, got -1",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(d).prefetch(-1)).getMessage());
    }

    @Test
    void splitsAreDisjointAndCoverTheDataset() {
        TensorDataset d = numbered(50);
        List<Subset> parts = Splits.trainValid(d, 0.2, new Generator(4));
        assertEquals(40, parts.get(0).size());
        assertEquals(10, parts.get(1).size());
        Set<Integer> all = new HashSet<>();
        for (Subset s : parts) for (int i : s.indices()) assertTrue(all.add(i));
        assertEquals(50, all.size());
        assertArrayEquals(parts.get(1).indices(), Splits.trainValid(d, 0.2, new Generator(4)).get(1).indices());
        // a subset's batch is the base examples at the mapped positions
        int k = parts.get(1).indices()[3];
        assertEquals((float) k, parts.get(1).batch(new int[] {3}).targets().item());
        assertThrows(IllegalArgumentException.class, () -> Splits.randomSplit(d, new int[] {10, 10}, new Generator(1)));
    }
}
