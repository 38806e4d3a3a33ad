package dev.anneal.train.checkpoint;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON
 * header mapping each name to {dtype, shape, data_offsets} plus an optional "__metadata__" map of
 * strings, then the raw little-endian data. Only F32 is written; the reader also takes the other
 * numeric dtypes (a PyTorch state dict has int64 and often half-precision tensors) and converts them
 * to float as torch's .float() does ({@link SafetensorsDtype}). Files are written to a
 * temporary sibling and renamed, so a reader never sees half a file. The writer adds a CRC32C of
 * the data to the metadata ({@value #CHECKSUM_KEY}); the reader verifies it when present, so a
 * changed byte is an error rather than silently different weights.
 */
public final class Safetensors {
    /** Metadata key holding the CRC32C of the data section, as 8 hex digits. */
    public static final String CHECKSUM_KEY = "anneal.data_crc32c";

    private Safetensors() {}

    /** Tensors and string metadata read from a file. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        if (metadata != null) meta.putAll(metadata);
        header.put("__metadata__", meta);
        long offset = 0;
        List<float[]> data = new ArrayList<>();
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("Safetensors: '__metadata__' cannot name a tensor");
            float[] v = e.getValue().toArray();
            ByteBuffer le = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            le.asFloatBuffer().put(v);
            crc.update(le.array());
            List<Object> shape = new ArrayList<>();
            for (int d : e.getValue().shape()) shape.add((long) d);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, offset + 4L * v.length));
            header.put(e.getKey(), entry);
            offset += 4L * v.length;
            data.add(v);
        }
        meta.put(CHECKSUM_KEY, String.format("%08x", crc.getValue()));
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8; // keeps the data 8-byte aligned, as the reference writer does
        byte[] headerBytes = new byte[json.length + pad];
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        java.util.Arrays.fill(headerBytes, json.length, headerBytes.length, (byte) ' ');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
                out.write(headerBytes);
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (float[] v : data) {
                    for (float f : v) {
                        if (buf.remaining() < 4) {
                            out.write(buf.array(), 0, buf.position());
                            buf.clear();
                        }
                        buf.putFloat(f);
                    }
                }
                out.write(buf.array(), 0, buf.position());
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new UncheckedIOException("Safetensors: cannot write " + file, e);
        }
    }

    /** Reads and fully validates a file; any inconsistency is an error naming the file and the problem. */
    public static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Safetensors: cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        String where = "Safetensors: " + file + ": ";
        if (bytes.length < 8) throw new IllegalArgumentException(where + "too short for a header length (" + bytes.length + " bytes)");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong();
        if (n < 2 || n > bytes.length - 8)
            throw new IllegalArgumentException(where + "header length " + n + " does not fit a file of " + bytes.length + " bytes (truncated?)");
        Object parsed;
        try {
            parsed = Json.parse(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "corrupt header: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> header)) throw new IllegalArgumentException(where + "header is not a JSON object");
        long dataStart = 8 + n, dataLen = bytes.length - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        long covered = 0;
        List<long[]> ranges = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> m)) throw new IllegalArgumentException(where + "__metadata__ is not an object");
                for (Map.Entry<?, ?> me : m.entrySet()) {
                    if (!(me.getValue() instanceof String s))
                        throw new IllegalArgumentException(where + "__metadata__ value of '" + me.getKey() + "' is not a string");
                    metadata.put((String) me.getKey(), s);
                }
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> info)) throw new IllegalArgumentException(where + "entry '" + name + "' is not an object");
            SafetensorsDtype dtype = SafetensorsDtype.named(info.get("dtype"));
            if (dtype == null)
                throw new IllegalArgumentException(where + "tensor '" + name + "' has dtype " + info.get("dtype") + "; the dtypes read are "
                        + SafetensorsDtype.supported());
            if (!(info.get("shape") instanceof List<?> shapeL) || !(info.get("data_offsets") instanceof List<?> offL) || offL.size() != 2)
                throw new IllegalArgumentException(where + "tensor '" + name + "' lacks a shape or a pair of data_offsets");
            int[] shape = new int[shapeL.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                if (!(shapeL.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE)
                    throw new IllegalArgumentException(where + "tensor '" + name + "' has a bad shape " + shapeL);
                shape[i] = (int) (long) d;
                count *= d;
                if (count > Integer.MAX_VALUE)
                    throw new IllegalArgumentException(where + "tensor '" + name + "' of shape " + shapeL + " has more elements than a tensor holds ("
                            + Integer.MAX_VALUE + ")");
            }
            if (!(offL.get(0) instanceof Long begin) || !(offL.get(1) instanceof Long end) || begin < 0 || end < begin || end > dataLen)
                throw new IllegalArgumentException(where + "tensor '" + name + "' has data_offsets " + offL + " outside the " + dataLen
                        + " data bytes (truncated?)");
            if (end - begin != dtype.bytes * count)
                throw new IllegalArgumentException(where + "tensor '" + name + "' has " + (end - begin) + " bytes for shape "
                        + java.util.Arrays.toString(shape) + " of " + dtype + " (" + dtype.bytes * count + " expected)");
            ranges.add(new long[] {begin, end});
            covered += end - begin;
            float[] v = new float[(int) count];
            ByteBuffer d = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            if (dtype == SafetensorsDtype.F32) d.asFloatBuffer().get(v);
            else for (int i = 0; i < v.length; i++) v[i] = dtype.read(d);
            tensors.put(name, Functions.wrap(v, shape));
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < ranges.size(); i++)
            if (ranges.get(i)[0] < ranges.get(i - 1)[1]) throw new IllegalArgumentException(where + "tensor data ranges overlap");
        if (covered != dataLen)
            throw new IllegalArgumentException(where + "the header accounts for " + covered + " data bytes, the file has " + dataLen);
        String expected = metadata.get(CHECKSUM_KEY);
        if (expected != null) {
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(bytes, (int) dataStart, (int) dataLen);
            String actual = String.format("%08x", crc.getValue());
            if (!actual.equals(expected))
                throw new IllegalArgumentException(where + "data checksum " + actual + " does not match the recorded " + expected
                        + " (the file was changed or damaged)");
        }
        return new Contents(tensors, metadata);
    }
}
