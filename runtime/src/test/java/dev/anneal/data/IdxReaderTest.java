package dev.anneal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private static byte[] idx(int type, int[] shape, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) shape.length);
        for (int d : shape) b.putInt(d);
        b.put(data);
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void readsUnsignedBytesRawAndGzipped() throws IOException {
        byte[] raw = idx(0x08, new int[] {2, 3}, new byte[] {0, 1, 2, (byte) 200, (byte) 255, 7});
        Files.write(dir.resolve("a.idx"), raw);
        Files.write(dir.resolve("a.idx.gz"), gzip(raw));
        for (String name : new String[] {"a.idx", "a.idx.gz"}) {
            Tensor t = IdxReader.read(dir.resolve(name));
            assertArrayEquals(new int[] {2, 3}, t.shape());
            assertArrayEquals(new float[] {0, 1, 2, 200, 255, 7}, t.toArray());
        }
    }

    @Test
    void readsSignedBytesIntsAndFloats() throws IOException {
        Files.write(dir.resolve("s"), idx(0x09, new int[] {2}, new byte[] {(byte) -3, 5}));
        assertArrayEquals(new float[] {-3, 5}, IdxReader.read(dir.resolve("s")).toArray());
        ByteBuffer ints = ByteBuffer.allocate(8).putInt(-70000).putInt(123456);
        Files.write(dir.resolve("i"), idx(0x0C, new int[] {2}, ints.array()));
        assertArrayEquals(new float[] {-70000, 123456}, IdxReader.read(dir.resolve("i")).toArray());
        ByteBuffer floats = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-0.25f);
        Files.write(dir.resolve("f"), idx(0x0D, new int[] {1, 2}, floats.array()));
        assertArrayEquals(new float[] {1.5f, -0.25f}, IdxReader.read(dir.resolve("f")).toArray());
    }

    @Test
    void truncatedDataNamesTheFileAndTheSizes() throws IOException {
        Path p = dir.resolve("short.idx");
        Files.write(p, idx(0x08, new int[] {2, 3}, new byte[] {1, 2, 3, 4}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(p));
        assertEquals("IdxReader: " + p + ": truncated: shape [2, 3] needs 6 bytes of data, found 4", e.getMessage());
    }

    @Test
    void truncatedGzipAndBadMagicAreClearErrors() throws IOException {
        byte[] gz = gzip(idx(0x08, new int[] {100}, new byte[100]));
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(cut));
        assertTrue(e.getMessage().startsWith("IdxReader: " + cut + ": truncated gzip stream"), e.getMessage());

        Path bad = dir.resolve("bad");
        Files.write(bad, new byte[] {1, 2, 8, 1, 0, 0, 0, 1, 5});
        e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(bad));
        assertEquals("IdxReader: " + bad + ": not an IDX file (the first two bytes must be zero)", e.getMessage());

        Path type = dir.resolve("type");
        Files.write(type, idx(0x07, new int[] {1}, new byte[] {1}));
        e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(type));
        assertTrue(e.getMessage().contains("unknown IDX type code 0x7"), e.getMessage());

        Path extra = dir.resolve("extra");
        Files.write(extra, idx(0x08, new int[] {1}, new byte[] {1, 2}));
        e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(extra));
        assertTrue(e.getMessage().contains("1 unexpected bytes after the data of shape [1]"), e.getMessage());

        Path missing = dir.resolve("nope");
        e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(missing));
        assertEquals("IdxReader: " + missing + ": no such file", e.getMessage());
    }

    @Test
    void fashionMnistFromDebianHasTheKnownShapeAndBalancedLabels() {
        TensorDataset train = MnistFormat.load(MnistFormat.FASHION_MNIST_DEBIAN, true);
        TensorDataset test = MnistFormat.load(MnistFormat.FASHION_MNIST_DEBIAN, false);
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, train.exampleShape());
        int[] counts = new int[10];
        for (float y : test.targets().toArray()) counts[(int) y]++;
        for (int c : counts) assertEquals(1000, c); // the test split has exactly 1000 per class
        float[] first = train.batch(new int[] {0}).inputs().toArray();
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : first) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max); // the first training image uses the full 0..255 range
        assertEquals(9f, train.batch(new int[] {0}).targets().item()); // first training label: ankle boot
    }
}
