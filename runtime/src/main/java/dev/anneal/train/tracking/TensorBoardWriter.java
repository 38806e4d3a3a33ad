package dev.anneal.train.tracking;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Scalars in TensorBoard's event-file format: a file {@code events.out.tfevents.<secs>.<host>} of
 * records (u64 length, masked CRC32C of the length, an Event protocol buffer, masked CRC32C of
 * it), the first event carrying the file version "brain.Event:2" (TensorFlow's record_writer and
 * event.proto; the protobuf is encoded by hand, it is three fields deep).
 */
public final class TensorBoardWriter implements AutoCloseable {
    private final Path file;
    private final OutputStream out;
    private boolean closed;

    /** Creates a new event file in dir (created if needed). */
    public TensorBoardWriter(Path dir) {
        try {
            Files.createDirectories(dir);
            long secs = System.currentTimeMillis() / 1000;
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
            Path f = dir.resolve("events.out.tfevents." + secs + "." + host);
            for (int k = 1; Files.exists(f); k++) f = dir.resolve("events.out.tfevents." + secs + "." + host + "." + k);
            this.file = f;
            this.out = new BufferedOutputStream(Files.newOutputStream(f));
            writeRecord(event(System.currentTimeMillis() / 1000.0, 0, "brain.Event:2", null, 0f));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoardWriter: cannot create an event file in " + dir, e);
        }
    }

    public Path file() {
        return file;
    }

    /** Appends one scalar (e.g. tag "train/loss") at a step. */
    public synchronized void scalar(String tag, double value, long step) {
        if (closed) throw new IllegalStateException("TensorBoardWriter: " + file + " is closed");
        if (tag == null || tag.isEmpty()) throw new IllegalArgumentException("TensorBoardWriter: tag is empty");
        try {
            writeRecord(event(System.currentTimeMillis() / 1000.0, step, null, tag, (float) value));
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoardWriter: cannot write to " + file, e);
        }
    }

    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoardWriter: cannot flush " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoardWriter: cannot close " + file, e);
        }
    }

    private void writeRecord(byte[] data) throws IOException {
        byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        out.write(len);
        out.write(le32(maskedCrc(len)));
        out.write(data);
        out.write(le32(maskedCrc(data)));
    }

    /** CRC32C rotated and offset, so that a CRC of data containing CRCs stays well distributed. */
    public static int maskedCrc(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        int crc = (int) c.getValue();
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; } */
    static byte[] event(double wallTime, long step, String fileVersion, String tag, float value) {
        Proto e = new Proto();
        e.fixed64(1, Double.doubleToRawLongBits(wallTime));
        if (step != 0) e.varint(2, step);
        if (fileVersion != null) e.bytes(3, fileVersion.getBytes(StandardCharsets.UTF_8));
        if (tag != null) {
            // Summary { repeated Value value = 1; }  Value { string tag = 1; float simple_value = 2; }
            Proto v = new Proto();
            v.bytes(1, tag.getBytes(StandardCharsets.UTF_8));
            v.fixed32(2, Float.floatToRawIntBits(value));
            Proto s = new Proto();
            s.bytes(1, v.toByteArray());
            e.bytes(5, s.toByteArray());
        }
        return e.toByteArray();
    }

    /** Just enough protocol-buffer encoding for events. */
    private static final class Proto {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        void tag(int field, int wire) {
            raw((long) field << 3 | wire);
        }

        void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                b.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            b.write((int) v);
        }

        void varint(int field, long v) {
            tag(field, 0);
            raw(v);
        }

        void fixed64(int field, long v) {
            tag(field, 1);
            for (int i = 0; i < 8; i++) b.write((int) (v >>> (8 * i)));
        }

        void fixed32(int field, int v) {
            tag(field, 5);
            for (int i = 0; i < 4; i++) b.write(v >>> (8 * i));
        }

        void bytes(int field, byte[] data) {
            tag(field, 2);
            raw(data.length);
            b.write(data, 0, data.length);
        }

        byte[] toByteArray() {
            return b.toByteArray();
        }
    }
}
