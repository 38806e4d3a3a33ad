package dev.anneal.autograd;

import dev.anneal.kernels.Copy;
import dev.anneal.kernels.ReduceOp;
import dev.anneal.kernels.Reduction;
import dev.anneal.kernels.Softmax;
import dev.anneal.tensor.Layout;
import dev.anneal.tensor.Shape;
import dev.anneal.tensor.Storage;
import java.util.Arrays;

/** Reductions over dims, softmax, and their gradient rules. */
final class Reductions {
    private Reductions() {}

    /** Sorted, distinct, non-negative dims; null or empty means all dims. */
    static boolean[] dimMask(String op, int[] dims, int rank) {
        boolean[] mask = new boolean[rank];
        if (dims == null || dims.length == 0) {
            Arrays.fill(mask, true);
            return mask;
        }
        for (int d : dims) {
            int k = Shape.dim(op, d, rank);
            if (rank == 0) continue; // a rank-0 tensor reduces over nothing
            if (mask[k]) throw new IllegalArgumentException(op + ": dim " + d + " appears more than once in " + Arrays.toString(dims));
            mask[k] = true;
        }
        return mask;
    }

    static int[] reducedShape(int[] shape, boolean[] mask, boolean keepdim) {
        int[] out = new int[shape.length];
        int r = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!mask[i]) out[r++] = shape[i];
            else if (keepdim) out[r++] = 1;
        }
        return Arrays.copyOf(out, r);
    }

    /** Raw reduction of x over the masked dims into the keepdim shape's element order. */
    static float[] reduceRaw(String op, ReduceOp kind, Tensor x, boolean[] mask) {
        int[] shape = x.shape();
        int rank = shape.length;
        // find whether the reduced dims form one consecutive block of a contiguous tensor
        int first = -1, last = -1;
        for (int i = 0; i < rank; i++) if (mask[i]) { if (first < 0) first = i; last = i; }
        if (first < 0) return x.toArray();
        boolean block = true;
        for (int i = first; i <= last; i++) block &= mask[i];
        float[] data;
        int off, outer = 1, len = 1, inner = 1;
        if (block) {
            for (int i = 0; i < first; i++) outer *= shape[i];
            for (int i = first; i <= last; i++) len *= shape[i];
            for (int i = last + 1; i < rank; i++) inner *= shape[i];
            if (x.isContiguous()) {
                data = x.storageData();
                off = x.layout().offset();
            } else {
                data = x.toArray();
                off = 0;
            }
        } else {
            // kept dims first, reduced dims last, then one row reduction
            int[] order = new int[rank];
            int k = 0;
            for (int i = 0; i < rank; i++) if (!mask[i]) { order[k++] = i; outer *= shape[i]; }
            for (int i = 0; i < rank; i++) if (mask[i]) { order[k++] = i; len *= shape[i]; }
            data = Copy.contiguous(x.storageData(), x.layout().permute(order));
            off = 0;
        }
        if (len == 0 && kind != ReduceOp.SUM && outer * inner > 0)
            throw new IllegalArgumentException(op + ": cannot reduce over a dim of size 0 in shape " + Shape.str(shape)
                    + " (the operation has no identity)");
        return Reduction.reduce(kind, data, off, outer, len, inner);
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        boolean[] mask = dimMask("sum", dims, x.rank());
        int[] shape = x.shape();
        int[] keep = reducedShape(shape, mask, true), out = reducedShape(shape, mask, keepdim);
        float[] r = reduceRaw("sum", ReduceOp.SUM, x, mask);
        return Tensor.result("sum", r, out, new Tensor[] {x}, g -> new Tensor[] {g.reshape(keep).expand(shape)});
    }

    static int count(int[] shape, boolean[] mask) {
        int n = 1;
        for (int i = 0; i < shape.length; i++) if (mask[i]) n *= shape[i];
        return n;
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        boolean[] mask = dimMask("mean", dims, x.rank());
        int n = count(x.shape(), mask);
        return sum(x, dims, keepdim).div((float) n); // 0/0 gives NaN for an empty reduction, as PyTorch
    }

    static Tensor var(Tensor x, int[] dims, int correction, boolean keepdim) {
        if (correction < 0) throw new IllegalArgumentException("var: correction must be non-negative, got " + correction);
        boolean[] mask = dimMask("var", dims, x.rank());
        int n = count(x.shape(), mask);
        Tensor mu = mean(x, dims, true);
        Tensor d = x.sub(mu);
        // N − correction ≤ 0 gives inf or NaN, as PyTorch
        return sum(d.mul(d), dims, keepdim).div((float) Math.max(0, n - correction));
    }

    /** sqrt of a variance; like PyTorch's std backward, the 1/(2·std) factor is 0 where std = 0 (not inf, which gave NaN). */
    static Tensor std(Tensor var) {
        Storage storage = new Storage(dev.anneal.kernels.Unary.map(dev.anneal.kernels.UnaryOp.SQRT, 0, 0, var.storageData(), var.layout()));
        Layout layout = Layout.contiguous(var.shape());
        Tensor out = new Tensor(storage, layout, null);
        return Tensor.result("std", storage, layout, new Tensor[] {var},
                g -> new Tensor[] {Tensor.where(out.eq(0f), Tensor.scalar(0f), g.div(out.mul(2f)))}, out);
    }

    static Tensor extreme(Tensor x, boolean max) {
        String op = max ? "max" : "min";
        if (x.numel() == 0) throw new IllegalArgumentException(op + ": the tensor is empty (shape " + Shape.str(x.shape()) + ")");
        boolean[] mask = dimMask(op, null, x.rank());
        float[] r = reduceRaw(op, max ? ReduceOp.MAX : ReduceOp.MIN, x, mask);
        Tensor[] holder = {Tensor.wrap(r.clone(), new int[0])};
        return Tensor.result(op, r, new int[0], new Tensor[] {x}, g -> {
            Tensor hits = x.eq(holder[0]);
            return new Tensor[] {hits.mul(g.div(hits.sum()))};
        }, x);
    }

    static Tensor argAll(Tensor x, boolean max) {
        String op = max ? "argmax" : "argmin";
        if (x.numel() == 0) throw new IllegalArgumentException(op + ": the tensor is empty (shape " + Shape.str(x.shape()) + ")");
        checkIndexable(op, x.numel());
        float[] flat = x.toArray();
        float idx = Reduction.row(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, flat, 0, flat.length);
        return Tensor.scalar(idx);
    }

    static void checkIndexable(String op, int n) {
        if (n > (1 << 24))
            throw new IllegalArgumentException(op + ": " + n + " positions exceed 2^24, beyond which float indices are not exact");
    }

    static Tensor argAlong(Tensor x, int dim, boolean keepdim, boolean max) {
        String op = max ? "argmax" : "argmin";
        int d = Shape.dim(op, dim, x.rank());
        if (x.rank() == 0) return Tensor.scalar(0f);
        checkIndexable(op, x.size(d));
        boolean[] mask = new boolean[x.rank()];
        mask[d] = true;
        float[] r = reduceRaw(op, max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, x, mask);
        return Tensor.wrap(r, reducedShape(x.shape(), mask, keepdim));
    }

    static Tensor extremeAlong(Tensor x, int dim, boolean keepdim, boolean max) {
        String op = max ? "max" : "min";
        int d = Shape.dim(op, dim, x.rank());
        if (x.rank() == 0) return x.clone();
        Tensor idx = argAlong(x, d, true, max);
        Tensor values = x.detach().gather(d, idx);
        int[] shape = x.shape();
        boolean[] mask = new boolean[x.rank()];
        mask[d] = true;
        int[] out = reducedShape(shape, mask, keepdim), keep = reducedShape(shape, mask, true);
        return Tensor.result(op, values.toArray(), out, new Tensor[] {x},
                g -> new Tensor[] {Tensor.zeros(shape).scatter(d, idx, g.reshape(keep))});
    }

    static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) {
        boolean[] mask = dimMask("logsumexp", dims, x.rank());
        Tensor m;
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            m = x.numel() == 0 ? Tensor.zeros(reducedShape(x.shape(), mask, true)) : amax(x, mask);
            // an all −inf (or inf) slice would give inf − inf: shift by 0 there instead
            m = Tensor.where(m.abs().eq(Float.POSITIVE_INFINITY), Tensor.scalar(0f), m);
        }
        Tensor s = x.sub(m).exp().sum(dims, true).log().add(m);
        return keepdim ? s : s.reshape(reducedShape(x.shape(), mask, false));
    }

    private static Tensor amax(Tensor x, boolean[] mask) {
        return Tensor.wrap(reduceRaw("logsumexp", ReduceOp.MAX, x, mask), reducedShape(x.shape(), mask, true));
    }

    static Tensor softmax(Tensor x, int dim, boolean log) {
        String op = log ? "logSoftmax" : "softmax";
        int rank = x.rank();
        int d = Shape.dim(op, dim, rank);
        if (rank == 0) return softmax(x.reshape(1), 0, log).reshape();
        int[] order = new int[rank];
        for (int i = 0, k = 0; i < rank; i++) if (i != d) order[k++] = i;
        order[rank - 1] = d;
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) inverse[order[i]] = i;
        Layout moved = x.layout().permute(order);
        float[] data = moved.isContiguous() ? x.storageData() : Copy.contiguous(x.storageData(), moved);
        int off = moved.isContiguous() ? moved.offset() : 0;
        int len = x.size(d), rows = len == 0 ? 0 : x.numel() / len;
        float[] y = Softmax.rows(data, off, rows, len, log);
        Storage storage = new Storage(y);
        Layout layout = Layout.contiguous(moved.shape()).permute(inverse);
        Tensor out = new Tensor(storage, layout, null);
        Node.Rule rule = log
                ? g -> new Tensor[] {g.sub(out.exp().mul(g.sum(new int[] {d}, true)))}
                : g -> new Tensor[] {out.mul(g.sub(g.mul(out).sum(new int[] {d}, true)))};
        return Tensor.result(op, storage, layout, new Tensor[] {x}, rule, out);
    }
}
