package dev.anneal.data;

import dev.anneal.data.transform.BatchTransform;
import dev.anneal.tensor.Generator;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Batches of a dataset, shuffled per epoch from a seed, optionally transformed, prepared on a
 * background thread while the caller computes. The order of epoch e and the randomness of its
 * transforms depend only on (seed, e), so a resumed run sees the same batches as an unbroken one.
 */
public final class DataLoader implements Iterable<Batch> {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int prefetch;
    private final BatchTransform transform;
    private int nextEpoch;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
        this.prefetch = b.prefetch;
        this.transform = b.transform;
    }

    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** Settings of a DataLoader; defaults: batch 32, no shuffle, keep the last partial batch, seed 0, prefetch 2. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 32;
        private boolean shuffle;
        private boolean dropLast;
        private long seed;
        private int prefetch = 2;
        private BatchTransform transform;

        private Builder(Dataset dataset) {
            if (dataset == null) throw new IllegalArgumentException("DataLoader: dataset is null");
            this.dataset = dataset;
        }

        public Builder batchSize(int n) {
            if (n < 1) throw new IllegalArgumentException("DataLoader: batchSize must be positive, got " + n);
            batchSize = n;
            return this;
        }

        public Builder shuffle(boolean on) {
            shuffle = on;
            return this;
        }

        public Builder dropLast(boolean on) {
            dropLast = on;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Batches prepared ahead on a background thread; 0 prepares each batch on the caller's thread. */
        public Builder prefetch(int n) {
            if (n < 0) throw new IllegalArgumentException("DataLoader: prefetch must be non-negative, got " + n);
            prefetch = n;
            return this;
        }

        /** Applied to every batch's inputs, with a generator seeded from (seed, epoch, batch). */
        public Builder transform(BatchTransform t) {
            transform = t;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Example order of an epoch. */
    public int[] order(int epoch) {
        int n = dataset.size();
        if (!shuffle) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) p[i] = i;
            return p;
        }
        return Splits.permutation(n, new Generator(mix(seed, epoch, -1)));
    }

    /** The batches of epoch e (the same every time it is asked for). */
    public Iterable<Batch> epoch(int e) {
        if (e < 0) throw new IllegalArgumentException("DataLoader: epoch must be non-negative, got " + e);
        return () -> prefetch == 0 ? new Direct(e) : new Prefetching(e);
    }

    /** Successive calls give epochs 0, 1, 2, ... (see {@link #setEpoch}). */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(nextEpoch++).iterator();
    }

    /** The epoch the next {@link #iterator()} call starts, e.g. after resuming from a checkpoint. */
    public void setEpoch(int e) {
        if (e < 0) throw new IllegalArgumentException("DataLoader: epoch must be non-negative, got " + e);
        nextEpoch = e;
    }

    Batch make(int epoch, int[] order, int b) {
        int from = b * batchSize, to = Math.min(order.length, from + batchSize);
        Batch batch = dataset.batch(Arrays.copyOfRange(order, from, to));
        if (transform == null) return batch;
        return new Batch(transform.apply(batch.inputs(), new Generator(mix(seed, epoch, b))), batch.targets());
    }

    /** SplitMix-style mixing of (seed, epoch, batch) into one well-spread seed. */
    static long mix(long seed, long epoch, long batch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + batch * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private final class Direct implements Iterator<Batch> {
        private final int epoch;
        private final int[] order;
        private final int count = numBatches();
        private int next;

        Direct(int epoch) {
            this.epoch = epoch;
            this.order = order(epoch);
        }

        @Override
        public boolean hasNext() {
            return next < count;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: epoch " + epoch + " has only " + count + " batches");
            return make(epoch, order, next++);
        }
    }

    private static final Object END = new Object();

    /** Prepares batches on a daemon thread; stops it when the iterator is finished or dropped. */
    private final class Prefetching implements Iterator<Batch> {
        private final BlockingQueue<Object> queue;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private Object head;
        private boolean done;

        Prefetching(int epoch) {
            BlockingQueue<Object> q = new ArrayBlockingQueue<>(prefetch);
            AtomicBoolean stop = cancelled;
            int[] order = order(epoch);
            int count = numBatches();
            // the thread must not reach this iterator, or dropping the iterator could never stop it
            DataLoader loader = DataLoader.this;
            this.queue = q;
            Thread t = new Thread(() -> {
                try {
                    for (int b = 0; b < count && !stop.get(); b++) put(q, stop, loader.make(epoch, order, b));
                    put(q, stop, END);
                } catch (Throwable e) {
                    try {
                        put(q, stop, e);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "anneal-data-prefetch");
            t.setDaemon(true);
            t.start();
            CLEANER.register(this, () -> stop.set(true));
        }

        private static void put(BlockingQueue<Object> q, AtomicBoolean stop, Object item) throws InterruptedException {
            while (!stop.get() && !q.offer(item, 50, TimeUnit.MILLISECONDS)) {
                // wait for the consumer, or for the iterator to be dropped
            }
        }

        @Override
        public boolean hasNext() {
            if (done) return false;
            if (head == null) {
                try {
                    head = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancelled.set(true);
                    throw new IllegalStateException("DataLoader: interrupted while waiting for a batch", e);
                }
            }
            if (head == END) {
                done = true;
                return false;
            }
            if (head instanceof Throwable err) {
                done = true;
                cancelled.set(true);
                if (err instanceof RuntimeException re) throw re;
                if (err instanceof Error e) throw e;
                throw new IllegalStateException("DataLoader: preparing a batch failed", err);
            }
            return true;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: the epoch has no more batches");
            Batch b = (Batch) head;
            head = null;
            return b;
        }
    }
}
