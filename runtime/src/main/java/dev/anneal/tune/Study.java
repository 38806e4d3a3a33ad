package dev.anneal.tune;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A hyperparameter search: runs an objective over trials whose parameters come from a sampler,
 * lets a pruner stop poor trials early, keeps every finished trial (and appends it to a study file
 * if one is given: a study built on an existing file resumes from it), and reports the best.
 */
public final class Study {
    private final String name;
    private final Direction direction;
    private final Sampler sampler;
    private final Pruner pruner;
    private final JsonlStorage storage;
    private final PrintStream log;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition trialFinished = lock.newCondition();
    private final TreeMap<Integer, FrozenTrial> finished = new TreeMap<>();
    private final TreeMap<Integer, Trial> running = new TreeMap<>();
    private int nextNumber;

    private Study(Builder b) {
        this.name = b.name;
        this.direction = b.direction;
        this.sampler = b.sampler;
        this.pruner = b.pruner;
        this.log = b.log;
        this.storage = b.storage == null ? null : new JsonlStorage(b.storage);
        if (storage != null) {
            if (storage.exists()) resume();
            else storage.writeHeader(settings());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a study; defaults: name "study", MINIMIZE, TPESampler(seed 0), MedianPruner(), no file, no log. */
    public static final class Builder {
        private String name = "study";
        private Direction direction = Direction.MINIMIZE;
        private Sampler sampler;
        private Pruner pruner;
        private Path storage;
        private PrintStream log;

        private Builder() {}

        public Builder name(String n) {
            if (n == null || n.isEmpty()) throw new IllegalArgumentException("Study: name must be non-empty");
            name = n;
            return this;
        }

        public Builder direction(Direction d) {
            direction = d;
            return this;
        }

        public Builder sampler(Sampler s) {
            sampler = s;
            return this;
        }

        public Builder pruner(Pruner p) {
            pruner = p;
            return this;
        }

        /** A JSONL study file: created with a header if missing, resumed from if present. */
        public Builder storage(Path file) {
            storage = file;
            return this;
        }

        /** Prints one line per finished trial (Optuna's log line) to this stream; null for none. */
        public Builder log(PrintStream out) {
            log = out;
            return this;
        }

        public Study build() {
            if (direction == null) throw new IllegalArgumentException("Study: direction must be set");
            if (sampler == null) sampler = new TPESampler(0);
            if (pruner == null) pruner = new MedianPruner();
            return new Study(this);
        }
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("direction", direction.name());
        s.put("sampler", sampler.describe());
        s.put("pruner", pruner.describe());
        return s;
    }

    private void resume() {
        JsonlStorage.Contents c = storage.read();
        Object dir = c.header().get("direction"), n = c.header().get("name");
        if (!direction.name().equals(dir) || !name.equals(n))
            throw new IllegalArgumentException("Study: " + storage.path() + " holds study '" + n + "' (" + dir + "), not '" + name + "' ("
                    + direction + ")");
        for (FrozenTrial t : c.trials()) finished.put(t.number(), t);
        nextNumber = finished.isEmpty() ? 0 : finished.lastKey() + 1;
    }

    public String name() {
        return name;
    }

    public Direction direction() {
        return direction;
    }

    public Sampler sampler() {
        return sampler;
    }

    public Pruner pruner() {
        return pruner;
    }

    /** Runs n trials on the calling thread. */
    public void optimize(Objective objective, int nTrials) {
        optimize(objective, RunOptions.trials(nTrials));
    }

    /**
     * Runs trials until the options' trial count or time is used up or the sampler has no more
     * (a grid). Trials are numbered in start order, continuing a resumed study's numbering; a trial
     * whose objective throws is recorded as FAIL with the error, and the study goes on.
     */
    public void optimize(Objective objective, RunOptions options) {
        if (objective == null) throw new IllegalArgumentException("Study.optimize: objective is null");
        if (options.trials() == RunOptions.UNLIMITED && options.timeout() == null && sampler.maxTrials() == Integer.MAX_VALUE)
            throw new IllegalArgumentException("Study.optimize: no trial limit, no timeout and an unbounded sampler would never stop");
        Run run = new Run(objective, options);
        if (options.workers() == 1) {
            run.work();
        } else {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < options.workers(); i++) {
                Thread t = new Thread(run::work, "anneal-tune-" + name + "-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    run.stop();
                    throw new IllegalStateException("Study.optimize: interrupted", e);
                }
            }
        }
        if (run.failure != null) {
            if (run.failure instanceof RuntimeException re) throw re;
            if (run.failure instanceof Error er) throw er;
            throw new IllegalStateException(run.failure);
        }
    }

    /** One call of optimize: hands out trial numbers to workers until the budget is spent. */
    private final class Run {
        final Objective objective;
        final RunOptions options;
        final int firstNumber;
        final long deadline;
        int started;
        boolean stopped;
        volatile Throwable failure;

        Run(Objective objective, RunOptions options) {
            this.objective = objective;
            this.options = options;
            lock.lock();
            try {
                this.firstNumber = nextNumber;
            } finally {
                lock.unlock();
            }
            this.deadline = options.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + options.timeout().toNanos();
        }

        void stop() {
            lock.lock();
            try {
                stopped = true;
            } finally {
                lock.unlock();
            }
        }

        int claim() {
            lock.lock();
            try {
                if (stopped || started >= options.trials() || System.nanoTime() - deadline > 0 || nextNumber >= sampler.maxTrials()) return -1;
                started++;
                return nextNumber++;
            } finally {
                lock.unlock();
            }
        }

        void work() {
            try {
                for (int n = claim(); n >= 0; n = claim()) runTrial(n);
            } catch (Throwable t) {
                failure = t;
                stop();
            }
        }

        void runTrial(int n) throws InterruptedException {
            boolean deterministic = options.deterministic() && options.workers() > 1;
            int cutoff = n - options.workers(); // with determinism, trial n sees trials ≤ n - workers
            if (deterministic) {
                lock.lock();
                try {
                    while (!allFinished(firstNumber, cutoff)) trialFinished.await();
                } finally {
                    lock.unlock();
                }
            }
            View view = new View(n, deterministic ? cutoff : Integer.MAX_VALUE, firstNumber);
            Trial trial = new Trial(n, view, sampler, pruner);
            lock.lock();
            try {
                running.put(n, trial);
            } finally {
                lock.unlock();
            }
            TrialState state;
            double value = Double.NaN;
            String error = null;
            try {
                trial.sampleRelative();
                value = objective.evaluate(trial);
                if (Double.isNaN(value)) {
                    state = TrialState.FAIL;
                    error = "the objective returned NaN";
                } else {
                    state = TrialState.COMPLETE;
                }
            } catch (TrialPruned p) {
                state = TrialState.PRUNED;
                FrozenTrial s = trial.snapshot(TrialState.PRUNED, Double.NaN, null);
                value = s.lastStep() >= 0 ? s.intermediateValues().get(s.lastStep()) : Double.NaN;
            } catch (Exception | AssertionError e) {
                state = TrialState.FAIL;
                value = Double.NaN;
                error = e.toString();
            } catch (Error e) {
                record(trial.snapshot(TrialState.FAIL, Double.NaN, e.toString()));
                throw e;
            }
            record(trial.snapshot(state, value, error));
        }

        boolean allFinished(int from, int to) {
            for (int i = from; i <= to; i++) if (!finished.containsKey(i)) return false;
            return true;
        }
    }

    private void record(FrozenTrial t) {
        lock.lock();
        try {
            running.remove(t.number());
            finished.put(t.number(), t);
            trialFinished.signalAll();
            if (storage != null) storage.append(t);
            if (log != null) log.println(logLine(t));
        } finally {
            lock.unlock();
        }
    }

    private String logLine(FrozenTrial t) {
        String what = switch (t.state()) {
            case COMPLETE -> "finished with value " + t.value();
            case PRUNED -> "pruned at step " + t.lastStep();
            case FAIL -> "failed: " + t.error();
            case RUNNING -> "running";
        };
        FrozenTrial best = bestOrNull();
        return String.format(Locale.ROOT, "Trial %d %s and parameters %s.%s", t.number(), what, t.params(),
                best == null ? "" : " Best is trial " + best.number() + " with value " + best.value() + ".");
    }

    /** What a sampler or pruner deciding for trial {@code self} sees. */
    private final class View implements StudyView {
        final int self;
        final int cutoff;
        final int firstNumber;

        View(int self, int cutoff, int firstNumber) {
            this.self = self;
            this.cutoff = cutoff;
            this.firstNumber = firstNumber;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Direction direction() {
            return direction;
        }

        @Override
        public List<FrozenTrial> trials() {
            List<Trial> live;
            List<FrozenTrial> out = new ArrayList<>();
            lock.lock();
            try {
                for (FrozenTrial t : finished.values())
                    if (t.number() != self && (t.number() < firstNumber || t.number() <= cutoff)) out.add(t);
                live = cutoff == Integer.MAX_VALUE ? new ArrayList<>(running.values()) : List.of();
            } finally {
                lock.unlock();
            }
            for (Trial t : live) if (t.number() != self) out.add(t.snapshot(TrialState.RUNNING, Double.NaN, null));
            out.sort((a, b) -> Integer.compare(a.number(), b.number()));
            return out;
        }

        @Override
        public void setSystemAttr(int trialNumber, String key, Object value) {
            if (trialNumber != self) throw new IllegalArgumentException("StudyView: trial " + self + " may not change trial " + trialNumber);
            Trial t;
            lock.lock();
            try {
                t = running.get(self);
            } finally {
                lock.unlock();
            }
            if (t != null) t.setSystemAttr(key, value);
        }
    }

    /** Every finished trial, ordered by number. */
    public List<FrozenTrial> trials() {
        lock.lock();
        try {
            return Collections.unmodifiableList(new ArrayList<>(finished.values()));
        } finally {
            lock.unlock();
        }
    }

    private FrozenTrial bestOrNull() {
        FrozenTrial best = null;
        for (FrozenTrial t : finished.values())
            if (t.state() == TrialState.COMPLETE && (best == null || direction.better(t.value(), best.value()))) best = t;
        return best;
    }

    /** The COMPLETE trial with the best value (the lowest number among ties). */
    public FrozenTrial bestTrial() {
        lock.lock();
        try {
            FrozenTrial b = bestOrNull();
            if (b == null) throw new IllegalStateException("Study '" + name + "': no trial has completed yet (" + finished.size() + " finished)");
            return b;
        } finally {
            lock.unlock();
        }
    }

    public double bestValue() {
        return bestTrial().value();
    }

    public Map<String, Object> bestParams() {
        return bestTrial().params();
    }

    /** The trials as an aligned text table (as Optuna's trials_dataframe): one row per trial, one column per parameter. */
    public String trialsTable() {
        return TrialsTable.format(trials());
    }
}
