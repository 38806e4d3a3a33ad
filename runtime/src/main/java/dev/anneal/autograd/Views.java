package dev.anneal.autograd;

import dev.anneal.kernels.Copy;
import dev.anneal.tensor.Layout;
import dev.anneal.tensor.Shape;
import dev.anneal.tensor.Storage;
import java.util.Arrays;

/** Shape changes that share storage where they can, and their gradient rules. */
final class Views {
    private Views() {}

    private static Tensor view(String op, Tensor x, Layout layout, Node.Rule rule) {
        return Tensor.result(op, x.storage(), layout, new Tensor[] {x}, rule);
    }

    static Tensor reshape(Tensor x, int[] shape, boolean viewOnly) {
        String op = viewOnly ? "view" : "reshape";
        int[] target = Shape.infer(op, x.shape(), shape);
        int[] from = x.shape();
        Layout l = x.layout().reshapeView(target);
        if (l == null) {
            if (viewOnly)
                throw new IllegalArgumentException("view: shape " + Shape.str(from) + " with strides " + Arrays.toString(x.strides())
                        + " cannot be viewed as " + Shape.str(target) + " without a copy; use reshape (or contiguous() first)");
            return reshape(copy(x, "reshape"), target, false);
        }
        return view(op, x, l, g -> new Tensor[] {g.reshape(from)});
    }

    static Tensor flatten(Tensor x, int start, int end) {
        int rank = x.rank();
        if (rank == 0) return x.reshape(1);
        int s = Shape.dim("flatten", start, rank), e = Shape.dim("flatten", end, rank);
        if (s > e) throw new IllegalArgumentException("flatten: start dim " + start + " comes after end dim " + end);
        int[] shape = x.shape();
        int[] out = new int[rank - (e - s)];
        int k = 0, merged = 1;
        for (int i = 0; i < rank; i++) {
            if (i < s || i > e) out[k++] = shape[i];
            else {
                merged *= shape[i];
                if (i == e) out[k++] = merged;
            }
        }
        return x.reshape(out);
    }

    static Tensor transpose(Tensor x, int d0, int d1) {
        int rank = x.rank();
        if (rank == 0) return x;
        int a = Shape.dim("transpose", d0, rank), b = Shape.dim("transpose", d1, rank);
        return view("transpose", x, x.layout().transpose(a, b), g -> new Tensor[] {g.transpose(a, b)});
    }

    static Tensor permute(Tensor x, int[] order) {
        int rank = x.rank();
        if (order.length != rank)
            throw new IllegalArgumentException("permute: " + Arrays.toString(order) + " has " + order.length
                    + " dims, the tensor has rank " + rank);
        int[] o = new int[rank], inverse = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            o[i] = Shape.dim("permute", order[i], rank);
            if (seen[o[i]]) throw new IllegalArgumentException("permute: " + Arrays.toString(order) + " repeats dim " + order[i]);
            seen[o[i]] = true;
            inverse[o[i]] = i;
        }
        return view("permute", x, x.layout().permute(o), g -> new Tensor[] {g.permute(inverse)});
    }

    static Tensor narrow(Tensor x, int dim, int start, int length) {
        int d = Shape.dim("narrow", dim, x.rank());
        int n = x.size(d);
        int s = start < 0 ? start + n : start;
        if (s < 0 || length < 0 || s + length > n)
            throw new IllegalArgumentException("narrow: start " + start + " and length " + length + " do not fit dim " + dim
                    + " of size " + n + " (shape " + Shape.str(x.shape()) + ")");
        Layout l = x.layout().narrow(d, s, length);
        return embeddedView("narrow", x, l, s, d, 1);
    }

    static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int d = Shape.dim("slice", dim, x.rank());
        if (step < 1) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        int n = x.size(d);
        int s = Math.min(Math.max(start < 0 ? start + n : start, 0), n);
        int e = Math.min(Math.max(end < 0 ? end + n : end, s), n);
        int len = (e - s + step - 1) / step;
        int[] shape = x.shape(), strides = x.strides();
        shape[d] = len;
        int off = x.layout().offset() + (len == 0 ? 0 : s * strides[d]);
        strides[d] *= step;
        Layout l = new Layout(shape, strides, off);
        return embeddedView("slice", x, l, s, d, step);
    }

    /** A view whose gradient is the upstream gradient placed into zeros at the same positions. */
    private static Tensor embeddedView(String op, Tensor x, Layout l, int start, int d, int step) {
        int[] full = x.shape();
        int len = l.size(d);
        return view(op, x, l, g -> {
            Tensor z = Tensor.zeros(full);
            Layout into = z.layout();
            int[] shape = into.shape(), strides = into.strides();
            shape[d] = len;
            int off = len == 0 ? 0 : start * strides[d];
            strides[d] *= step;
            Copy.into(g.storageData(), g.layout(), z.storageData(), new Layout(shape, strides, off));
            return new Tensor[] {z};
        });
    }

    static Tensor select(Tensor x, int dim, int index) {
        int d = Shape.dim("select", dim, x.rank());
        if (x.rank() == 0) throw new IllegalArgumentException("select: cannot select from a rank-0 tensor");
        int n = x.size(d), i = index < 0 ? index + n : index;
        if (i < 0 || i >= n)
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dim " + dim + " of size " + n
                    + " (shape " + Shape.str(x.shape()) + ")");
        int[] full = x.shape();
        return view("select", x, x.layout().select(d, i), g -> {
            Tensor z = Tensor.zeros(full);
            Copy.into(g.storageData(), g.layout(), z.storageData(), z.layout().select(d, i));
            return new Tensor[] {z};
        });
    }

    static Tensor squeeze(Tensor x, Integer dim) {
        int[] shape = x.shape();
        int[] out;
        if (dim == null) {
            out = Arrays.stream(shape).filter(s -> s != 1).toArray();
        } else {
            if (x.rank() == 0) return x;
            int d = Shape.dim("squeeze", dim, x.rank());
            if (shape[d] != 1) return x;
            out = new int[shape.length - 1];
            for (int i = 0, k = 0; i < shape.length; i++) if (i != d) out[k++] = shape[i];
        }
        return x.reshape(out);
    }

    static Tensor unsqueeze(Tensor x, int dim) {
        int rank = x.rank();
        int d = Shape.dim("unsqueeze", dim, rank + 1);
        int[] shape = x.shape();
        int[] out = new int[rank + 1];
        for (int i = 0, k = 0; i <= rank; i++) out[i] = i == d ? 1 : shape[k++];
        return x.reshape(out);
    }

    static Tensor expand(Tensor x, int[] target) {
        int[] shape = x.shape();
        if (target.length < shape.length)
            throw new IllegalArgumentException("expand: target " + Shape.str(target) + " has fewer dims than the tensor "
                    + Shape.str(shape));
        int[] t = target.clone();
        int lead = t.length - shape.length;
        for (int i = 0; i < t.length; i++) {
            int have = i < lead ? -2 : shape[i - lead];
            if (t[i] == -1) {
                if (i < lead) throw new IllegalArgumentException("expand: -1 is not allowed for a new leading dim in " + Shape.str(target));
                t[i] = have;
            } else if (t[i] < 0) {
                throw new IllegalArgumentException("expand: negative size in " + Shape.str(target));
            } else if (i >= lead && have != t[i] && have != 1) {
                throw new IllegalArgumentException("expand: tensor of shape " + Shape.str(shape) + " cannot be expanded to "
                        + Shape.str(target) + " (dim " + i + ": " + have + " is neither 1 nor " + t[i] + ")");
            }
        }
        return view("expand", x, x.layout().expand(t), g -> new Tensor[] {Elementwise.sumTo(g, shape)});
    }

    static Tensor copy(Tensor x, String op) {
        return Tensor.result(op, new Storage(x.toArray()), Layout.contiguous(x.shape()), new Tensor[] {x}, g -> new Tensor[] {g});
    }
}
