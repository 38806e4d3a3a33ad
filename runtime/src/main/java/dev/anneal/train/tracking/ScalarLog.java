package dev.anneal.train.tracking;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The same scalars as the event file, as CSV ({@code step,tag,value}) and JSON lines, for tools that read text. */
public final class ScalarLog implements AutoCloseable {
    private final BufferedWriter csv;
    private final BufferedWriter jsonl;
    private final Path dir;

    public ScalarLog(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            csv = Files.newBufferedWriter(dir.resolve("scalars.csv"), StandardCharsets.UTF_8);
            jsonl = Files.newBufferedWriter(dir.resolve("scalars.jsonl"), StandardCharsets.UTF_8);
            csv.write("step,tag,value\n");
        } catch (IOException e) {
            throw new UncheckedIOException("ScalarLog: cannot create scalars.csv/scalars.jsonl in " + dir, e);
        }
    }

    public synchronized void scalar(String tag, double value, long step) {
        try {
            String v = Double.isFinite(value) ? Double.toString(value) : (Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
            csv.write(step + "," + tag + "," + v + "\n");
            String jv = Double.isFinite(value) ? v : "\"" + v + "\"";
            // written by hand: String.format costs more than the rest of a training step's bookkeeping
            jsonl.write("{\"step\": " + step + ", \"tag\": \"" + tag.replace("\"", "\\\"") + "\", \"value\": " + jv + "}"
                    + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("ScalarLog: cannot write in " + dir, e);
        }
    }

    public synchronized void flush() {
        try {
            csv.flush();
            jsonl.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("ScalarLog: cannot flush in " + dir, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            csv.close();
            jsonl.close();
        } catch (IOException e) {
            throw new UncheckedIOException("ScalarLog: cannot close files in " + dir, e);
        }
    }
}
