package dev.anneal.autograd;

import static dev.anneal.autograd.ForwardAsserts.assertThrowsWith;
import static dev.anneal.autograd.ForwardAsserts.assertValues;
import static dev.anneal.autograd.ForwardAsserts.iotaTensor;
import static dev.anneal.autograd.ForwardAsserts.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexingTest {

    private static Tensor idx(float... v) {
        return Tensor.vector(v);
    }

    private static Tensor idx2(int rows, int cols, float... v) {
        return Tensor.of(v, rows, cols);
    }

    // ------------------------------------------------------------------ cat / stack

    @Test
    void cat() {
        Tensor a = iotaTensor(2, 3), b = Tensor.full(9, 1, 3);
        Tensor c = Tensor.cat(Arrays.asList(a, b), 0);
        assertValues(c, shape(3, 3), 0, 1, 2, 3, 4, 5, 9, 9, 9);
        assertFalse(c.sharesStorageWith(a));
        assertValues(Tensor.cat(Arrays.asList(a, Tensor.full(7, 2, 1), a), 1), shape(2, 7),
                0, 1, 2, 7, 0, 1, 2, 3, 4, 5, 7, 3, 4, 5);
        assertValues(Tensor.cat(Arrays.asList(a, a), -1), shape(2, 6), 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5);
        assertValues(Tensor.cat(Arrays.asList(a, a), -2), shape(4, 3), 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5);
        // non-contiguous pieces and empty pieces
        assertValues(Tensor.cat(Arrays.asList(iotaTensor(3, 2).t(), Tensor.zeros(0, 3), b), 0), shape(3, 3),
                0, 2, 4, 1, 3, 5, 9, 9, 9);
        assertValues(Tensor.cat(Arrays.asList(iotaTensor(4).slice(0, 0, 4, 2), Tensor.vector(8)), 0), shape(3), 0, 2, 8);
        assertValues(Tensor.cat(Collections.singletonList(a), 1), shape(2, 3), 0, 1, 2, 3, 4, 5);
        assertValues(Tensor.cat(Arrays.asList(Tensor.zeros(0), Tensor.zeros(0)), 0), shape(0));
        Tensor c3 = Tensor.cat(Arrays.asList(iotaTensor(2, 2, 2), Tensor.full(-1, 2, 1, 2)), 1);
        assertValues(c3, shape(2, 3, 2), 0, 1, 2, 3, -1, -1, 4, 5, 6, 7, -1, -1);
    }

    @Test
    void catErrors() {
        Tensor a = Tensor.zeros(2, 3);
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.cat(Collections.emptyList(), 0), "cat: expected at least one tensor");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.cat(null, 0), "cat: expected at least one tensor");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.cat(Arrays.asList(Tensor.scalar(1), Tensor.scalar(2)), 0),
                "cat: rank-0 tensors cannot be concatenated (use stack)");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.cat(Arrays.asList(a, Tensor.zeros(2, 4)), 0),
                "cat: tensor 1 has shape [2, 4], expected [*, 3] to match tensor 0 [2, 3] except along dim 0");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.cat(Arrays.asList(a, Tensor.zeros(3, 3)), -1),
                "cat: tensor 1 has shape [3, 3], expected [2, *] to match tensor 0 [2, 3] except along dim -1");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.cat(Arrays.asList(a, Tensor.zeros(6)), 0),
                "cat: tensor 1 has shape [6]");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.cat(Arrays.asList(a, a), 2), "cat: dim 2 is out of range");
    }

    @Test
    void stack() {
        Tensor a = Tensor.vector(1, 2, 3), b = Tensor.vector(4, 5, 6);
        assertValues(Tensor.stack(Arrays.asList(a, b), 0), shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertValues(Tensor.stack(Arrays.asList(a, b), 1), shape(3, 2), 1, 4, 2, 5, 3, 6);
        assertValues(Tensor.stack(Arrays.asList(a, b), -1), shape(3, 2), 1, 4, 2, 5, 3, 6);
        assertValues(Tensor.stack(Arrays.asList(a, b), -2), shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertValues(Tensor.stack(Arrays.asList(Tensor.scalar(1), Tensor.scalar(2), Tensor.scalar(3)), 0), shape(3), 1, 2, 3);
        Tensor m = iotaTensor(2, 2);
        assertValues(Tensor.stack(Arrays.asList(m, m.t()), 2), shape(2, 2, 2), 0, 0, 1, 2, 2, 1, 3, 3);
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.stack(Arrays.asList(a, Tensor.zeros(2)), 0),
                "stack: tensor 1 has shape [2], expected [3] like tensor 0");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.stack(Arrays.asList(a, b), 2), "stack: dim 2 is out of range");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.stack(Collections.emptyList(), 0), "stack: expected at least one tensor");
    }

    // ------------------------------------------------------------------ split

    @Test
    void splitBySize() {
        Tensor v = iotaTensor(5);
        List<Tensor> parts = v.split(2, 0);
        assertEquals(3, parts.size());
        assertValues(parts.get(0), shape(2), 0, 1);
        assertValues(parts.get(1), shape(2), 2, 3);
        assertValues(parts.get(2), shape(1), 4);
        for (Tensor p : parts) assertTrue(p.sharesStorageWith(v));
        assertEquals(1, v.split(7, 0).size());
        assertValues(v.split(7, 0).get(0), shape(5), 0, 1, 2, 3, 4);
        List<Tensor> cols = iotaTensor(2, 3).split(2, -1);
        assertEquals(2, cols.size());
        assertValues(cols.get(0), shape(2, 2), 0, 1, 3, 4);
        assertValues(cols.get(1), shape(2, 1), 2, 5);
        List<Tensor> empty = Tensor.zeros(0, 2).split(3, 0);
        assertEquals(1, empty.size());
        assertValues(empty.get(0), shape(0, 2));
        // writing into a piece reaches the base
        parts.get(1).fill(-1);
        assertValues(v, shape(5), 0, 1, -1, -1, 4);
        assertThrowsWith(IllegalArgumentException.class, () -> v.split(0, 0), "split: size must be positive, got 0");
        assertThrowsWith(IllegalArgumentException.class, () -> v.split(1, 1), "split: dim 1 is out of range");
    }

    @Test
    void splitBySizes() {
        Tensor m = iotaTensor(5, 2);
        List<Tensor> parts = m.split(new int[] {1, 3, 0, 1}, 0);
        assertEquals(4, parts.size());
        assertValues(parts.get(0), shape(1, 2), 0, 1);
        assertValues(parts.get(1), shape(3, 2), 2, 3, 4, 5, 6, 7);
        assertValues(parts.get(2), shape(0, 2));
        assertValues(parts.get(3), shape(1, 2), 8, 9);
        List<Tensor> t = m.t().split(new int[] {2, 3}, 1);
        assertValues(t.get(0), shape(2, 2), 0, 2, 1, 3);
        assertValues(t.get(1), shape(2, 3), 4, 6, 8, 5, 7, 9);
        assertThrowsWith(IllegalArgumentException.class, () -> m.split(new int[] {1, 2}, 0),
                "split: sizes [1, 2] add up to 3, but dim 0 has size 5");
        assertThrowsWith(IllegalArgumentException.class, () -> m.split(new int[] {6, -1}, 0),
                "split: sizes must be non-negative, got [6, -1]");
    }

    // ------------------------------------------------------------------ indexSelect

    @Test
    void indexSelect() {
        Tensor m = iotaTensor(3, 4);
        assertValues(m.indexSelect(0, idx(2, 0, 2)), shape(3, 4), 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11);
        assertValues(m.indexSelect(1, idx(-1, 1)), shape(3, 2), 3, 1, 7, 5, 11, 9);
        assertValues(m.indexSelect(-1, idx(0)), shape(3, 1), 0, 4, 8);
        assertValues(m.indexSelect(0, Tensor.zeros(0)), shape(0, 4));
        assertValues(m.indexSelect(0, Tensor.scalar(1)), shape(1, 4), 4, 5, 6, 7);
        assertValues(m.t().indexSelect(0, idx(3, -4)), shape(2, 3), 3, 7, 11, 0, 4, 8);
        assertValues(iotaTensor(2, 3, 2).indexSelect(1, idx(2, 2)), shape(2, 2, 2), 4, 5, 4, 5, 10, 11, 10, 11);
        // the index itself may be a non-contiguous view
        assertValues(m.indexSelect(1, idx(3, 9, 0, 9).slice(0, 0, 4, 2)), shape(3, 2), 3, 0, 7, 4, 11, 8);
        assertFalse(m.indexSelect(0, idx(0)).sharesStorageWith(m));
    }

    @Test
    void indexSelectErrors() {
        Tensor m = iotaTensor(3, 4);
        assertThrowsWith(IllegalArgumentException.class, () -> m.indexSelect(0, idx(0, 1.5f)),
                "indexSelect: index 1.5 at flat position 1 is not a whole number");
        assertThrowsWith(IllegalArgumentException.class, () -> m.indexSelect(0, idx(Float.NaN)), "is not a whole number");
        assertThrowsWith(IndexOutOfBoundsException.class, () -> m.indexSelect(0, idx(3)),
                "indexSelect: index 3 at flat position 0 is out of range for a dim of size 3");
        assertThrowsWith(IndexOutOfBoundsException.class, () -> m.indexSelect(1, idx(0, -5)),
                "indexSelect: index -5 at flat position 1 is out of range for a dim of size 4");
        assertThrowsWith(IllegalArgumentException.class, () -> m.indexSelect(0, Tensor.zeros(1, 1)),
                "indexSelect: index must be 1-D, got shape [1, 1]");
        assertThrowsWith(IllegalArgumentException.class, () -> m.indexSelect(2, idx(0)), "indexSelect: dim 2 is out of range");
    }

    // ------------------------------------------------------------------ gather

    @Test
    void gather() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        // PyTorch's documentation example: gather(t, 1, [[0, 0], [1, 0]]) = [[1, 1], [4, 3]]
        assertValues(m.gather(1, idx2(2, 2, 0, 0, 1, 0)), shape(2, 2), 1, 1, 4, 3);
        assertValues(m.gather(-1, idx2(2, 2, 0, 0, 1, 0)), shape(2, 2), 1, 1, 4, 3);
        assertValues(m.gather(0, idx2(2, 2, 1, 0, 0, 1)), shape(2, 2), 3, 2, 1, 4);
        assertValues(m.gather(1, idx2(2, 2, -1, -2, -2, -1)), shape(2, 2), 2, 1, 3, 4);
        // index smaller than the input in the other dims, and larger along dim
        Tensor x = iotaTensor(3, 4);
        assertValues(x.gather(1, idx2(2, 1, 3, 0)), shape(2, 1), 3, 4);
        assertValues(x.gather(0, idx2(1, 5, 0, 1, 2, 1, 0).narrow(1, 0, 4)), shape(1, 4), 0, 5, 10, 7);
        assertValues(x.gather(1, idx2(1, 6, 0, 0, 1, 1, 3, 3)), shape(1, 6), 0, 0, 1, 1, 3, 3);
        assertValues(x.t().gather(1, idx2(2, 2, 2, 0, 1, 1)), shape(2, 2), 8, 0, 5, 5);
        assertValues(x.gather(0, Tensor.zeros(0, 4)), shape(0, 4));
        // 3-D along the middle dim
        Tensor c = iotaTensor(2, 3, 2);
        Tensor index = Tensor.of(new float[] {2, 0, 1, 1}, 2, 1, 2);
        assertValues(c.gather(1, index), shape(2, 1, 2), 4, 1, 8, 9);
    }

    @Test
    void gatherErrors() {
        Tensor m = iotaTensor(2, 2);
        assertThrowsWith(IllegalArgumentException.class, () -> m.gather(0, idx(0, 1)),
                "gather: index has rank 1 but the tensor has rank 2 (shapes [2] and [2, 2])");
        assertThrowsWith(IllegalArgumentException.class, () -> m.gather(1, Tensor.zeros(3, 1)),
                "gather: index shape [3, 1] exceeds the tensor's [2, 2] in dim 0");
        assertThrowsWith(IllegalArgumentException.class, () -> m.gather(1, idx2(1, 2, 0, 0.5f)),
                "gather: index 0.5 at flat position 1 is not a whole number");
        assertThrowsWith(IndexOutOfBoundsException.class, () -> m.gather(1, idx2(1, 2, 0, 2)),
                "gather: index 2 at flat position 1 is out of range for a dim of size 2");
        assertThrowsWith(IndexOutOfBoundsException.class, () -> m.gather(0, idx2(1, 2, -3, 0)), "gather: index -3 at flat position 0");
    }

    // ------------------------------------------------------------------ scatter / scatterAdd

    @Test
    void scatter() {
        // PyTorch's documentation examples
        Tensor src = Tensor.arange(1, 11, 1).reshape(2, 5);
        Tensor z = Tensor.zeros(3, 5);
        assertValues(z.scatter(0, idx2(1, 4, 0, 1, 2, 0), src), shape(3, 5),
                1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0);
        assertValues(z.scatter(1, idx2(2, 3, 0, 1, 2, 0, 1, 4), src), shape(3, 5),
                1, 2, 3, 0, 0, 6, 7, 0, 0, 8, 0, 0, 0, 0, 0);
        assertValues(z, shape(3, 5), new float[15]); // out of place
        // negative indices, a non-zero base, duplicates (the last write wins)
        Tensor base = Tensor.full(-1, 4);
        assertValues(base.scatter(0, idx(-1, 0), idx(5, 6)), shape(4), 6, -1, -1, 5);
        assertValues(base.scatter(0, idx(1, 1, 1), idx(5, 6, 7)), shape(4), -1, 7, -1, -1);
        assertValues(base.scatter(0, Tensor.zeros(0), Tensor.zeros(0)), shape(4), -1, -1, -1, -1);
        // non-contiguous base and src
        Tensor t = iotaTensor(2, 3).t(); // [[0, 3], [1, 4], [2, 5]]
        assertValues(t.scatter(1, idx2(3, 1, 1, 0, 0), iotaTensor(1, 3).t().mul(10)), shape(3, 2), 0, 0, 10, 4, 20, 5);
    }

    @Test
    void scatterAdd() {
        assertValues(Tensor.zeros(5).scatterAdd(0, idx(0, 1, 0, 4, 0), Tensor.ones(5)), shape(5), 3, 1, 0, 0, 1);
        Tensor src = Tensor.ones(2, 5);
        Tensor index = idx2(2, 5, 0, 1, 2, 0, 0, 1, 2, 0, 0, 0);
        assertValues(Tensor.zeros(3, 5).scatterAdd(0, index, src), shape(3, 5), 1, 0, 1, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0);
        assertValues(Tensor.full(10, 2, 2).scatterAdd(1, idx2(2, 2, -1, -1, 0, 1), iotaTensor(2, 2)), shape(2, 2), 10, 11, 12, 13);
        // only the index-shaped corner of a larger src is read
        assertValues(Tensor.zeros(2, 3).scatterAdd(1, idx2(1, 2, 2, 2), iotaTensor(2, 4).add(1)), shape(2, 3), 0, 0, 3, 0, 0, 0);
    }

    @Test
    void scatterErrors() {
        Tensor z = Tensor.zeros(2, 3);
        assertThrowsWith(IllegalArgumentException.class, () -> z.scatter(0, idx2(2, 2, 0, 1, 1, 0), Tensor.zeros(4)),
                "scatter: src has rank 1 but index has rank 2");
        assertThrowsWith(IllegalArgumentException.class, () -> z.scatterAdd(1, Tensor.zeros(2, 3), Tensor.zeros(2, 2)),
                "scatterAdd: index shape [2, 3] exceeds src shape [2, 2] in dim 1");
        assertThrowsWith(IllegalArgumentException.class, () -> z.scatter(1, Tensor.zeros(3, 1), Tensor.zeros(3, 1)),
                "scatter: index shape [3, 1] exceeds the tensor's [2, 3] in dim 0");
        assertThrowsWith(IllegalArgumentException.class, () -> z.scatter(0, idx2(1, 1, 0.25f), Tensor.zeros(1, 1)),
                "scatter: index 0.25 at flat position 0 is not a whole number");
        assertThrowsWith(IndexOutOfBoundsException.class, () -> z.scatterAdd(1, idx2(1, 2, 0, 3), Tensor.zeros(1, 2)),
                "scatterAdd: index 3 at flat position 1 is out of range for a dim of size 3");
        assertThrowsWith(IllegalArgumentException.class, () -> z.scatter(0, idx(0), Tensor.zeros(1)),
                "scatter: index has rank 1 but the tensor has rank 2");
    }

    // ------------------------------------------------------------------ oneHot

    @Test
    void oneHot() {
        assertValues(Tensor.oneHot(idx(0, 2, 1), 3), shape(3, 3), 1, 0, 0, 0, 0, 1, 0, 1, 0);
        assertValues(Tensor.oneHot(idx2(2, 2, 0, 1, 3, 3), 4), shape(2, 2, 4),
                1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1);
        assertValues(Tensor.oneHot(Tensor.scalar(1), 2), shape(2), 0, 1);
        assertValues(Tensor.oneHot(Tensor.zeros(0), 3), shape(0, 3));
        assertValues(Tensor.oneHot(idx(0, 9, 1, 9).slice(0, 0, 4, 2), 2), shape(2, 2), 1, 0, 0, 1);
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.oneHot(idx(0, -1), 3),
                "oneHot: labels must be whole numbers in [0, 3), got -1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.oneHot(idx(3), 3),
                "oneHot: labels must be whole numbers in [0, 3), got 3.0");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.oneHot(idx(1.5f), 3),
                "oneHot: index 1.5 at flat position 0 is not a whole number");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.oneHot(idx(0), 0), "oneHot: numClasses must be positive, got 0");
    }
}
