package dev.anneal.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** Timing and output shared by every benchmark: median of repeated samples, one JSON line per figure. */
public final class Harness {
    private Harness() {}

    /**
     * Runs op for at least warmSeconds (at least twice), then takes 7 samples, each of enough
     * back-to-back runs to last about timedSeconds/7, and returns the median seconds per run.
     */
    public static double measure(Runnable op, double warmSeconds, double timedSeconds) {
        long t0 = System.nanoTime();
        int warm = 0;
        while (warm < 2 || (System.nanoTime() - t0) < warmSeconds * 1e9) {
            op.run();
            warm++;
        }
        double perRun = (System.nanoTime() - t0) / 1e9 / warm;
        int samples = 7;
        int reps = (int) Math.max(1, Math.ceil(timedSeconds / samples / perRun));
        double[] t = new double[samples];
        for (int s = 0; s < samples; s++) {
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) op.run();
            t[s] = (System.nanoTime() - start) / 1e9 / reps;
        }
        Arrays.sort(t);
        return t[samples / 2];
    }

    /** Uniform values in [-1, 1) from a fixed seed. */
    public static float[] random(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    /**
     * Prints {@code {"bench": ..., "impl": "anneal", "threads": ..., "size": ..., "value": ..., "unit": ...}}
     * plus any extra fields (e.g. "optimizer": "Adam"); size may be a number or a string such as "128x32x28x28".
     */
    public static void emit(String bench, int threads, Object size, double value, String unit, Map<String, Object> extra) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "{\"bench\": \"%s\", \"impl\": \"anneal\", \"threads\": %d, \"size\": %s", bench, threads,
                size instanceof Number ? size.toString() : "\"" + size + "\""));
        if (extra != null)
            for (Map.Entry<String, Object> e : extra.entrySet())
                b.append(", \"").append(e.getKey()).append("\": ")
                        .append(e.getValue() instanceof Number ? e.getValue().toString() : "\"" + e.getValue() + "\"");
        b.append(String.format(Locale.ROOT, ", \"value\": %.1f, \"unit\": \"%s\"}", value, unit));
        System.out.println(b);
        System.out.flush();
    }

    /**
     * Whether a case runs under the filter in environment variable env: a comma-separated list of
     * names or name prefixes; unset or blank runs every case.
     */
    public static boolean selected(String env, String name) {
        String only = System.getenv(env);
        if (only == null || only.isBlank()) return true;
        for (String p : only.split(",")) if (!p.isBlank() && name.startsWith(p.trim())) return true;
        return false;
    }

    public static void log(String msg) {
        System.err.println("[bench] " + msg);
    }
}
