package dev.anneal.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread pool every kernel shares. Work is split into chunks whose boundaries depend only
 * on the problem size and the thread count, never on timing, so results are bit-for-bit the same
 * from run to run with the same thread count (whichever thread happens to run a chunk).
 *
 * <p>Dispatch is meant to cost a few microseconds, so that products of a few hundred thousand
 * multiply-adds can still be split. The {@code threads() - 1} workers are persistent daemon
 * threads. A call publishes its job by writing the pool's state word (no allocation, no queue),
 * unparks only workers that have parked, and claims chunks itself like any worker, so a job
 * completes even when no worker gets scheduled. After a job, idle workers spin on the state word
 * for {@code anneal.spinMicros} µs (default 200) before parking; a caller waiting for a worker's
 * chunk spins as long, then parks until that worker unparks it. A training step runs its GEMMs
 * between serial stretches of 20-100 µs (normalization, dropout, the optimizer); a worker that
 * parked in such a gap wakes too late for the next GEMM, whose first chunk the caller then runs
 * alone (MLP epoch on 2 cores: 0.42 s with 10 µs spins, 0.36-0.37 s with 100-1000 µs; OpenMP
 * runtimes spin for a similar time by default). On a shared machine the thread that spins is the
 * one the OS deschedules (10 µs chunks at load 4 on 2 cores: about 13 µs per fork-join when
 * parking at once, 16 µs with 10 µs spins, 23 µs with 50 µs spins), hence the switch to parking
 * at once when workers keep missing jobs.
 */
public final class Parallel {
    /** A piece of work over the index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final long SPIN_NANOS = spinNanos();
    /** A job the caller ran alone for longer than this counts as one that the workers missed. */
    private static final long MISS_NANOS = 20_000;
    private static volatile int threads = initialThreads();
    private static volatile Pool pool;

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

    private static long spinNanos() {
        String p = System.getProperty("anneal.spinMicros");
        if (p != null && !p.isBlank()) {
            try {
                long us = Long.parseLong(p.trim());
                if (us >= 0) return us * 1000;
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("-Danneal.spinMicros=" + p + ": expected a non-negative integer");
        }
        return 200_000;
    }

    /** Number of threads kernels may use (the caller's thread counts as one). */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads kernels may use; 1 runs everything on the calling thread. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("Parallel.setThreads: expected a positive thread count, got " + n);
        if (n != threads && pool != null) {
            // a job still running on the old pool finishes: its caller claims whatever the
            // stopped workers leave
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    private static synchronized Pool pool() {
        Pool p = pool;
        if (p == null || p.workers.length != threads - 1) {
            if (p != null) p.shutdown();
            p = new Pool(threads - 1);
            pool = p;
        }
        return p;
    }

    /** Number of chunks {@link #forRange} would use for n items with at least grain items per chunk. */
    public static int chunks(int n, int grain) {
        if (n <= 0) return 0;
        int byWork = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) n / Math.max(1, grain)));
        return Math.max(1, Math.min(threads(), byWork));
    }

    /**
     * Runs body over [0, n) split into at most {@link #threads()} contiguous chunks of at least
     * {@code grain} items; chunk p is [n·p/parts, n·(p+1)/parts). Calls from inside a chunk run
     * serially as one chunk (no nested fan-out); a call made while another thread's job holds the
     * pool runs the same chunks serially on the calling thread.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        Thread self = Thread.currentThread();
        Pool p = pool;
        if (self instanceof Worker || (p != null && p.owner == self)) {
            body.run(0, n);
            return;
        }
        int parts = chunks(n, grain);
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        if (p == null) p = pool(); // (a pool with fewer workers than chunks still works: the caller claims the rest)
        if (!p.acquire(self)) {
            for (int q = 0; q < parts; q++) body.run(chunkStart(n, q, parts), chunkStart(n, q + 1, parts));
            return;
        }
        p.run(n, parts, body);
    }

    private static int chunkStart(int n, int q, int parts) {
        return (int) ((long) n * q / parts);
    }

    /** A kernel thread of the pool. */
    private static final class Worker extends Thread {
        final Pool pool;
        /** Set while parked (or about to park): a job publisher must unpark this worker. */
        volatile boolean parked;

        Worker(Pool pool, int index) {
            super("anneal-kernel-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            pool.serve(this);
        }
    }

    /**
     * Workers plus one job slot. The job is (body, n) and the state word packs (parts, next
     * unclaimed chunk); a chunk is claimed by a CAS on that word and the job's fields are read
     * only after a successful claim, when they are sure to belong to the current job (a new job
     * is published only after every chunk of the previous one has finished).
     */
    private static final class Pool {
        final Worker[] workers;
        final AtomicLong state = new AtomicLong();
        final AtomicInteger remaining = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        /** The thread whose job occupies the slot, or null. */
        volatile Thread owner;
        volatile RangeBody body;
        volatile int n;
        volatile boolean stopped;
        /** The caller, once it has stopped spinning and parks until the last chunk is done. */
        volatile Thread waiter;
        /** How long idle workers spin before parking (see adaptSpin). */
        volatile long idleSpin = SPIN_NANOS;
        /** Consecutive jobs the caller ran entirely by itself (written only by job owners). */
        private int missStreak;
        private final AtomicReference<Thread> slot = new AtomicReference<>();

        Pool(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        boolean acquire(Thread self) {
            if (stopped || !slot.compareAndSet(null, self)) return false;
            owner = self;
            return true;
        }

        void run(int n, int parts, RangeBody body) {
            try {
                this.body = body;
                this.n = n;
                failure.set(null);
                remaining.set(parts);
                state.set((long) parts << 32); // publishes the job
                for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
                int own = 0;
                long start = System.nanoTime();
                while (claimAndRun()) own++; // the caller works through chunks like a worker
                // a job so short that the caller finished it before a spinning worker could claim
                // a chunk says nothing about whether the workers get a core
                boolean missed = own == parts && System.nanoTime() - start > MISS_NANOS;
                awaitChunks();
                adaptSpin(own < parts, missed);
            } finally {
                this.body = null; // do not keep the job's arrays reachable
                owner = null;
                slot.set(null);
            }
            Throwable t = failure.getAndSet(null);
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error err) throw err;
            if (t != null) throw new IllegalStateException("kernel task failed", t);
        }

        /**
         * A spinning worker that the OS keeps off the CPU (other processes on the cores) never
         * claims a chunk, while a parked one that is woken gets a core soon: after a few jobs
         * longer than {@link #MISS_NANOS} that the caller had to run entirely by itself, idle
         * workers park at once (and are unparked per job); every 256th such job, or any job a
         * worker helps with, goes back to spinning. Shorter jobs do not count: counting them let
         * a run of small kernels (bias sums, small gradients) switch spinning off in the middle of
         * a training step on an idle machine, and the caller then ran most of every GEMM alone.
         */
        private void adaptSpin(boolean helped, boolean missed) {
            if (helped) {
                missStreak = 0;
                idleSpin = SPIN_NANOS;
            } else if (missed && ++missStreak >= 4) {
                idleSpin = (missStreak & 255) == 0 ? SPIN_NANOS : 0;
            }
        }

        /** Claims and runs one chunk of the current job; false when none is left unclaimed. */
        boolean claimAndRun() {
            long s;
            do {
                s = state.get();
                if ((int) s >= (int) (s >>> 32)) return false;
            } while (!state.compareAndSet(s, s + 1));
            int parts = (int) (s >>> 32), q = (int) s;
            try {
                int len = n;
                body.run(chunkStart(len, q, parts), chunkStart(len, q + 1, parts));
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                if (remaining.decrementAndGet() == 0) {
                    Thread w = waiter;
                    if (w != null) LockSupport.unpark(w);
                }
            }
            return true;
        }

        private void awaitChunks() {
            long start = System.nanoTime();
            for (int i = 1; remaining.get() > 0; i++) {
                Thread.onSpinWait();
                if ((i & 63) == 0 && System.nanoTime() - start > idleSpin) {
                    // a worker still holds a chunk (maybe without a core, on an oversubscribed
                    // machine): sleep until the last chunk's worker unparks this thread
                    Thread self = Thread.currentThread();
                    waiter = self;
                    while (remaining.get() > 0) LockSupport.parkNanos(this, 1_000_000);
                    waiter = null;
                    return;
                }
            }
        }

        void serve(Worker self) {
            while (!stopped) {
                if (claimAndRun()) continue;
                // idle: watch the state word for a while, then park until a job is published
                long start = System.nanoTime();
                boolean work = false;
                for (int i = 1; !stopped; i++) {
                    long s = state.get();
                    if ((int) s < (int) (s >>> 32)) {
                        work = true;
                        break;
                    }
                    Thread.onSpinWait();
                    if ((i & 63) == 0 && System.nanoTime() - start > idleSpin) break;
                }
                if (work || stopped) continue;
                self.parked = true;
                long s = state.get();
                if ((int) s >= (int) (s >>> 32) && !stopped) LockSupport.park(this);
                self.parked = false;
            }
        }

        void shutdown() {
            stopped = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }
}
