package dev.anneal.autograd;

import static dev.anneal.autograd.ForwardAsserts.assertClose;
import static dev.anneal.autograd.ForwardAsserts.assertThrowsWith;
import static dev.anneal.autograd.ForwardAsserts.assertValues;
import static dev.anneal.autograd.ForwardAsserts.iotaTensor;
import static dev.anneal.autograd.ForwardAsserts.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.anneal.tensor.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MatmulOpsTest {

    // ------------------------------------------------------------------ reference: torch.matmul by loops

    /** Logical values of a (rank >= 1) and b, broadcast and multiplied in double. */
    static float[] reference(Tensor ta, Tensor tb, int[] outShape) {
        int[] as = ta.shape(), bs = tb.shape();
        float[] a = ta.toArray(), b = tb.toArray();
        boolean aVec = as.length == 1, bVec = bs.length == 1;
        int[] am = aVec ? new int[] {1, as[0]} : as, bm = bVec ? new int[] {bs[0], 1} : bs;
        int m = am[am.length - 2], k = am[am.length - 1], n = bm[bm.length - 1];
        int[] batchA = Arrays.copyOf(am, am.length - 2), batchB = Arrays.copyOf(bm, bm.length - 2);
        int[] batch = BroadcastTest.broadcastShape(batchA, batchB);
        int nb = BroadcastTest.numel(batch);
        float[] out = new float[nb * m * n];
        for (int p = 0; p < nb; p++) {
            int[] idx = BroadcastTest.unravel(p, batch);
            int pa = BroadcastTest.sourceIndex(idx, batchA), pb = BroadcastTest.sourceIndex(idx, batchB);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) s += (double) a[(pa * m + i) * k + q] * b[(pb * k + q) * n + j];
                    out[(p * m + i) * n + j] = (float) s;
                }
        }
        assertEquals(BroadcastTest.numel(outShape), out.length);
        return out;
    }

    private static void check(Tensor a, Tensor b, int... expectedShape) {
        Tensor c = a.matmul(b);
        assertArrayEquals(expectedShape, c.shape(),
                () -> Arrays.toString(a.shape()) + " @ " + Arrays.toString(b.shape()) + " gave " + Arrays.toString(c.shape()));
        assertClose(reference(a, b, expectedShape), c.toArray(), 1e-5, 1e-5);
    }

    static Tensor r(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape);
    }

    // ------------------------------------------------------------------ hand-computed

    @Test
    void handComputedProducts() {
        assertValues(Tensor.vector(1, 2, 3).matmul(Tensor.vector(4, 5, 6)), shape(), 32);
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertValues(m.matmul(Tensor.vector(1, 0, -1)), shape(2), -2, -2);
        assertValues(Tensor.vector(1, -1).matmul(m), shape(3), -3, -3, -3);
        Tensor n = Tensor.of(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        assertValues(m.matmul(n), shape(2, 2), 58, 64, 139, 154);
        assertValues(n.matmul(m), shape(3, 3), 39, 54, 69, 49, 68, 87, 59, 82, 105);
        // batched: second batch is the identity times 2
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 1, 0, 0, 1}, 2, 2, 2);
        Tensor b = Tensor.of(new float[] {1, 0, 0, 1, 2, 3, 4, 5}, 2, 2, 2);
        assertValues(a.matmul(b), shape(2, 2, 2), 1, 2, 3, 4, 2, 3, 4, 5);
        // [2, 2] @ [2, 2, 2] broadcasts the matrix over the batch
        assertValues(Tensor.of(new float[] {0, 1, 1, 0}, 2, 2).matmul(b), shape(2, 2, 2), 0, 1, 1, 0, 4, 5, 2, 3);
        assertValues(Tensor.vector(2).matmul(Tensor.vector(3)), shape(), 6);
        assertValues(Tensor.of(new float[] {2}, 1, 1).matmul(Tensor.of(new float[] {3}, 1, 1)), shape(1, 1), 6);
    }

    // ------------------------------------------------------------------ every rank combination

    @Test
    void rankCombinations() {
        check(r(1, 7), r(2, 7));
        check(r(3, 4), r(4, 4, 5), 5);
        check(r(5, 6, 4), r(6, 4), 6);
        check(r(7, 6, 4), r(8, 4, 5), 6, 5);
        check(r(9, 3, 6, 4), r(10, 3, 4, 5), 3, 6, 5);
        check(r(11, 2, 3, 4), r(12, 4, 5), 2, 3, 5);
        check(r(13, 3, 4), r(14, 2, 4, 5), 2, 3, 5);
        check(r(15, 2, 1, 3, 4), r(16, 5, 4, 2), 2, 5, 3, 2);
        check(r(17, 4), r(18, 2, 4, 5), 2, 5);
        check(r(19, 2, 3, 4), r(20, 4), 2, 3);
        check(r(21, 1, 3, 4), r(22, 2, 4, 1), 2, 3, 1);
        check(r(23, 2, 1, 3, 4), r(24, 1, 5, 4, 2), 2, 5, 3, 2);
    }

    @Test
    void sizesAcrossKernelBlocksAndTails() {
        int[][] sizes = {{1, 1, 1}, {1, 37, 1}, {17, 1, 33}, {33, 17, 1}, {67, 45, 71}, {16, 16, 16}, {129, 3, 65}, {5, 300, 7}};
        for (int[] s : sizes) {
            check(r(s[0], s[0], s[1]), r(s[2] + 100, s[1], s[2]), s[0], s[2]);
            check(r(s[0] + 7, s[1], s[0]).t(), r(s[2] + 9, s[2], s[1]).t(), s[0], s[2]);
        }
    }

    // ------------------------------------------------------------------ non-contiguous inputs

    @Test
    void transposedAndStridedInputs() {
        Tensor a = r(31, 5, 6), b = r(32, 7, 5);
        check(a.t(), b.t(), 6, 7); // [6, 5] @ [5, 7], both transposed views
        check(a.t(), r(33, 5, 3), 6, 3);
        check(r(34, 3, 6), r(35, 4, 6).t(), 3, 4);
        Tensor batch = r(36, 2, 5, 4);
        check(batch.transpose(1, 2), r(37, 2, 5, 3), 2, 4, 3);
        check(r(38, 2, 3, 4), batch.transpose(-1, -2), 2, 3, 5);
        check(batch.permute(2, 0, 1), r(39, 1, 5, 3), 4, 2, 3); // batch dim is strided
        // sliced with a step along either dim, and a column slice (row stride > row length)
        Tensor wide = r(40, 6, 10);
        check(wide.slice(1, 0, 10, 2), r(41, 5, 4), 6, 4);
        check(wide.slice(0, 1, 6, 2), r(42, 10, 2), 3, 2);
        check(wide.narrow(1, 2, 5), r(43, 5, 3), 6, 3);
        check(r(44, 3, 6), wide.narrow(1, 3, 4), 3, 4);
        check(wide.select(0, 2), wide.t(), 6); // 1-D @ transposed 2-D
        check(wide.slice(1, 0, 9, 3), wide.slice(1, 1, 10, 3).t(), 6, 6);
        // expanded operands: broadcast batch and stride-0 rows and columns
        check(r(45, 1, 3, 4).expand(2, 3, 4), r(46, 2, 4, 5), 2, 3, 5);
        check(r(47, 1, 4).expand(3, 4), r(48, 4, 2), 3, 2);
        check(r(49, 3, 1).expand(3, 4), r(50, 4, 1).expand(4, 5), 3, 5);
        check(Tensor.scalar(2).expand(3, 4), r(51, 4, 2), 3, 2);
        // a 1-D vector with stride 2
        check(r(52, 8).slice(0, 0, 8, 2), r(53, 4, 3), 3);
        check(r(54, 3, 4), r(55, 8).slice(0, 1, 8, 2), 3);
    }

    @Test
    void inputsAreNotModified() {
        Tensor a = iotaTensor(2, 3), b = iotaTensor(3, 2);
        a.matmul(b);
        a.t().matmul(b.t());
        assertValues(a, shape(2, 3), 0, 1, 2, 3, 4, 5);
        assertValues(b, shape(3, 2), 0, 1, 2, 3, 4, 5);
    }

    // ------------------------------------------------------------------ zero-size dims

    @Test
    void zeroSizeDims() {
        assertValues(Tensor.zeros(0, 3).matmul(r(1, 3, 4)), shape(0, 4));
        assertValues(r(2, 3, 4).matmul(Tensor.zeros(4, 0)), shape(3, 0));
        assertValues(Tensor.ones(3, 0).matmul(Tensor.ones(0, 2)), shape(3, 2), 0, 0, 0, 0, 0, 0); // empty sums are 0
        assertValues(Tensor.zeros(0).matmul(Tensor.zeros(0)), shape(), 0);
        assertValues(Tensor.zeros(0).matmul(Tensor.zeros(0, 3)), shape(3), 0, 0, 0);
        assertValues(Tensor.zeros(2, 0).matmul(Tensor.zeros(0)), shape(2), 0, 0);
        assertValues(Tensor.zeros(0, 2, 3).matmul(r(3, 3, 4)), shape(0, 2, 4));
        assertValues(r(4, 2, 3).matmul(Tensor.zeros(5, 0, 3, 4)), shape(5, 0, 2, 4));
        assertValues(Tensor.ones(2, 3, 0).matmul(Tensor.ones(2, 0, 1)), shape(2, 3, 1), 0, 0, 0, 0, 0, 0);
        assertValues(Tensor.ones(4, 0).t().matmul(Tensor.ones(4, 2)), shape(0, 2));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void shapeErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 6)));
        assertEquals("matmul: [3, 4] @ [5, 6]: inner dimensions differ (4 vs 5)", e.getMessage());
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(4)),
                "matmul: [3] @ [4]: vector lengths differ (3 vs 4)");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(4, 5)),
                "matmul: [3] @ [4, 5]: inner dimensions differ (3 vs 4)");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4)),
                "matmul: [2, 3] @ [4]: inner dimensions differ (3 vs 4)");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)),
                "matmul: [2, 3, 4] @ [3, 4, 5]: batch dims [2] and [3] cannot be broadcast");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.scalar(1).matmul(Tensor.zeros(3)),
                "matmul: both arguments need at least 1 dim, got shapes [] and [3]");
        assertThrowsWith(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.scalar(1)),
                "matmul: both arguments need at least 1 dim, got shapes [3] and []");
    }
}
