package dev.anneal.nn;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Watches {@link Module#invoke} during one forward pass to build {@link Module#summary}. */
final class SummaryRecorder {
    private static final ThreadLocal<SummaryRecorder> ACTIVE = new ThreadLocal<>();
    private final Map<Module, int[]> shapes = new IdentityHashMap<>();

    private SummaryRecorder() {}

    /** Whether a summary is being recorded on this thread (layers must then run one by one). */
    static boolean active() {
        return ACTIVE.get() != null;
    }

    static void record(Module m, Tensor out) {
        SummaryRecorder r = ACTIVE.get();
        if (r != null && out != null) r.shapes.putIfAbsent(m, out.shape());
    }

    static String summarize(Module model, int[] inputShape) {
        SummaryRecorder r = new SummaryRecorder();
        boolean wasTraining = model.isTraining();
        model.eval();
        ACTIVE.set(r);
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            model.invoke(Tensor.zeros(inputShape));
        } finally {
            ACTIVE.remove();
            model.train(wasTraining);
        }
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            Module m = e.getValue();
            if (!m.namedChildren().isEmpty() && m != model) continue; // containers: their layers speak for them
            if (m == model && !m.namedChildren().isEmpty()) continue;
            long own = 0;
            for (Tensor p : m.ownParameters().values()) if (p != null) own += p.numel();
            int[] s = r.shapes.get(m);
            rows.add(new String[] {e.getKey().isEmpty() ? "" : e.getKey(), m.toString(), s == null ? "-" : Shape.str(s),
                    String.format(Locale.ROOT, "%,d", own)});
        }
        int[] w = {4, 5, 12, 7};
        for (String[] row : rows) for (int i = 0; i < 4; i++) w[i] = Math.max(w[i], row[i].length());
        String fmt = "%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %" + w[3] + "s%n";
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, fmt, "name", "layer", "output shape", "params"));
        b.append("-".repeat(w[0] + w[1] + w[2] + w[3] + 6)).append('\n');
        for (String[] row : rows) b.append(String.format(Locale.ROOT, fmt, (Object[]) row));
        b.append("-".repeat(w[0] + w[1] + w[2] + w[3] + 6)).append('\n');
        b.append(String.format(Locale.ROOT, "input %s -> output %s%n", Shape.str(inputShape),
                Shape.str(r.shapes.getOrDefault(model, new int[0]))));
        b.append(String.format(Locale.ROOT, "parameters: %,d total, %,d trainable%n", model.parameterCount(false),
                model.parameterCount(true)));
        return b.toString();
    }
}
