package dev.anneal.tensor;

import java.util.Arrays;

/**
 * Where a tensor's elements sit in its storage: shape, strides (in elements) and offset.
 * Every view (transpose, narrow, expand, ...) is a new Layout over the same storage.
 */
public final class Layout {
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    public Layout(int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length)
            throw new IllegalArgumentException("Layout: shape " + Shape.str(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in rank");
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.offset = offset;
    }

    public static Layout contiguous(int[] shape) {
        return new Layout(shape, Shape.contiguousStrides(shape), 0);
    }

    public int[] shape() {
        return shape.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public int size(int dim) {
        return shape[dim];
    }

    public int stride(int dim) {
        return strides[dim];
    }

    public int offset() {
        return offset;
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return Shape.numel(shape);
    }

    /** Row-major with no gaps: elements are storage[offset .. offset+numel). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** Storage index of the element at the given multi-index (no bounds check). */
    public int index(int... idx) {
        int at = offset;
        for (int i = 0; i < idx.length; i++) at += idx[i] * strides[i];
        return at;
    }

    /** Highest storage index any element uses, or offset-1 for an empty layout. */
    public long maxIndex() {
        long at = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) return offset - 1L;
            at += (long) (shape[i] - 1) * strides[i];
        }
        return at;
    }

    public Layout permute(int[] order) {
        int[] s = new int[order.length], st = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            s[i] = shape[order[i]];
            st[i] = strides[order[i]];
        }
        return new Layout(s, st, offset);
    }

    public Layout transpose(int d0, int d1) {
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        order[d0] = d1;
        order[d1] = d0;
        return permute(order);
    }

    public Layout narrow(int dim, int start, int length) {
        int[] s = shape.clone();
        s[dim] = length;
        return new Layout(s, strides, offset + (length == 0 ? 0 : start * strides[dim]));
    }

    /** Removes dim by fixing its index. */
    public Layout select(int dim, int index) {
        int[] s = new int[shape.length - 1], st = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i == dim) continue;
            s[j] = shape[i];
            st[j++] = strides[i];
        }
        return new Layout(s, st, offset + index * strides[dim]);
    }

    /** Broadcast view to a larger shape: new and size-1 dims get stride 0. Shapes must be compatible. */
    public Layout expand(int[] target) {
        int r = target.length, lead = r - shape.length;
        int[] st = new int[r];
        for (int i = 0; i < r; i++) {
            if (i < lead) {
                st[i] = 0;
            } else {
                int d = shape[i - lead];
                st[i] = d == target[i] ? strides[i - lead] : 0;
            }
        }
        return new Layout(target, st, offset);
    }

    public Layout unsqueeze(int dim) {
        int[] s = new int[shape.length + 1], st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i == dim) {
                s[i] = 1;
                st[i] = dim < shape.length ? shape[dim] * strides[dim] : 1;
            } else {
                s[i] = shape[j];
                st[i] = strides[j++];
            }
        }
        return new Layout(s, st, offset);
    }

    /**
     * A view with a new shape over the same elements when the strides allow it, or null when a
     * copy is needed. Same rule as PyTorch's view: each run of source dims that is contiguous
     * within itself must map onto whole target dims.
     */
    public Layout reshapeView(int[] target) {
        if (isContiguous() || shape.length == 0 || numel() == 0)
            return new Layout(target, Shape.contiguousStrides(target), offset);
        int[] st = new int[target.length];
        int viewD = target.length - 1;
        long chunkBase = strides[shape.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            boolean runEnds = d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase);
            if (runEnds) {
                while (viewD >= 0 && (viewNumel < tensorNumel || target[viewD] == 1)) {
                    st[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= target[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return new Layout(target, st, offset);
    }

    @Override
    public String toString() {
        return "Layout" + Shape.str(shape) + " strides " + Arrays.toString(strides) + " offset " + offset;
    }
}
