package dev.anneal.autograd;

import java.util.Locale;

/** PyTorch-like text: {@code tensor([[1.0000, 2.0000], [3.0000, 4.0000]])}; large dims are elided. */
final class TensorFormat {
    private static final int EDGE = 3;
    private static final int SUMMARIZE_ABOVE = 1000;

    private TensorFormat() {}

    static String format(Tensor t) {
        float[] v = t.toArray();
        int[] shape = t.shape();
        boolean summarize = v.length > SUMMARIZE_ABOVE;
        StringBuilder b = new StringBuilder("tensor(");
        if (shape.length == 0) b.append(number(v[0]));
        else if (v.length == 0) b.append("[]"); // as PyTorch: no nested brackets for an empty tensor, the size follows
        else append(b, v, shape, 0, 0, summarize, "       ");
        if (v.length == 0) b.append(", size=").append(java.util.Arrays.toString(shape));
        if (t.requiresGrad()) b.append(t.gradFnName() != null ? ", grad_fn=" + t.gradFnName() : ", requires_grad=true");
        return b.append(")").toString();
    }

    private static int append(StringBuilder b, float[] v, int[] shape, int dim, int at, boolean summarize, String indent) {
        int n = shape[dim];
        int block = 1;
        for (int i = dim + 1; i < shape.length; i++) block *= shape[i];
        b.append('[');
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                b.append(dim == shape.length - 1 ? "..., " : "...,\n" + indent + " ".repeat(dim + 1));
                i = n - EDGE;
            }
            if (dim == shape.length - 1) b.append(number(v[at + i]));
            else append(b, v, shape, dim + 1, at + i * block, summarize, indent);
            if (i < n - 1) b.append(dim == shape.length - 1 ? ", " : ",\n" + indent + " ".repeat(dim + 1));
        }
        return b.append(']').length();
    }

    private static String number(float f) {
        if (Float.isNaN(f)) return "nan";
        if (Float.isInfinite(f)) return f > 0 ? "inf" : "-inf";
        return String.format(Locale.ROOT, "%.4f", f);
    }
}
