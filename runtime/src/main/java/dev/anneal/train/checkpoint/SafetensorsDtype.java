package dev.anneal.train.checkpoint;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The safetensors element types anneal reads, each converted to float as torch's {@code .float()}
 * converts it: exactly where float holds the value, else rounded to the nearest float (int64 beyond
 * 2^24, float64), and float64 beyond the float range to ±inf. A PyTorch state dict holds more than
 * float32: BatchNorm's num_batches_tracked is int64, and half-precision checkpoints are common.
 */
enum SafetensorsDtype {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1);

    final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    /** The dtype named in a header, or null for one anneal does not read. */
    static SafetensorsDtype named(Object name) {
        for (SafetensorsDtype d : values()) if (d.name().equals(name)) return d;
        return null;
    }

    static String supported() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** Reads one element at the buffer's position (little-endian) as a float. */
    float read(ByteBuffer b) {
        return switch (this) {
            case F64 -> (float) b.getDouble();
            case F32 -> b.getFloat();
            case F16 -> halfToFloat(b.getShort());
            case BF16 -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
            case I64 -> (float) b.getLong();
            case I32 -> (float) b.getInt();
            case I16 -> b.getShort();
            case I8 -> b.get();
            case U64 -> unsignedLongToFloat(b.getLong());
            case U32 -> (float) (b.getInt() & 0xffffffffL);
            case U16 -> b.getShort() & 0xffff;
            case U8 -> b.get() & 0xff;
            case BOOL -> b.get() != 0 ? 1f : 0f;
        };
    }

    /** IEEE 754 binary16 to float, exact (every half is a float): subnormals, infinities and NaN included. */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16, exp = (h >>> 10) & 0x1f, mant = h & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // inf, NaN (payload kept)
        if (exp != 0) return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13)); // rebias 15 -> 127
        float magnitude = mant * 0x1p-24f; // subnormal half: mant·2^-24, exact in float
        return sign != 0 ? -magnitude : magnitude;
    }

    /** An unsigned 64-bit value rounded to the nearest float, as a C cast of uint64_t does. */
    static float unsignedLongToFloat(long v) {
        if (v >= 0) return (float) v;
        // halve with the lost bit kept as a sticky bit, so that the one rounding below is the right one
        return (float) ((v >>> 1) | (v & 1)) * 2f;
    }
}
