package dev.anneal.data;

import dev.anneal.autograd.Functions;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Numeric tables from CSV: every column but the target becomes a feature. */
public final class CsvDataset {
    private CsvDataset() {}

    /**
     * Reads a comma-separated file of numbers; targetColumn (0-based, negative counts from the
     * end) is the target; with header the first line is skipped. Errors name the line and column.
     */
    public static TensorDataset load(Path file, int targetColumn, boolean header) {
        List<float[]> rows = new ArrayList<>();
        int width = -1;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (header && lineNo == 1) continue;
                if (line.isBlank()) continue;
                String[] cells = line.split(",", -1);
                if (width < 0) width = cells.length;
                if (cells.length != width)
                    throw new IllegalArgumentException("CsvDataset: " + file + ":" + lineNo + ": " + cells.length + " columns, expected " + width);
                float[] row = new float[width];
                for (int c = 0; c < width; c++) {
                    try {
                        row[c] = Float.parseFloat(cells[c].trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("CsvDataset: " + file + ":" + lineNo + ": column " + c + " is '" + cells[c]
                                + "', expected a number");
                    }
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("CsvDataset: cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException("CsvDataset: " + file + " has no data rows");
        if (width < 2) throw new IllegalArgumentException("CsvDataset: " + file + " needs at least two columns (features and a target)");
        int t = targetColumn < 0 ? targetColumn + width : targetColumn;
        if (t < 0 || t >= width)
            throw new IllegalArgumentException("CsvDataset: target column " + targetColumn + " is out of range for " + width + " columns");
        int n = rows.size(), f = width - 1;
        float[] x = new float[n * f], y = new float[n];
        for (int i = 0; i < n; i++) {
            float[] row = rows.get(i);
            for (int c = 0, k = 0; c < width; c++) {
                if (c == t) y[i] = row[c];
                else x[i * f + k++] = row[c];
            }
        }
        return new TensorDataset(Functions.wrap(x, n, f), Functions.wrap(y, n));
    }
}
