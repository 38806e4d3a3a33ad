package dev.anneal.tune;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Formats trials as an aligned text table: number, state, value, duration, steps, then one column per parameter. */
public final class TrialsTable {
    private TrialsTable() {}

    public static String format(List<FrozenTrial> trials) {
        Set<String> names = new LinkedHashSet<>();
        for (FrozenTrial t : trials) names.addAll(t.params().keySet());
        List<String> header = new ArrayList<>(List.of("number", "state", "value", "duration_s", "steps"));
        for (String n : names) header.add("params_" + n);
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (FrozenTrial t : trials) {
            List<String> r = new ArrayList<>();
            r.add(Integer.toString(t.number()));
            r.add(t.state().name());
            r.add(Double.isNaN(t.value()) ? "" : cell(t.value()));
            r.add(String.format(Locale.ROOT, "%.3f", t.durationSeconds()));
            r.add(Integer.toString(t.intermediateValues().size()));
            for (String n : names) r.add(t.params().containsKey(n) ? cell(t.params().get(n)) : "");
            rows.add(r);
        }
        int[] w = new int[header.size()];
        for (List<String> r : rows) for (int i = 0; i < r.size(); i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder b = new StringBuilder();
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                if (i > 0) b.append("  ");
                b.append(String.format(Locale.ROOT, "%-" + w[i] + "s", r.get(i)));
            }
            int end = b.length();
            while (end > 0 && b.charAt(end - 1) == ' ') end--;
            b.setLength(end);
            b.append('\n');
        }
        return b.toString();
    }

    private static String cell(Object v) {
        if (v instanceof Double d) return String.format(Locale.ROOT, "%.6g", d);
        return String.valueOf(v);
    }
}
