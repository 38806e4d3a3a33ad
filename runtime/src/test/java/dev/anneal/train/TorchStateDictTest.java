package dev.anneal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.BatchNorm1d;
import dev.anneal.nn.Linear;
import dev.anneal.nn.ReLU;
import dev.anneal.nn.Sequential;
import dev.anneal.testing.Reference;
import dev.anneal.train.checkpoint.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by PyTorch (tools/reference/gen_torch_checkpoint.py): state dicts with int64 buffers, and every dtype read. */
class TorchStateDictTest {
    @TempDir
    Path dir;

    private static final Reference REF = Reference.load("torch_checkpoint.txt");

    private Path resource(String name) throws IOException {
        Path f = dir.resolve(name);
        try (InputStream in = TorchStateDictTest.class.getResourceAsStream("/reference/" + name)) {
            Files.copy(in, f);
        }
        return f;
    }

    @Test
    void aPyTorchStateDictWithBatchNormLoadsAndGivesPyTorchsOutput() throws IOException {
        Map<String, Tensor> state = Safetensors.read(resource("torch_mlp.safetensors")).tensors();
        assertEquals(3f, state.get("1.num_batches_tracked").item(), "int64 num_batches_tracked after three steps");
        Sequential model = new Sequential(new Linear(6, 5), new BatchNorm1d(5), new ReLU(), new Linear(5, 3));
        model.loadStateDict(state, true);
        model.eval();
        assertArrayEquals(state.get("1.running_var").toArray(), model.stateDict().get("1.running_var").toArray());
        float[] y = model.invoke(REF.get("mlp/input")).toArray(), want = REF.get("mlp/output").toArray();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], y[i], 1e-6f * Math.max(1f, Math.abs(want[i])), "output " + i);
    }

    @Test
    void everyDtypeIsConvertedAsTorchFloatDoes() throws IOException {
        Map<String, Tensor> t = Safetensors.read(resource("torch_dtypes.safetensors")).tensors();
        for (String name : new String[] {"f64", "f16", "bf16", "i64", "i32", "i16", "i8", "u8", "bool", "empty_i64"}) {
            Tensor want = REF.get("dtypes/" + name), got = t.get(name);
            assertArrayEquals(want.shape(), got.shape(), name);
            float[] w = want.toArray(), g = got.toArray();
            for (int i = 0; i < w.length; i++)
                assertEquals(Float.floatToIntBits(w[i]), Float.floatToIntBits(g[i]), name + "[" + i + "]: " + g[i] + " vs torch " + w[i]);
        }
        assertEquals(16777216f, t.get("i64").toArray()[2], "2^24 + 1 rounds to even, as in torch");
    }

    @Test
    void unsignedAndHalfConversionsAtTheirEdges() throws IOException {
        // U64, U32 and U16 are in the format but PyTorch 1.13 has no such dtypes: checked against exact arithmetic
        long[] u64 = {0L, 1L, 1L << 63, -1L, (1L << 63) + (1L << 39), (1L << 63) + (1L << 39) + 1};
        float[] want = {0f, 1f, 0x1p63f, 0x1p64f, 0x1p63f, 0x1.000002p63f};
        Path f = writeOne("U64", 8 * u64.length, b -> { for (long v : u64) b.putLong(v); }, u64.length);
        assertArrayEquals(want, Safetensors.read(f).tensors().get("t").toArray(), 0f);
        Path g = writeOne("U32", 8, b -> b.putInt(-1).putInt(7), 2);
        assertArrayEquals(new float[] {4294967295f, 7f}, Safetensors.read(g).tensors().get("t").toArray(), 0f);
        Path h = writeOne("U16", 4, b -> b.putShort((short) 0xffff).putShort((short) 1), 2);
        assertArrayEquals(new float[] {65535f, 1f}, Safetensors.read(h).tensors().get("t").toArray(), 0f);
        // every half: finite ones through their value, specials by class
        Path halves = writeOne("F16", 2 * 0x10000, b -> { for (int bits = 0; bits < 0x10000; bits++) b.putShort((short) bits); }, 0x10000);
        float[] all = Safetensors.read(halves).tensors().get("t").toArray();
        for (int bits = 0; bits < 0x10000; bits++) {
            int e = (bits >>> 10) & 0x1f, m = bits & 0x3ff;
            float v = all[bits];
            boolean negative = (bits & 0x8000) != 0;
            if (e == 0x1f) {
                assertTrue(m == 0 ? Float.isInfinite(v) : Float.isNaN(v), "half " + Integer.toHexString(bits));
                continue;
            }
            double exact = (e == 0 ? m * 0x1p-24 : (1 + m / 1024.0) * Math.scalb(1.0, e - 15)) * (negative ? -1 : 1);
            assertEquals(exact, v, 0.0, "half " + Integer.toHexString(bits));
            assertEquals(negative, Float.floatToRawIntBits(v) < 0, "sign of half " + Integer.toHexString(bits));
        }
    }

    @Test
    void unreadDtypesAndWrongByteCountsAreClearErrors() throws IOException {
        Path f8 = writeOne("F8_E4M3", 2, b -> b.put((byte) 1).put((byte) 2), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(f8));
        assertTrue(e.getMessage().contains("F8_E4M3") && e.getMessage().contains("BF16"), e.getMessage());
        Path shortI64 = writeOne("I64", 12, b -> b.putLong(1).putInt(2), 2);
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(shortI64));
        assertTrue(e.getMessage().contains("12 bytes") && e.getMessage().contains("I64 (16 expected)"), e.getMessage());
    }

    private Path writeOne(String dtype, int bytes, java.util.function.Consumer<ByteBuffer> fill, int count) throws IOException {
        byte[] header = ("{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + count + "],\"data_offsets\":[0," + bytes + "]}}")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        fill.accept(b);
        Path f = Files.createTempFile(dir, "one", ".safetensors");
        Files.write(f, b.array());
        return f;
    }
}
