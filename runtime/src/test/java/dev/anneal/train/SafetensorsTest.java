package dev.anneal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;
import dev.anneal.train.checkpoint.Json;
import dev.anneal.train.checkpoint.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("0.weight", Tensor.randn(new Generator(1), 3, 4));
        m.put("0.bias", Tensor.vector(1.5f, -2f, Float.MIN_VALUE));
        m.put("scalar", Tensor.scalar(7f));
        m.put("empty", Tensor.zeros(0, 5));
        return m;
    }

    @Test
    void roundTripKeepsNamesShapesBitsAndMetadata() {
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, sample(), Map.of("epoch", "3"));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(List.of("0.weight", "0.bias", "scalar", "empty"), new ArrayList<>(c.tensors().keySet()));
        for (Map.Entry<String, Tensor> e : sample().entrySet()) {
            assertArrayEquals(e.getValue().shape(), c.tensors().get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().toArray(), c.tensors().get(e.getKey()).toArray(), e.getKey());
        }
        assertEquals("3", c.metadata().get("epoch"));
        assertTrue(c.metadata().containsKey(Safetensors.CHECKSUM_KEY));
        assertTrue(Files.exists(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void numpyReadsWhatWeWrite() throws Exception {
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, sample(), Map.of());
        Path script = dir.resolve("read.py");
        Files.copy(SafetensorsTest.class.getResourceAsStream("/python/read_safetensors.py"), script);
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        String[] lines = out.strip().split("\n");
        assertEquals(4, lines.length, out);
        String[] w = lines[0].split(" ", 3);
        assertEquals("0.weight", w[0]);
        float[] expected = sample().get("0.weight").toArray();
        String[] values = lines[0].substring(lines[0].indexOf(']') + 2).split(" ");
        float[] got = new float[values.length];
        for (int i = 0; i < values.length; i++) got[i] = (float) Double.parseDouble(values[i]);
        assertArrayEquals(expected, got);
        assertTrue(lines[0].startsWith("0.weight [3, 4] "), lines[0]);
        assertTrue(lines[2].startsWith("scalar [] 7.0"), lines[2]);
        assertTrue(lines[3].startsWith("empty [0, 5]"), lines[3]);
    }

    @Test
    void aChangedByteIsCaughtByTheChecksum() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, sample(), Map.of());
        byte[] b = Files.readAllBytes(f);
        b[b.length - 10] ^= 1;
        Files.write(f, b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("does not match the recorded"), e.getMessage());
    }

    @Test
    void truncationAndCorruptHeadersAreClearErrors() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, sample(), Map.of());
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("outside the") || e.getMessage().contains("accounts for"), e.getMessage());
        Files.write(f, Arrays.copyOf(b, 20));
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("does not fit a file"), e.getMessage());
        byte[] broken = b.clone();
        broken[9] = '#';
        Files.write(f, broken);
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("corrupt header"), e.getMessage());
    }

    @Test
    void jsonRoundTripsTypesExactly() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lr", 0.1);
        m.put("tiny", 1e-300);
        m.put("nan", Double.NaN);
        m.put("inf", Double.NEGATIVE_INFINITY);
        m.put("step", 42L);
        m.put("flag", true);
        m.put("name", "a \"quoted\"\nline");
        m.put("list", List.of(1L, 2.5, "x"));
        m.put("none", null);
        Object back = Json.parse(Json.write(m));
        assertEquals(m.toString(), back.toString());
        assertEquals(Long.class, ((Map<?, ?>) back).get("step").getClass());
        assertEquals(Double.class, ((Map<?, ?>) back).get("lr").getClass());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": }"));
    }
}
