package dev.anneal.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one thread pool every kernel shares. Work is split into chunks whose boundaries depend only
 * on the problem size and the thread count, never on timing, so results are bit-for-bit the same
 * from run to run with the same thread count.
 */
public final class Parallel {
    /** A piece of work over the index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);
    private static int threads = initialThreads();
    private static ExecutorService pool;

    private Parallel() {}

    private static int initialThreads() {
        String p = System.getProperty("anneal.threads");
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("-Danneal.threads=" + p + ": expected a positive integer");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Number of threads kernels may use (the caller's thread counts as one). */
    public static synchronized int threads() {
        return threads;
    }

    /** Sets the number of threads kernels may use; 1 runs everything on the calling thread. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("Parallel.setThreads: expected a positive thread count, got " + n);
        if (n != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    private static synchronized ExecutorService pool(int workers) {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(() -> {
                    IN_WORKER.set(true);
                    r.run();
                }, "anneal-kernel");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /** Number of chunks {@link #forRange} would use for n items with at least grain items per chunk. */
    public static int chunks(int n, int grain) {
        if (n <= 0) return 0;
        int byWork = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) n / Math.max(1, grain)));
        return Math.max(1, Math.min(threads(), byWork));
    }

    /**
     * Runs body over [0, n) split into at most {@link #threads()} contiguous chunks of at least
     * {@code grain} items. Calls from inside a kernel thread run serially (no nested fan-out).
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int parts = IN_WORKER.get() ? Math.min(1, n) : chunks(n, grain);
        if (parts <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        ExecutorService ex = pool(threads() - 1);
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) n * p / parts), to = (int) ((long) n * (p + 1) / parts);
            futures.add(ex.submit(() -> body.run(from, to)));
        }
        Throwable failure = null;
        // the caller's own chunk is kernel work too: a nested forRange in it must not fan out and
        // then wait for workers that are busy with the sibling chunks
        IN_WORKER.set(true);
        try {
            body.run(0, (int) ((long) n / parts));
        } catch (Throwable t) {
            failure = t;
        } finally {
            IN_WORKER.set(false);
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = e;
            }
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException("kernel task failed", failure);
    }
}
