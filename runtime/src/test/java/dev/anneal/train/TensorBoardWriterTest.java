package dev.anneal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.train.tracking.ScalarLog;
import dev.anneal.train.tracking.TensorBoardWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardWriterTest {
    @TempDir
    Path dir;

    /** One decoded Event: step, file_version or (tag, value). */
    record Event(long step, String version, String tag, float value) {}

    @Test
    void everyRecordHasValidCrcsAndDecodesToTheScalarsWritten() throws IOException {
        Path file;
        try (TensorBoardWriter w = new TensorBoardWriter(dir)) {
            w.scalar("train/loss", 0.75, 1);
            w.scalar("train/loss", 0.5, 2);
            w.scalar("valid/accuracy", 0.875, 300);
            file = w.file();
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
        List<Event> events = parse(Files.readAllBytes(file));
        assertEquals(4, events.size());
        assertEquals("brain.Event:2", events.get(0).version());
        assertEquals(new Event(1, null, "train/loss", 0.75f), events.get(1));
        assertEquals(new Event(2, null, "train/loss", 0.5f), events.get(2));
        assertEquals(new Event(300, null, "valid/accuracy", 0.875f), events.get(3));
    }

    @Test
    void scalarLogWritesCsvAndJsonLines() throws IOException {
        try (ScalarLog log = new ScalarLog(dir)) {
            log.scalar("lr", 0.001, 5);
            log.scalar("loss", Double.NaN, 6);
        }
        assertEquals("step,tag,value\n5,lr,0.001\n6,loss,NaN\n", Files.readString(dir.resolve("scalars.csv")));
        assertEquals("{\"step\": 5, \"tag\": \"lr\", \"value\": 0.001}\n{\"step\": 6, \"tag\": \"loss\", \"value\": \"NaN\"}\n",
                Files.readString(dir.resolve("scalars.jsonl")).replace(System.lineSeparator(), "\n"));
    }

    /** Reads records (u64 len, masked crc of len, data, masked crc of data), checking both CRCs, and decodes events. */
    static List<Event> parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] lenBytes = new byte[8];
            b.get(lenBytes);
            int lenCrc = b.getInt();
            assertEquals(TensorBoardWriter.maskedCrc(lenBytes), lenCrc, "length CRC of record " + out.size());
            long len = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] data = new byte[(int) len];
            b.get(data);
            assertEquals(TensorBoardWriter.maskedCrc(data), b.getInt(), "data CRC of record " + out.size());
            out.add(decode(data));
        }
        return out;
    }

    private static Event decode(byte[] data) {
        ByteBuffer p = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long step = 0;
        String version = null, tag = null;
        float value = 0;
        while (p.hasRemaining()) {
            long key = varint(p);
            int field = (int) (key >>> 3), wire = (int) (key & 7);
            if (field == 1 && wire == 1) p.getLong();
            else if (field == 2 && wire == 0) step = varint(p);
            else if (field == 3 && wire == 2) version = new String(bytes(p), StandardCharsets.UTF_8);
            else if (field == 5 && wire == 2) {
                ByteBuffer s = ByteBuffer.wrap(bytes(p)).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(1 << 3 | 2, varint(s));
                ByteBuffer v = ByteBuffer.wrap(bytes(s)).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(1 << 3 | 2, varint(v));
                tag = new String(bytes(v), StandardCharsets.UTF_8);
                assertEquals(2 << 3 | 5, varint(v));
                value = v.getFloat();
            } else throw new AssertionError("unexpected field " + field + " wire " + wire + " in " + Arrays.toString(data));
        }
        return new Event(step, version, tag, value);
    }

    private static long varint(ByteBuffer p) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = p.get();
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
    }

    private static byte[] bytes(ByteBuffer p) {
        byte[] d = new byte[(int) varint(p)];
        p.get(d);
        return d;
    }
}
