package dev.anneal.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.tensor.Generator;
import org.junit.jupiter.api.Test;

/** The out= forms write exactly what the allocating ops return, and refuse what PyTorch refuses. */
class OutFormsTest {
    private static final Generator G = new Generator(11);

    @Test
    void binaryOutFormsMatchTheAllocatingOpsBitForBit() {
        // 70 001 elements: long enough for the vector body and the thread split, with a ragged tail
        Tensor a = Tensor.randn(G, 7, 10001), b = Tensor.randn(G, 7, 10001), row = Tensor.randn(G, 10001);
        try (var s = GradMode.noGrad()) {
            Tensor out = Tensor.zeros(7, 10001);
            assertSame(out, a.addOut(b, out));
            assertArrayEquals(a.add(b).toArray(), out.toArray());
            assertArrayEquals(a.sub(row).toArray(), a.subOut(row, out).toArray());
            assertArrayEquals(a.mul(b).toArray(), a.mulOut(b, out).toArray());
            assertArrayEquals(row.div(a).toArray(), row.divOut(a, out).toArray());
        }
    }

    @Test
    void unaryOutFormsMatchTheAllocatingOpsBitForBit() {
        Tensor a = Tensor.randn(G, 3, 40003);
        try (var s = GradMode.noGrad()) {
            Tensor out = Tensor.zeros(3, 40003);
            assertArrayEquals(a.relu().toArray(), a.reluOut(out).toArray());
            assertArrayEquals(a.exp().toArray(), a.expOut(out).toArray());
            assertArrayEquals(a.mul(1.5f).toArray(), a.mulOut(1.5f, out).toArray());
            assertArrayEquals(a.add(-0.25f).toArray(), a.addOut(-0.25f, out).toArray());
        }
    }

    @Test
    void aStridedOutReceivesEachElementAtItsPlace() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), b = Tensor.of(new float[] {10, 20, 30}, 3);
        Tensor base = Tensor.zeros(3, 2);
        Tensor out = base.t(); // [2, 3] view with strides (1, 2)
        a.addOut(b, out);
        assertArrayEquals(new float[] {11, 14, 22, 25, 33, 36}, base.toArray());
        a.reluOut(base.t());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, base.toArray());
    }

    @Test
    void outMayBeAnInputItselfAndCountsAsAnInPlaceChange() {
        Tensor a = Tensor.of(new float[] {1, -2, 3}, 3), b = Tensor.of(new float[] {4, 5, -6}, 3);
        a.addOut(b, a);
        assertArrayEquals(new float[] {5, 3, -3}, a.toArray());
        a.reluOut(a);
        assertArrayEquals(new float[] {5, 3, 0}, a.toArray());
        // disjoint halves of one storage are separate tensors
        Tensor buf = Tensor.of(new float[] {1, 2, 3, 4}, 4);
        buf.narrow(0, 0, 2).mulOut(10f, buf.narrow(0, 2, 2));
        assertArrayEquals(new float[] {1, 2, 10, 20}, buf.toArray());

        // a saved value overwritten through out= is caught at backward, as any in-place change
        Tensor w = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor y = w.exp(); // saves its output
        try (var s = GradMode.noGrad()) {
            w.mulOut(0f, y);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("in-place"), e.getMessage());
    }

    @Test
    void refusesAWrongShapeAutogradSharedElementsAndPartialOverlap() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), b = Tensor.of(new float[] {1, 1}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.addOut(b, Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("addOut") && e.getMessage().contains("[4]") && e.getMessage().contains("[2, 2]"),
                e.getMessage());

        Tensor w = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        e = assertThrows(IllegalArgumentException.class, () -> w.reluOut(Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("reluOut") && e.getMessage().contains("requires grad"), e.getMessage());
        try (var s = GradMode.noGrad()) {
            assertArrayEquals(new float[] {2, 4}, w.mulOut(2f, Tensor.zeros(2)).toArray()); // as PyTorch allows under no_grad
        }

        Tensor shared = Tensor.zeros(2).expand(2, 2);
        e = assertThrows(IllegalArgumentException.class, () -> a.addOut(b, shared));
        assertTrue(e.getMessage().contains("share memory"), e.getMessage());

        Tensor buf = Tensor.of(new float[] {1, 2, 3, 4}, 4);
        Tensor before = Tensor.of(buf.toArray(), 4);
        e = assertThrows(IllegalArgumentException.class, () -> buf.narrow(0, 0, 3).mulOut(2f, buf.narrow(0, 1, 3)));
        assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
        assertArrayEquals(before.toArray(), buf.toArray(), "nothing written on refusal");
        assertEquals(4, buf.numel());
    }
}
