package dev.anneal.autograd;

import static dev.anneal.autograd.ForwardAsserts.assertShape;
import static dev.anneal.autograd.ForwardAsserts.assertThrowsWith;
import static dev.anneal.autograd.ForwardAsserts.assertValues;
import static dev.anneal.autograd.ForwardAsserts.iotaTensor;
import static dev.anneal.autograd.ForwardAsserts.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ViewsTest {

    // ------------------------------------------------------------------ reshape / view

    @Test
    void reshapeOfContiguousIsAView() {
        Tensor a = iotaTensor(2, 3);
        Tensor r = a.reshape(3, 2);
        assertValues(r, shape(3, 2), 0, 1, 2, 3, 4, 5);
        assertTrue(r.sharesStorageWith(a));
        assertValues(a.reshape(-1), shape(6), 0, 1, 2, 3, 4, 5);
        assertValues(a.reshape(1, -1, 2), shape(1, 3, 2), 0, 1, 2, 3, 4, 5);
        assertValues(a.reshape(6, 1), shape(6, 1), 0, 1, 2, 3, 4, 5);
        assertValues(a.view(-1, 6), shape(1, 6), 0, 1, 2, 3, 4, 5);
        assertValues(Tensor.scalar(3).reshape(1, 1), shape(1, 1), 3);
        assertValues(Tensor.vector(3).reshape(), shape(), 3);
        assertValues(Tensor.zeros(0, 4).reshape(2, 0, 4), shape(2, 0, 4));
        assertValues(Tensor.zeros(0, 4).reshape(-1, 2), shape(0, 2));
    }

    @Test
    void reshapeErrors() {
        Tensor a = iotaTensor(2, 3);
        assertThrowsWith(IllegalArgumentException.class, () -> a.reshape(4),
                "reshape: cannot reshape [2, 3] (6 elements) into [4] (4 elements)");
        assertThrowsWith(IllegalArgumentException.class, () -> a.reshape(4, -1),
                "reshape: cannot reshape [2, 3] (6 elements) into [4, -1]");
        assertThrowsWith(IllegalArgumentException.class, () -> a.reshape(-1, -1), "reshape: [-1, -1] has more than one -1");
        assertThrowsWith(IllegalArgumentException.class, () -> a.reshape(-2, -3), "reshape: [-2, -3] has a negative dimension");
        assertThrowsWith(IllegalArgumentException.class, () -> a.view(3, 3), "view: cannot reshape [2, 3] (6 elements) into [3, 3]");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(0, 3).reshape(0, -1), "cannot reshape [0, 3]");
    }

    @Test
    void reshapeOfTransposeCopiesWhenItMust() {
        Tensor a = iotaTensor(3, 4);
        Tensor t = a.t(); // [4, 3] strides [1, 4]
        Tensor flat = t.reshape(12);
        assertValues(flat, shape(12), 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertFalse(flat.sharesStorageWith(a));
        assertTrue(flat.isContiguous());
        Tensor r = t.reshape(2, 6);
        assertValues(r, shape(2, 6), 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertFalse(r.sharesStorageWith(a));
        // writes to the copy do not reach the base
        flat.fill(-1);
        assertValues(a, shape(3, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThrowsWith(IllegalArgumentException.class, () -> t.view(12),
                "view: shape [4, 3] with strides [1, 4] cannot be viewed as [12] without a copy; use reshape (or contiguous() first)");
        assertThrowsWith(IllegalArgumentException.class, () -> t.view(-1), "cannot be viewed as [12] without a copy");
    }

    @Test
    void reshapeOfTransposeIsAViewWhenOnlySizeOneDimsChange() {
        Tensor a = iotaTensor(3, 4);
        Tensor t = a.t();
        Tensor v = t.view(4, 1, 3);
        assertTrue(v.sharesStorageWith(a));
        assertValues(v, shape(4, 1, 3), 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        Tensor back = v.reshape(1, 4, 3, 1);
        assertTrue(back.sharesStorageWith(a));
        assertValues(back, shape(1, 4, 3, 1), 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        // writing through the view reaches the base
        v.set(100f, 1, 0, 2);
        assertEquals(100f, a.item(2, 1));
    }

    @Test
    void reshapeOfColumnSliceSplitsRowsAsAViewButMergingCopies() {
        Tensor base = iotaTensor(4, 4);
        Tensor cols = base.narrow(1, 1, 2); // [4, 2] strides [4, 1]
        assertFalse(cols.isContiguous());
        Tensor split = cols.view(2, 2, 2);
        assertTrue(split.sharesStorageWith(base));
        assertArrayEquals(new int[] {8, 4, 1}, split.strides());
        assertValues(split, shape(2, 2, 2), 1, 2, 5, 6, 9, 10, 13, 14);
        Tensor merged = cols.reshape(8);
        assertFalse(merged.sharesStorageWith(base));
        assertValues(merged, shape(8), 1, 2, 5, 6, 9, 10, 13, 14);
        assertThrowsWith(IllegalArgumentException.class, () -> cols.view(8), "view: shape [4, 2] with strides [4, 1]");
        // the view follows later writes to the base; the copy does not
        base.set(-5f, 3, 2);
        assertEquals(-5f, split.item(1, 1, 1));
        assertEquals(14f, merged.item(7));
    }

    @Test
    void reshapeOfRowSliceIsAView() {
        Tensor base = iotaTensor(4, 3);
        Tensor rows = base.narrow(0, 1, 2);
        assertTrue(rows.isContiguous());
        Tensor flat = rows.view(6);
        assertTrue(flat.sharesStorageWith(base));
        assertValues(flat, shape(6), 3, 4, 5, 6, 7, 8);
        // a stepped slice of a vector keeps its stride under a size-1 reshape
        Tensor stepped = iotaTensor(6).slice(0, 0, 6, 2);
        Tensor col = stepped.view(3, 1);
        assertTrue(col.sharesStorageWith(stepped));
        assertValues(col, shape(3, 1), 0, 2, 4);
        assertEquals(2, col.strides()[0]);
        Tensor copied = stepped.reshape(1, 3);
        assertValues(copied, shape(1, 3), 0, 2, 4);
    }

    @Test
    void reshapeOfExpandedTensor() {
        Tensor v = Tensor.vector(1, 2, 3);
        Tensor e = v.expand(2, 3);
        Tensor flat = e.reshape(6);
        assertValues(flat, shape(6), 1, 2, 3, 1, 2, 3);
        assertFalse(flat.sharesStorageWith(v));
        Tensor kept = e.reshape(2, 1, 3);
        assertTrue(kept.sharesStorageWith(v));
        assertValues(kept, shape(2, 1, 3), 1, 2, 3, 1, 2, 3);
    }

    // ------------------------------------------------------------------ transpose / permute / t

    @Test
    void transposeAndT() {
        Tensor a = iotaTensor(2, 3);
        Tensor t = a.transpose(0, 1);
        assertValues(t, shape(3, 2), 0, 3, 1, 4, 2, 5);
        assertTrue(t.sharesStorageWith(a));
        assertFalse(t.isContiguous());
        assertArrayEquals(new int[] {1, 3}, t.strides());
        assertValues(a.t(), shape(3, 2), 0, 3, 1, 4, 2, 5);
        assertValues(a.transpose(-1, -2), shape(3, 2), 0, 3, 1, 4, 2, 5);
        assertValues(a.transpose(1, 1), shape(2, 3), 0, 1, 2, 3, 4, 5);
        Tensor v = Tensor.vector(1, 2);
        assertSame(v, v.t());
        Tensor s = Tensor.scalar(4);
        assertSame(s, s.t());
        Tensor c = iotaTensor(2, 3, 4);
        assertValues(c.transpose(0, 2), shape(4, 3, 2),
                0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23);
        assertThrowsWith(IllegalArgumentException.class, c::t, "t: expects a tensor of rank <= 2, got shape [2, 3, 4]");
        assertThrowsWith(IllegalArgumentException.class, () -> a.transpose(0, 2),
                "transpose: dim 2 is out of range for a tensor of rank 2 (expected -2 to 1)");
    }

    @Test
    void permute() {
        Tensor c = iotaTensor(2, 3, 4);
        Tensor p = c.permute(1, 2, 0);
        assertShape(p, 3, 4, 2);
        assertTrue(p.sharesStorageWith(c));
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++) assertEquals(i * 12 + j * 4 + k, p.item(j, k, i));
        assertValues(c.permute(-1, 0, 1).permute(1, 2, 0), shape(2, 3, 4), ForwardAsserts.iota(24));
        assertArrayEquals(new int[] {4, 1, 12}, p.strides());
        assertThrowsWith(IllegalArgumentException.class, () -> c.permute(0, 1),
                "permute: [0, 1] has 2 dims, the tensor has rank 3");
        assertThrowsWith(IllegalArgumentException.class, () -> c.permute(0, 1, -3), "permute: [0, 1, -3] repeats dim -3");
        assertThrowsWith(IllegalArgumentException.class, () -> c.permute(0, 1, 3), "permute: dim 3 is out of range");
    }

    // ------------------------------------------------------------------ narrow / slice / select

    @Test
    void narrow() {
        Tensor a = iotaTensor(3, 4);
        assertValues(a.narrow(0, 1, 2), shape(2, 4), 4, 5, 6, 7, 8, 9, 10, 11);
        assertValues(a.narrow(1, 1, 2), shape(3, 2), 1, 2, 5, 6, 9, 10);
        assertValues(a.narrow(-1, -2, 2), shape(3, 2), 2, 3, 6, 7, 10, 11);
        assertValues(a.narrow(0, 3, 0), shape(0, 4));
        assertTrue(a.narrow(1, 1, 2).sharesStorageWith(a));
        assertValues(a.t().narrow(0, 1, 2), shape(2, 3), 1, 5, 9, 2, 6, 10);
        assertThrowsWith(IllegalArgumentException.class, () -> a.narrow(1, 3, 2),
                "narrow: start 3 and length 2 do not fit dim 1 of size 4 (shape [3, 4])");
        assertThrowsWith(IllegalArgumentException.class, () -> a.narrow(0, -4, 1), "narrow: start -4 and length 1 do not fit");
        assertThrowsWith(IllegalArgumentException.class, () -> a.narrow(0, 0, -1), "do not fit");
    }

    @Test
    void sliceWithStepAndNegativeIndices() {
        Tensor v = iotaTensor(10);
        assertValues(v.slice(0, 2, 100, 4), shape(2), 2, 6);
        assertValues(v.slice(0, -7, -1, 3), shape(2), 3, 6);
        assertValues(v.slice(0, -100, 3), shape(3), 0, 1, 2);
        assertValues(v.slice(0, 7, 3), shape(0));
        assertValues(v.slice(0, 0, 10, 3), shape(4), 0, 3, 6, 9);
        assertValues(v.slice(0, 0, 10, 20), shape(1), 0);
        assertValues(v.slice(0, 9, 10, 2), shape(1), 9);
        assertValues(v.slice(0, 10, 10, 1), shape(0));
        assertValues(v.slice(0, -3, 10), shape(3), 7, 8, 9);
        Tensor s = v.slice(0, 1, 10, 2);
        assertArrayEquals(new int[] {2}, s.strides());
        assertTrue(s.sharesStorageWith(v));
        // a slice of a slice composes offsets and strides
        assertValues(s.slice(0, 1, 5, 2), shape(2), 3, 7);
        Tensor m = iotaTensor(3, 5);
        assertValues(m.slice(1, 0, 5, 2), shape(3, 3), 0, 2, 4, 5, 7, 9, 10, 12, 14);
        assertValues(m.slice(-2, -2, 3, 1), shape(2, 5), 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        assertValues(m.t().slice(1, 0, 3, 2), shape(5, 2), 0, 10, 1, 11, 2, 12, 3, 13, 4, 14);
        assertThrowsWith(IllegalArgumentException.class, () -> v.slice(0, 0, 5, 0), "slice: step must be positive, got 0");
        assertThrowsWith(IllegalArgumentException.class, () -> v.slice(0, 0, 5, -1), "slice: step must be positive, got -1");
        assertThrowsWith(IllegalArgumentException.class, () -> v.slice(1, 0, 5, 1), "slice: dim 1 is out of range");
    }

    @Test
    void select() {
        Tensor c = iotaTensor(2, 3, 4);
        assertValues(c.select(0, 1), shape(3, 4), 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23);
        assertValues(c.select(1, -1), shape(2, 4), 8, 9, 10, 11, 20, 21, 22, 23);
        assertValues(c.select(-1, 2), shape(2, 3), 2, 6, 10, 14, 18, 22);
        assertValues(iotaTensor(3).select(0, 1), shape(), 1);
        assertTrue(c.select(2, 0).sharesStorageWith(c));
        assertThrowsWith(IndexOutOfBoundsException.class, () -> c.select(1, 3),
                "select: index 3 is out of range for dim 1 of size 3 (shape [2, 3, 4])");
        assertThrowsWith(IndexOutOfBoundsException.class, () -> c.select(1, -4), "select: index -4 is out of range");
        assertThrowsWith(IllegalArgumentException.class, () -> c.select(3, 0), "select: dim 3 is out of range");
        assertThrows0(() -> Tensor.scalar(1).select(0, 0));
    }

    private static void assertThrows0(org.junit.jupiter.api.function.Executable e) {
        assertThrowsWith(IllegalArgumentException.class, e, "select");
    }

    // ------------------------------------------------------------------ squeeze / unsqueeze / expand / flatten

    @Test
    void squeezeAndUnsqueeze() {
        Tensor a = iotaTensor(1, 3, 1, 2);
        assertValues(a.squeeze(), shape(3, 2), 0, 1, 2, 3, 4, 5);
        assertValues(a.squeeze(0), shape(3, 1, 2), 0, 1, 2, 3, 4, 5);
        assertValues(a.squeeze(-2), shape(1, 3, 2), 0, 1, 2, 3, 4, 5);
        assertShape(a.squeeze(1), 1, 3, 1, 2); // not size 1: unchanged
        assertTrue(a.squeeze().sharesStorageWith(a));
        assertValues(Tensor.ones(1, 1).squeeze(), shape(), 1);
        assertValues(Tensor.scalar(2).squeeze(0), shape(), 2);
        Tensor v = Tensor.vector(1, 2, 3);
        assertValues(v.unsqueeze(0), shape(1, 3), 1, 2, 3);
        assertValues(v.unsqueeze(1), shape(3, 1), 1, 2, 3);
        assertValues(v.unsqueeze(-1), shape(3, 1), 1, 2, 3);
        assertValues(v.unsqueeze(-2), shape(1, 3), 1, 2, 3);
        assertValues(Tensor.scalar(5).unsqueeze(0), shape(1), 5);
        assertThrowsWith(IllegalArgumentException.class, () -> v.unsqueeze(2), "unsqueeze: dim 2 is out of range for a tensor of rank 2");
        // unsqueeze of a transposed view stays a view with the right values
        Tensor t = iotaTensor(3, 4).t();
        Tensor u = t.unsqueeze(1);
        assertTrue(u.sharesStorageWith(t));
        assertValues(u, shape(4, 1, 3), 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertValues(t.unsqueeze(0).squeeze(0), shape(4, 3), 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
    }

    @Test
    void expand() {
        Tensor col = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor e = col.expand(3, 4);
        assertValues(e, shape(3, 4), 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
        assertArrayEquals(new int[] {1, 0}, e.strides());
        assertTrue(e.sharesStorageWith(col));
        assertValues(col.expand(2, -1, 2), shape(2, 3, 2), 1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3);
        assertValues(Tensor.scalar(7).expand(2, 2), shape(2, 2), 7, 7, 7, 7);
        assertValues(col.expand(3, 0), shape(3, 0));
        assertValues(col.expand(-1, -1), shape(3, 1), 1, 2, 3);
        assertThrowsWith(IllegalArgumentException.class, () -> col.expand(4, 4),
                "expand: tensor of shape [3, 1] cannot be expanded to [4, 4] (dim 0: 3 is neither 1 nor 4)");
        assertThrowsWith(IllegalArgumentException.class, () -> col.expand(3),
                "expand: target [3] has fewer dims than the tensor [3, 1]");
        assertThrowsWith(IllegalArgumentException.class, () -> col.expand(-1, 3, 1),
                "expand: -1 is not allowed for a new leading dim in [-1, 3, 1]");
        assertThrowsWith(IllegalArgumentException.class, () -> col.expand(3, -2), "expand: negative size in [3, -2]");
    }

    @Test
    void flatten() {
        Tensor a = iotaTensor(2, 3, 4, 5);
        assertValues(a.flatten(), shape(120), ForwardAsserts.iota(120));
        assertShape(a.flatten(1, 2), 2, 12, 5);
        assertShape(a.flatten(-3, -1), 2, 60);
        assertShape(a.flatten(0, 0), 2, 3, 4, 5);
        assertShape(a.flatten(0, -1), 120);
        assertTrue(a.flatten(1, 2).sharesStorageWith(a));
        assertValues(Tensor.scalar(3).flatten(), shape(1), 3);
        assertValues(Tensor.scalar(3).flatten(0, 0), shape(1), 3);
        assertValues(iotaTensor(2, 3).t().flatten(), shape(6), 0, 3, 1, 4, 2, 5);
        assertThrowsWith(IllegalArgumentException.class, () -> a.flatten(2, 1), "flatten: start dim 2 comes after end dim 1");
        assertThrowsWith(IllegalArgumentException.class, () -> a.flatten(0, 4), "flatten: dim 4 is out of range");
    }

    // ------------------------------------------------------------------ contiguous / clone / detach

    @Test
    void contiguousAndClone() {
        Tensor a = iotaTensor(2, 3);
        assertSame(a, a.contiguous());
        Tensor t = a.t();
        Tensor c = t.contiguous();
        assertNotSame(t, c);
        assertTrue(c.isContiguous());
        assertFalse(c.sharesStorageWith(a));
        assertValues(c, shape(3, 2), 0, 3, 1, 4, 2, 5);
        assertArrayEquals(new int[] {2, 1}, c.strides());
        Tensor k = a.clone();
        assertFalse(k.sharesStorageWith(a));
        assertValues(k, shape(2, 3), 0, 1, 2, 3, 4, 5);
        k.fill(9);
        assertValues(a, shape(2, 3), 0, 1, 2, 3, 4, 5);
        assertValues(t.slice(0, 0, 3, 2).clone(), shape(2, 2), 0, 3, 2, 5);
        assertValues(Tensor.vector(4).expand(3).clone(), shape(3), 4, 4, 4);
        Tensor d = a.detach();
        assertTrue(d.sharesStorageWith(a));
        d.set(-1, 0, 0);
        assertEquals(-1f, a.item(0, 0));
    }

    // ------------------------------------------------------------------ writing through views

    @Test
    void writesThroughViewsReachTheBase() {
        Tensor base = Tensor.zeros(3, 4);
        base.narrow(1, 1, 2).fill(5);
        assertValues(base, shape(3, 4), 0, 5, 5, 0, 0, 5, 5, 0, 0, 5, 5, 0);
        base.select(0, 2).set(7, -1);
        assertEquals(7f, base.item(2, 3));
        base.t().select(0, 0).copyFrom(Tensor.vector(1, 2, 3));
        assertValues(base, shape(3, 4), 1, 5, 5, 0, 2, 5, 5, 0, 3, 5, 5, 7);
        base.slice(1, 0, 4, 3).fill(-1);
        assertValues(base, shape(3, 4), -1, 5, 5, -1, -1, 5, 5, -1, -1, 5, 5, -1);
        // copyFrom broadcasts a row into every row of a column view
        base.narrow(1, 1, 2).copyFrom(Tensor.vector(8, 9));
        assertValues(base, shape(3, 4), -1, 8, 9, -1, -1, 8, 9, -1, -1, 8, 9, -1);
        base.reshape(12).narrow(0, 0, 2).zero();
        assertValues(base, shape(3, 4), 0, 0, 9, -1, -1, 8, 9, -1, -1, 8, 9, -1);
        base.permute(1, 0).copyFrom(iotaTensor(4, 3));
        assertValues(base, shape(3, 4), 0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11);
        assertThrowsWith(IllegalArgumentException.class, () -> base.copyFrom(Tensor.zeros(3)),
                "copyFrom: shapes [3, 4] and [3] cannot be broadcast (dim -1: 4 vs 3)");
        assertThrowsWith(IllegalArgumentException.class, () -> base.copyFrom(Tensor.zeros(2, 3, 4)),
                "copyFrom: source shape [2, 3, 4] cannot be broadcast to [3, 4]");
        assertThrowsWith(IndexOutOfBoundsException.class, () -> base.set(1, 3, 0), "set: index 3 is out of range for dim 0 of size 3");
    }

    @Test
    void copyFromOverlappingViewOfItself() {
        Tensor v = iotaTensor(6);
        // shift left by one through an overlapping view: the source is read before writing
        v.narrow(0, 0, 5).copyFrom(v.narrow(0, 1, 5));
        assertValues(v, shape(6), 1, 2, 3, 4, 5, 5);
        Tensor m = iotaTensor(3, 3);
        m.copyFrom(m.t());
        assertValues(m, shape(3, 3), 0, 3, 6, 1, 4, 7, 2, 5, 8);
    }
}
