package dev.anneal.tune.compress;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.Module;
import dev.anneal.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Zeros per parameter and overall: for each weight (every parameter of rank ≥ 2, and every pruned
 * one) of a model, how many entries are exactly 0 and how many its mask prunes. Sparsity counts
 * zeros in the values, as PyTorch's tutorial does with {@code (w == 0).sum()}; the "masked" column
 * counts the mask's zeros alone.
 */
public final class SparsityReport {
    /** One parameter: dotted name, shape, entries equal to 0, entries masked out (0 when not pruned), all entries. */
    public record Row(String name, int[] shape, long zeros, long masked, long total, boolean pruned) {
        /** zeros / total, in [0, 1]. */
        public double sparsity() {
            return total == 0 ? 0 : (double) zeros / total;
        }
    }

    private final List<Row> rows;

    private SparsityReport(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    /** Every parameter of rank ≥ 2 (Linear and conv weights) and every pruned parameter of model. */
    public static SparsityReport of(Module model) {
        if (model == null) throw new IllegalArgumentException("SparsityReport: model is null");
        Map<String, Tensor[]> masked = Pruning.maskedParameters(model);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            Tensor[] pm = masked.get(e.getKey());
            if (e.getValue().rank() >= 2 || pm != null) rows.add(row(e.getKey(), e.getValue(), pm == null ? null : pm[1]));
        }
        return new SparsityReport(rows);
    }

    /** The given parameters, named "&lt;module&gt;.&lt;name&gt;" by the module's toString. */
    public static SparsityReport of(List<PruneTarget> targets) {
        if (targets == null) throw new IllegalArgumentException("SparsityReport: targets are null");
        List<Row> rows = new ArrayList<>();
        for (PruneTarget t : targets) {
            Tensor p = t.module().namedParameters().get(t.name());
            if (p == null) throw new IllegalArgumentException("SparsityReport: " + t.module() + " has no parameter '" + t.name() + "'");
            rows.add(row(t.module() + "." + t.name(), p, Pruning.isPruned(t.module(), t.name()) ? Pruning.mask(t.module(), t.name()) : null));
        }
        return new SparsityReport(rows);
    }

    private static Row row(String name, Tensor p, Tensor mask) {
        long zeros = 0, masked = 0;
        for (float v : p.toArray()) if (v == 0f) zeros++;
        if (mask != null) for (float v : mask.toArray()) if (v == 0f) masked++;
        return new Row(name, p.shape(), zeros, masked, p.numel(), mask != null);
    }

    public List<Row> rows() {
        return rows;
    }

    /** The row of a parameter by name. */
    public Row row(String name) {
        for (Row r : rows) if (r.name().equals(name)) return r;
        throw new IllegalArgumentException("SparsityReport: no row '" + name + "'");
    }

    /** All rows together: total zeros / total entries. */
    public Row global() {
        long z = 0, m = 0, n = 0;
        boolean any = false;
        for (Row r : rows) {
            z += r.zeros();
            m += r.masked();
            n += r.total();
            any |= r.pruned();
        }
        return new Row("global", new int[0], z, m, n, any);
    }

    /** Global sparsity, zeros / entries over all rows. */
    public double sparsity() {
        return global().sparsity();
    }

    /** A text table: one line per parameter and a global line. */
    @Override
    public String toString() {
        int w = "parameter".length();
        for (Row r : rows) w = Math.max(w, r.name().length());
        String fmt = "%-" + w + "s  %-16s %10s %10s %10s %9s%n";
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, fmt, "parameter", "shape", "zeros", "masked", "total", "sparsity"));
        for (Row r : rows) line(b, fmt, r, Shape.str(r.shape()));
        Row g = global();
        line(b, fmt, g, "");
        return b.toString();
    }

    private static void line(StringBuilder b, String fmt, Row r, String shape) {
        b.append(String.format(Locale.ROOT, fmt, r.name(), shape, r.zeros(), r.pruned() ? Long.toString(r.masked()) : "-", r.total(),
                String.format(Locale.ROOT, "%.2f%%", 100 * r.sparsity())));
    }
}
