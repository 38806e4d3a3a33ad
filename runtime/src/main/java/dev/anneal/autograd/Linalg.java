package dev.anneal.autograd;

import dev.anneal.kernels.Copy;
import dev.anneal.kernels.Matmul;
import dev.anneal.tensor.Layout;
import dev.anneal.tensor.Shape;
import java.util.Arrays;

/** torch.matmul semantics over the GEMM kernel; transposed views go to the kernel as flags, not copies. */
final class Linalg {
    private Linalg() {}

    static Tensor matmul(Tensor a, Tensor b) {
        int ra = a.rank(), rb = b.rank();
        if (ra == 0 || rb == 0)
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dim, got shapes " + Shape.str(a.shape())
                    + " and " + Shape.str(b.shape()));
        if (ra == 1 && rb == 1) {
            if (a.size(0) != b.size(0))
                throw new IllegalArgumentException("matmul: " + Shape.str(a.shape()) + " @ " + Shape.str(b.shape())
                        + ": vector lengths differ (" + a.size(0) + " vs " + b.size(0) + ")");
            return batched(a.unsqueeze(0), b.unsqueeze(1), a, b).reshape();
        }
        if (ra == 1) return batched(a.unsqueeze(0), b, a, b).squeeze(-2);
        if (rb == 1) return batched(a, b.unsqueeze(1), a, b).squeeze(-1);
        return batched(a, b, a, b);
    }

    /** [..., m, k] @ [..., k, n] with broadcast batch dims; origA/origB only name shapes in errors. */
    private static Tensor batched(Tensor a, Tensor b, Tensor origA, Tensor origB) {
        int[] as = a.shape(), bs = b.shape();
        int m = as[as.length - 2], k = as[as.length - 1], k2 = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != k2)
            throw new IllegalArgumentException("matmul: " + Shape.str(origA.shape()) + " @ " + Shape.str(origB.shape())
                    + ": inner dimensions differ (" + k + " vs " + k2 + ")");
        int[] batchA = Arrays.copyOf(as, as.length - 2), batchB = Arrays.copyOf(bs, bs.length - 2);
        int[] batch;
        try {
            batch = Shape.broadcast("matmul", batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: " + Shape.str(origA.shape()) + " @ " + Shape.str(origB.shape())
                    + ": batch dims " + Shape.str(batchA) + " and " + Shape.str(batchB) + " cannot be broadcast");
        }
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        int nb = Shape.numel(batch);
        float[] c = new float[Shape.numel(outShape)];
        Operand pa = Operand.of(a, batch, m, k), pb = Operand.of(b, batch, k, n);
        int[] idx = new int[batch.length];
        for (int p = 0; p < nb; p++) {
            Matmul.gemm(pa.trans, pb.trans, m, n, k, pa.data, pa.offset(idx), pa.ld, pb.data, pb.offset(idx), pb.ld,
                    c, p * m * n, n, false);
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d]) break;
                idx[d] = 0;
            }
        }
        int[] sa = as, sb = bs;
        return Tensor.result("matmul", c, outShape, new Tensor[] {a, b}, g -> new Tensor[] {
                a.requiresGrad() ? Elementwise.sumTo(g.matmul(b.transpose(-1, -2)), sa) : null,
                b.requiresGrad() ? Elementwise.sumTo(a.transpose(-1, -2).matmul(g), sb) : null}, a, b);
    }

    /** One side of a product, as the kernel wants it: row-major or transposed panels with a leading dim. */
    private static final class Operand {
        final float[] data;
        final boolean trans;
        final int ld;
        final Layout layout; // expanded to batch + [rows, cols]

        private Operand(float[] data, boolean trans, int ld, Layout layout) {
            this.data = data;
            this.trans = trans;
            this.ld = ld;
            this.layout = layout;
        }

        static Operand of(Tensor t, int[] batch, int rows, int cols) {
            int[] full = Arrays.copyOf(batch, batch.length + 2);
            full[batch.length] = rows;
            full[batch.length + 1] = cols;
            Layout l = t.layout().expand(full);
            int r = full.length;
            int sr = l.stride(r - 2), sc = l.stride(r - 1);
            if ((cols <= 1 || sc == 1) && (rows <= 1 || sr >= Math.max(1, cols)))
                return new Operand(t.storageData(), false, rows <= 1 ? Math.max(1, cols) : sr, l);
            if ((rows <= 1 || sr == 1) && (cols <= 1 || sc >= Math.max(1, rows)))
                return new Operand(t.storageData(), true, cols <= 1 ? Math.max(1, rows) : sc, l);
            // neither layout: copy the tensor (not its broadcast) to contiguous and expand again
            Tensor c = Tensor.wrap(Copy.contiguous(t.storageData(), t.layout()), t.shape());
            return of(c, batch, rows, cols);
        }

        int offset(int[] batchIndex) {
            int at = layout.offset();
            for (int i = 0; i < batchIndex.length; i++) at += batchIndex[i] * layout.stride(i);
            return at;
        }
    }
}
