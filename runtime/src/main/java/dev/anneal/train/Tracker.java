package dev.anneal.train;

import dev.anneal.train.tracking.ScalarLog;
import dev.anneal.train.tracking.TensorBoardWriter;
import java.nio.file.Path;

/** One run's scalars, written both as a TensorBoard event file and as CSV/JSONL in the same folder. */
public final class Tracker implements AutoCloseable {
    private final TensorBoardWriter events;
    private final ScalarLog log;
    private final Path dir;

    public Tracker(Path dir) {
        this.dir = dir;
        this.events = new TensorBoardWriter(dir);
        this.log = new ScalarLog(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path eventFile() {
        return events.file();
    }

    public void scalar(String tag, double value, long step) {
        events.scalar(tag, value, step);
        log.scalar(tag, value, step);
    }

    public void flush() {
        events.flush();
        log.flush();
    }

    @Override
    public void close() {
        events.close();
        log.close();
    }
}
