package dev.anneal.bench;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Parallel;
import dev.anneal.optim.Adam;
import dev.anneal.optim.AdamW;
import dev.anneal.optim.SGD;
import dev.anneal.optim.StatefulOptimizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code optim-step}: one optimizer step on a single 10M-element parameter, in GB/s of parameter,
 * gradient and state traffic (SGD with momentum: 3 arrays read, 2 written; Adam/AdamW: 4 read,
 * 3 written). {@code triad}: a = b + s·c on 32M floats (STREAM-style, 3 arrays), in GB/s.
 */
public final class OptimBench {
    private static final int[] THREADS = {1, 2};
    private static final int PARAM_SIZE = 10_000_000;
    private static final int TRIAD_SIZE = 32 * 1024 * 1024;

    private OptimBench() {}

    /** Runs both benchmarks. */
    public static void run() {
        optimStep();
        triad();
    }

    /** The optim-step benchmark alone. */
    public static void optimStep() {
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("SGD", new Object[] {(Function<List<Tensor>, StatefulOptimizer>) p -> new SGD(p, Map.of("lr", 1e-3, "momentum", 0.9)), 5});
        cases.put("Adam", new Object[] {(Function<List<Tensor>, StatefulOptimizer>) p -> new Adam(p, Map.of("lr", 1e-3)), 7});
        cases.put("AdamW", new Object[] {(Function<List<Tensor>, StatefulOptimizer>) p -> new AdamW(p, Map.of("lr", 1e-3)), 7});
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            for (Map.Entry<String, Object[]> e : cases.entrySet()) {
                @SuppressWarnings("unchecked")
                Function<List<Tensor>, StatefulOptimizer> build = (Function<List<Tensor>, StatefulOptimizer>) e.getValue()[0];
                int arrays = (Integer) e.getValue()[1];
                // small values keep Adam's moments and the parameter finite over many timed steps
                Tensor p = Functions.wrap(Harness.random(PARAM_SIZE, 1), PARAM_SIZE).requiresGrad(true);
                float[] g = Harness.random(PARAM_SIZE, 2);
                for (int i = 0; i < g.length; i++) g[i] *= 1e-3f;
                p.setGrad(Functions.wrap(g, PARAM_SIZE));
                StatefulOptimizer opt = build.apply(List.of(p));
                double seconds = Harness.measure(opt::step, 0.5, 1.5);
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("optimizer", e.getKey());
                Harness.emit("optim-step", threads, PARAM_SIZE, (double) arrays * Float.BYTES * PARAM_SIZE / seconds / 1e9, "GB/s", extra);
            }
        }
    }

    /** The triad benchmark alone. */
    public static void triad() {
        int n = TRIAD_SIZE;
        float[] a = new float[n], b = Harness.random(n, 3), c = Harness.random(n, 4);
        float s = 1.5f;
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            double seconds = Harness.measure(() -> Parallel.forRange(n, 1 << 16, (from, to) -> {
                for (int i = from; i < to; i++) a[i] = b[i] + s * c[i];
            }), 0.5, 1.5);
            Harness.emit("triad", threads, n, 3.0 * Float.BYTES * n / seconds / 1e9, "GB/s", null);
        }
    }

    public static void main(String[] args) {
        if (args.length == 0) run();
        for (String a : args) {
            if (a.equals("optim-step")) optimStep();
            else if (a.equals("triad")) triad();
            else throw new IllegalArgumentException("OptimBench: unknown benchmark '" + a + "' (optim-step, triad)");
        }
    }
}
