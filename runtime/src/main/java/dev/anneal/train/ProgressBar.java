package dev.anneal.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One line per epoch: batches done, rate, ETA, running loss and accuracy. On a terminal it redraws
 * in place; otherwise (logs, CI) it prints a plain line every few seconds and one at the end.
 */
public final class ProgressBar {
    private final PrintStream out;
    private final boolean terminal;
    private final long plainEveryNanos;
    private final LongSupplier clock;
    private String label = "";
    private int total;
    private long start;
    private long lastPrint;

    /** Chooses terminal mode when the JVM has a console. */
    public ProgressBar(PrintStream out) {
        this(out, System.console() != null, 5_000_000_000L, System::nanoTime);
    }

    public ProgressBar(PrintStream out, boolean terminal, long plainEveryNanos, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.plainEveryNanos = plainEveryNanos;
        this.clock = clock;
    }

    public void begin(String label, int totalBatches) {
        this.label = label;
        this.total = totalBatches;
        this.start = clock.getAsLong();
        this.lastPrint = start;
    }

    /** After batch done (1-based) with running averages. */
    public void update(int done, double loss, double accuracy) {
        long now = clock.getAsLong();
        if (terminal) {
            out.print("\r" + line(done, loss, accuracy, now));
            out.flush();
        } else if (now - lastPrint >= plainEveryNanos && done < total) {
            out.println(line(done, loss, accuracy, now));
            lastPrint = now;
        }
    }

    /** The end-of-epoch line with any extra text (validation metrics). */
    public void end(int done, double loss, double accuracy, String extra) {
        String l = line(done, loss, accuracy, clock.getAsLong()) + (extra == null || extra.isEmpty() ? "" : "  " + extra);
        if (terminal) out.print("\r" + l + "\n");
        else out.println(l);
        out.flush();
    }

    String line(int done, double loss, double accuracy, long now) {
        double secs = Math.max(1e-9, (now - start) / 1e9);
        double rate = done / secs;
        int width = 24, filled = total == 0 ? width : (int) ((long) width * done / total);
        String bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 && done < total ? ">" : filled > 0 ? "=" : "") + " ".repeat(width - filled);
        String eta = done >= total ? String.format(Locale.ROOT, "%.1fs", secs)
                : "ETA " + String.format(Locale.ROOT, "%.1fs", (total - done) / Math.max(rate, 1e-9));
        String acc = Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, "  acc %.4f", accuracy);
        return String.format(Locale.ROOT, "%s [%s] %d/%d  %.1f batch/s  %s  loss %.4f%s", label, bar, done, total, rate, eta, loss, acc);
    }
}
