package dev.anneal.autograd;

import dev.anneal.kernels.Copy;
import dev.anneal.kernels.Gather;
import dev.anneal.tensor.Layout;
import dev.anneal.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Joining, splitting and index-driven ops, and their gradient rules. */
final class Indexing {
    private Indexing() {}

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) throw new IllegalArgumentException("cat: expected at least one tensor");
        Tensor first = tensors.get(0);
        int rank = first.rank();
        if (rank == 0) throw new IllegalArgumentException("cat: rank-0 tensors cannot be concatenated (use stack)");
        int d = Shape.dim("cat", dim, rank);
        int[] shape = first.shape();
        int total = 0;
        for (int t = 0; t < tensors.size(); t++) {
            int[] s = tensors.get(t).shape();
            boolean ok = s.length == rank;
            for (int i = 0; ok && i < rank; i++) ok = i == d || s[i] == shape[i];
            if (!ok)
                throw new IllegalArgumentException("cat: tensor " + t + " has shape " + Shape.str(s) + ", expected "
                        + describeExpected(shape, d) + " to match tensor 0 " + Shape.str(shape) + " except along dim " + dim);
            total += s[d];
        }
        int[] outShape = shape.clone();
        outShape[d] = total;
        Tensor out = Tensor.zeros(outShape);
        int at = 0;
        int[] starts = new int[tensors.size()];
        for (int t = 0; t < tensors.size(); t++) {
            Tensor x = tensors.get(t);
            starts[t] = at;
            Copy.into(x.storageData(), x.layout(), out.storageData(), out.layout().narrow(d, at, x.size(d)));
            at += x.size(d);
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        return Tensor.result("cat", out.storageData(), outShape, inputs, g -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int t = 0; t < inputs.length; t++) grads[t] = g.narrow(d, starts[t], inputs[t].size(d));
            return grads;
        });
    }

    private static String describeExpected(int[] shape, int d) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) b.append(i > 0 ? ", " : "").append(i == d ? "*" : String.valueOf(shape[i]));
        return b.append("]").toString();
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) throw new IllegalArgumentException("stack: expected at least one tensor");
        int[] shape = tensors.get(0).shape();
        int d = Shape.dim("stack", dim, shape.length + 1);
        List<Tensor> parts = new ArrayList<>();
        for (int t = 0; t < tensors.size(); t++) {
            if (!Arrays.equals(tensors.get(t).shape(), shape))
                throw new IllegalArgumentException("stack: tensor " + t + " has shape " + Shape.str(tensors.get(t).shape())
                        + ", expected " + Shape.str(shape) + " like tensor 0");
            parts.add(tensors.get(t).unsqueeze(d));
        }
        return cat(parts, d);
    }

    static List<Tensor> split(Tensor x, int size, int dim) {
        int d = Shape.dim("split", dim, x.rank());
        if (size <= 0) throw new IllegalArgumentException("split: size must be positive, got " + size);
        int n = x.size(d);
        List<Tensor> out = new ArrayList<>();
        for (int s = 0; s < n; s += size) out.add(x.narrow(d, s, Math.min(size, n - s)));
        if (n == 0) out.add(x.narrow(d, 0, 0));
        return out;
    }

    static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        int d = Shape.dim("split", dim, x.rank());
        int sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: sizes must be non-negative, got " + Arrays.toString(sizes));
            sum += s;
        }
        if (sum != x.size(d))
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum + ", but dim " + dim
                    + " has size " + x.size(d));
        List<Tensor> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            out.add(x.narrow(d, at, s));
            at += s;
        }
        return out;
    }

    /** Whole-number indices checked against [0, bound) (negative ones count from the end). */
    static int[] indices(String op, Tensor index, int bound) {
        float[] v = index.toArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            float f = v[i];
            if (f != Math.rint(f))
                throw new IllegalArgumentException(op + ": index " + f + " at flat position " + i + " is not a whole number");
            int k = (int) f;
            if (k < -bound || k >= bound)
                throw new IndexOutOfBoundsException(op + ": index " + k + " at flat position " + i + " is out of range for a dim of size "
                        + bound);
            out[i] = k < 0 ? k + bound : k;
        }
        return out;
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        if (index.rank() > 1)
            throw new IllegalArgumentException("indexSelect: index must be 1-D, got shape " + Shape.str(index.shape()));
        int d = Shape.dim("indexSelect", dim, x.rank());
        if (x.rank() == 0) throw new IllegalArgumentException("indexSelect: cannot index a rank-0 tensor");
        int[] idx = indices("indexSelect", index, x.size(d));
        int[] shape = x.shape();
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        float[] src = x.toArray();
        float[] out = Gather.indexSelect(src, outer, shape[d], inner, idx);
        int[] outShape = shape.clone();
        outShape[d] = idx.length;
        int o = outer, in = inner;
        return Tensor.result("indexSelect", out, outShape, new Tensor[] {x}, g -> {
            float[] z = new float[Shape.numel(shape)];
            Gather.indexAdd(g.toArray(), o, shape[d], in, idx, z);
            return new Tensor[] {Tensor.wrap(z, shape)};
        });
    }

    private static void checkGatherShapes(String op, Tensor x, int d, Tensor index, boolean indexMayBeSmaller) {
        if (index.rank() != x.rank())
            throw new IllegalArgumentException(op + ": index has rank " + index.rank() + " but the tensor has rank " + x.rank()
                    + " (shapes " + Shape.str(index.shape()) + " and " + Shape.str(x.shape()) + ")");
        for (int i = 0; i < x.rank(); i++)
            if (i != d && index.size(i) > x.size(i))
                throw new IllegalArgumentException(op + ": index shape " + Shape.str(index.shape()) + " exceeds the tensor's "
                        + Shape.str(x.shape()) + " in dim " + i);
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        int d = Shape.dim("gather", dim, x.rank());
        checkGatherShapes("gather", x, d, index, true);
        int[] idx = indices("gather", index, x.rank() == 0 ? 1 : x.size(d));
        int[] xs = x.shape(), is = index.shape();
        float[] out = Gather.gather(x.toArray(), xs, d, idx, is);
        return Tensor.result("gather", out, is, new Tensor[] {x}, g -> {
            float[] z = new float[Shape.numel(xs)];
            Gather.scatter(z, xs, d, idx, is, g.toArray(), true);
            return new Tensor[] {Tensor.wrap(z, xs)};
        });
    }

    static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src, boolean add) {
        String op = add ? "scatterAdd" : "scatter";
        int d = Shape.dim(op, dim, x.rank());
        checkGatherShapes(op, x, d, index, true);
        int[] is = index.shape(), ss = src.shape(), xs = x.shape();
        if (ss.length != is.length)
            throw new IllegalArgumentException(op + ": src has rank " + ss.length + " but index has rank " + is.length);
        for (int i = 0; i < is.length; i++)
            if (is[i] > ss[i])
                throw new IllegalArgumentException(op + ": index shape " + Shape.str(is) + " exceeds src shape " + Shape.str(ss) + " in dim " + i);
        int[] idx = indices(op, index, x.rank() == 0 ? 1 : x.size(d));
        // src is read in index's shape (PyTorch reads only that corner of a larger src)
        Tensor srcPart = src.detach();
        for (int i = 0; i < is.length; i++) srcPart = srcPart.narrow(i, 0, is[i]);
        float[] out = x.toArray();
        Gather.scatter(out, xs, d, idx, is, srcPart.toArray(), add);
        return Tensor.result(op, out, xs, new Tensor[] {x, src}, g -> {
            Tensor gx = add ? g : Tensor.wrap(scatterZeros(g.toArray(), xs, d, idx, is), xs);
            Tensor gsPart = g.gather(d, index);
            Tensor gs = gsPart;
            if (!Arrays.equals(is, ss)) {
                Tensor z = Tensor.zeros(ss);
                Layout corner = z.layout();
                for (int i = 0; i < is.length; i++) corner = corner.narrow(i, 0, is[i]);
                Copy.into(gsPart.storageData(), gsPart.layout(), z.storageData(), corner);
                gs = z;
            }
            return new Tensor[] {gx, gs};
        }, index); // saved: the src gradient reads it, so an in-place change before backward must be caught
    }

    private static float[] scatterZeros(float[] g, int[] xs, int d, int[] idx, int[] is) {
        Gather.scatter(g, xs, d, idx, is, new float[idx.length], false);
        return g;
    }

    static Tensor oneHot(Tensor labels, int numClasses) {
        if (numClasses <= 0) throw new IllegalArgumentException("oneHot: numClasses must be positive, got " + numClasses);
        float[] raw = labels.toArray();
        for (float v : raw)
            if (v < 0 || v >= numClasses)
                throw new IllegalArgumentException("oneHot: labels must be whole numbers in [0, " + numClasses + "), got " + v);
        int[] idx = indices("oneHot", labels, numClasses);
        int[] shape = Arrays.copyOf(labels.shape(), labels.rank() + 1);
        shape[labels.rank()] = numClasses;
        float[] out = new float[Shape.numel(shape)];
        for (int i = 0; i < idx.length; i++) out[i * numClasses + idx[i]] = 1f;
        return Tensor.wrap(out, shape);
    }
}
