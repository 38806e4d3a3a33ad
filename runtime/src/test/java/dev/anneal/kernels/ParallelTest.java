package dev.anneal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.anneal.testing.RestoreThreadCount;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RestoreThreadCount.class)
class ParallelTest {
    /** The chunks forRange(n, grain) ran, sorted by start. */
    private static List<int[]> chunksRun(int n, int grain) {
        List<int[]> seen = Collections.synchronizedList(new ArrayList<>());
        Parallel.forRange(n, grain, (from, to) -> seen.add(new int[] {from, to}));
        List<int[]> sorted = new ArrayList<>(seen);
        sorted.sort((x, y) -> Integer.compare(x[0], y[0]));
        return sorted;
    }

    @Test
    void chunkBoundariesDependOnlyOnSizeGrainAndThreadCount() {
        for (int threads : new int[] {1, 2, 3, 4}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {1, 2, 3, 7, 100, 1001}) {
                for (int grain : new int[] {1, 3, 50, 2000}) {
                    int parts = Parallel.chunks(n, grain);
                    assertEquals(Math.max(1, Math.min(threads, n / grain)), parts, "chunks(" + n + ", " + grain + ")");
                    for (int rep = 0; rep < 3; rep++) {
                        List<int[]> chunks = chunksRun(n, grain);
                        assertEquals(parts, chunks.size(), "n=" + n + " grain=" + grain + " threads=" + threads);
                        for (int q = 0; q < parts; q++) {
                            assertArrayEquals(new int[] {(int) ((long) n * q / parts), (int) ((long) n * (q + 1) / parts)},
                                    chunks.get(q), "chunk " + q + " of n=" + n + " grain=" + grain + " threads=" + threads);
                        }
                    }
                }
            }
        }
        Parallel.forRange(0, 1, (from, to) -> {
            throw new AssertionError("no chunk for an empty range");
        });
    }

    @Test
    void manySmallJobsInARowEachCoverEveryIndexOnce() {
        Parallel.setThreads(3);
        AtomicIntegerArray hits = new AtomicIntegerArray(300);
        for (int job = 0; job < 5000; job++) {
            int n = 1 + job % 300;
            Parallel.forRange(n, 1, (from, to) -> {
                for (int i = from; i < to; i++) hits.incrementAndGet(i);
            });
        }
        for (int i = 0; i < 300; i++) {
            int expected = 0;
            for (int job = 0; job < 5000; job++) if (i < 1 + job % 300) expected++;
            assertEquals(expected, hits.get(i), "index " + i);
        }
    }

    @Test
    void failuresInAnyChunkReachTheCallerAndThePoolKeepsWorking() {
        Parallel.setThreads(2);
        for (int failing : new int[] {0, 1}) {
            IllegalStateException boom = new IllegalStateException("chunk " + failing);
            IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                    Parallel.forRange(2, 1, (from, to) -> {
                        if (from == failing) throw boom;
                    }));
            assertSame(boom, e);
        }
        StackOverflowError err = new StackOverflowError("deep");
        assertSame(err, assertThrows(StackOverflowError.class, () ->
                Parallel.forRange(2, 1, (from, to) -> {
                    if (from == 1) throw err;
                })));
        assertEquals(2, chunksRun(10, 1).size(), "the pool still runs jobs after failures");
    }

    @Test
    void nestedCallsRunAsOneChunkOnTheCallingThread() {
        Parallel.setThreads(2);
        List<String> inner = Collections.synchronizedList(new ArrayList<>());
        Parallel.forRange(2, 1, (from, to) -> {
            Thread outer = Thread.currentThread();
            Parallel.forRange(100, 1, (f, t) -> {
                if (Thread.currentThread() != outer) throw new AssertionError("nested chunk moved to another thread");
                inner.add(f + ".." + t);
            });
        });
        assertEquals(List.of("0..100", "0..100"), inner);
    }

    @Test
    void concurrentCallersAndThreadCountChangesAllComplete() throws Exception {
        Parallel.setThreads(2);
        int callers = 4, jobs = 400;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long[] sums = new long[callers];
        for (int t = 0; t < callers; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    for (int job = 0; job < jobs; job++) {
                        long[] part = new long[4];
                        Parallel.forRange(1000, 1, (from, to) -> {
                            long s = 0;
                            for (int i = from; i < to; i++) s += i;
                            synchronized (part) {
                                part[0] += s;
                            }
                        });
                        sums[id] += part[0];
                        if (id == 0 && job % 50 == 0) Parallel.setThreads(1 + job / 50 % 3);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join(60_000);
        if (failure.get() != null) throw new AssertionError(failure.get());
        for (int t = 0; t < callers; t++) assertEquals((long) jobs * 999 * 1000 / 2, sums[t], "caller " + t);
    }

    @Test
    void changingTheThreadCountRetiresTheOldWorkers() throws InterruptedException {
        for (int threads : new int[] {4, 3, 2}) {
            Parallel.setThreads(threads);
            assertEquals(threads, chunksRun(100, 1).size());
        }
        // the retired pools' workers exit once they notice; wait for that (bounded), then count
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (kernelThreads() > 1 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(1, kernelThreads(), "live kernel workers with 2 threads");
    }

    private static long kernelThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("anneal-kernel")).count();
    }
}
