package dev.anneal.data;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST-style datasets (raw or gzip-compressed): two zero bytes, a type
 * code, the number of dims, each dim as a big-endian int32, then the values row-major
 * (format as published with MNIST, LeCun et al.). Values become floats, unscaled.
 */
public final class IdxReader {
    private IdxReader() {}

    public static Tensor read(Path file) {
        byte[] bytes = readAll(file);
        String where = "IdxReader: " + file;
        if (bytes.length < 4) throw new IllegalArgumentException(where + ": too short for an IDX header (" + bytes.length + " bytes)");
        ByteBuffer buf = ByteBuffer.wrap(bytes); // big-endian by default, as IDX is
        if (buf.get() != 0 || buf.get() != 0)
            throw new IllegalArgumentException(where + ": not an IDX file (the first two bytes must be zero)");
        int type = buf.get() & 0xFF, rank = buf.get() & 0xFF;
        int size;
        switch (type) {
            case 0x08: case 0x09: size = 1; break;
            case 0x0B: size = 2; break;
            case 0x0C: case 0x0D: size = 4; break;
            case 0x0E: size = 8; break;
            default: throw new IllegalArgumentException(where + ": unknown IDX type code 0x" + Integer.toHexString(type)
                    + " (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)");
        }
        if (bytes.length < 4 + 4L * rank)
            throw new IllegalArgumentException(where + ": truncated header: " + rank + " dims need " + (4 + 4 * rank) + " bytes, file has "
                    + bytes.length);
        int[] shape = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = buf.getInt();
            if (shape[i] < 0) throw new IllegalArgumentException(where + ": negative dimension " + shape[i] + " in the header");
            n *= shape[i];
        }
        long expected = n * size, found = bytes.length - buf.position();
        if (expected > Integer.MAX_VALUE) throw new IllegalArgumentException(where + ": " + n + " values are too many for one tensor");
        if (found < expected)
            throw new IllegalArgumentException(where + ": truncated: shape " + Shape.str(shape) + " needs " + expected
                    + " bytes of data, found " + found);
        if (found > expected)
            throw new IllegalArgumentException(where + ": " + (found - expected) + " unexpected bytes after the data of shape "
                    + Shape.str(shape));
        float[] v = new float[(int) n];
        int at = buf.position();
        // one loop per type, so that the byte case (every MNIST file) is a plain loop the JIT vectorizes
        switch (type) {
            case 0x08: for (int i = 0; i < v.length; i++) v[i] = bytes[at + i] & 0xFF; break;
            case 0x09: for (int i = 0; i < v.length; i++) v[i] = bytes[at + i]; break;
            case 0x0B: for (int i = 0; i < v.length; i++) v[i] = buf.getShort(); break;
            case 0x0C: for (int i = 0; i < v.length; i++) v[i] = buf.getInt(); break;
            case 0x0D: for (int i = 0; i < v.length; i++) v[i] = buf.getFloat(); break;
            default: for (int i = 0; i < v.length; i++) v[i] = (float) buf.getDouble(); break;
        }
        return Functions.wrap(v, shape);
    }

    private static byte[] readAll(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            if (!gzip) return raw.readAllBytes();
            try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
                in.transferTo(out);
                return out.toByteArray();
            } catch (EOFException e) {
                throw new IllegalArgumentException("IdxReader: " + file + ": truncated gzip stream (the file ends early)", e);
            } catch (ZipException e) {
                throw new IllegalArgumentException("IdxReader: " + file + ": corrupt gzip stream (" + e.getMessage() + ")", e);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("IdxReader: " + file + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("IdxReader: " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
