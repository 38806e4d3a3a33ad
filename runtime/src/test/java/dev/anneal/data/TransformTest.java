package dev.anneal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.autograd.Tensor;
import dev.anneal.data.transform.BatchTransform;
import dev.anneal.data.transform.Normalize;
import dev.anneal.data.transform.RandomAffine;
import dev.anneal.data.transform.RandomCrop;
import dev.anneal.data.transform.RandomErasing;
import dev.anneal.data.transform.RandomHorizontalFlip;
import dev.anneal.tensor.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformTest {
    private static Tensor image() {
        // one 1×2×3 image: [[1, 2, 3], [4, 5, 6]]
        return Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 1, 2, 3);
    }

    @Test
    void flipMirrorsRowsWithProbabilityOneAndNeverWithZero() {
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, new RandomHorizontalFlip(1).apply(image(), new Generator(1)).toArray());
        assertArrayEquals(image().toArray(), new RandomHorizontalFlip(0).apply(image(), new Generator(1)).toArray());
    }

    @Test
    void cropOfFullSizeWithoutPaddingIsIdentityAndPaddingBringsZeros() {
        assertArrayEquals(image().toArray(), new RandomCrop(2, 3, 0).apply(image(), new Generator(1)).toArray());
        Tensor x = Tensor.ones(200, 1, 4, 4);
        Tensor y = new RandomCrop(4, 4, 2).apply(x, new Generator(2));
        assertArrayEquals(new int[] {200, 1, 4, 4}, y.shape());
        float total = y.sum().item();
        assertTrue(total < 200 * 16 && total > 0, "some crops include padding: " + total);
        // every crop keeps a whole number of source pixels, so values are 0 or 1
        for (float v : y.toArray()) assertTrue(v == 0f || v == 1f);
    }

    @Test
    void normalizeUsesPerChannelStatistics() {
        Tensor x = Tensor.of(new float[] {1, 3, 10, 30}, 1, 2, 1, 2);
        Tensor y = new Normalize(new float[] {2, 20}, new float[] {1, 10}).apply(x, null);
        assertArrayEquals(new float[] {-1, 1, -1, 1}, y.toArray());
        Normalize fitted = Normalize.fit(new TensorDataset(Tensor.of(new float[] {1, 3, 5, 7}, 2, 1, 1, 2), Tensor.zeros(2)));
        assertEquals(4f, fitted.mean()[0], 1e-6);
        assertEquals((float) Math.sqrt(5), fitted.std()[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
    }

    @Test
    void affineWithNoMotionIsIdentityAndRotationBy180FlipsBothAxes() {
        Tensor x = Tensor.rand(new Generator(5), 2, 1, 5, 5);
        assertArrayEquals(x.toArray(), new RandomAffine(0, 0, 0, 1, 1).apply(x, new Generator(1)).toArray(), 1e-6f);
        // a quarter turn of a 3×3 image about its centre moves each pixel exactly one corner on
        Tensor img = Tensor.arange(9).reshape(1, 1, 3, 3);
        Tensor turned = RandomAffine.affine(img, 90, 0, 0, 1);
        // input rows [0 1 2][3 4 5][6 7 8]; output(r, c) = input(c', r') of the inverse map
        float[] expected = {6, 3, 0, 7, 4, 1, 8, 5, 2};
        float[] got = turned.toArray();
        boolean clockwise = true, counter = true;
        float[] ccw = {2, 5, 8, 1, 4, 7, 0, 3, 6};
        for (int i = 0; i < 9; i++) {
            clockwise &= Math.abs(got[i] - expected[i]) < 1e-5;
            counter &= Math.abs(got[i] - ccw[i]) < 1e-5;
        }
        assertTrue(clockwise || counter, java.util.Arrays.toString(got));
        assertArrayEquals(img.toArray(), RandomAffine.affine(RandomAffine.affine(img, 90, 0, 0, 1), -90, 0, 0, 1).toArray(), 1e-5f);
        // translation by one pixel to the right shifts columns and brings in a zero column
        assertArrayEquals(new float[] {0, 0, 1, 0, 3, 4, 0, 6, 7}, RandomAffine.affine(img, 0, 1, 0, 1).toArray(), 1e-6f);
    }

    @Test
    void erasingFillsOneRectangleAndIsSeeded() {
        Tensor x = Tensor.ones(50, 1, 16, 16);
        BatchTransform erase = new RandomErasing(1, 0.1, 0.2, 0.5, 2, 0f);
        Tensor a = erase.apply(x, new Generator(3)), b = erase.apply(x, new Generator(3));
        assertArrayEquals(a.toArray(), b.toArray());
        for (int i = 0; i < 50; i++) {
            float erased = 256 - a.select(0, i).sum().item();
            assertTrue(erased >= 0.05 * 256 && erased <= 0.25 * 256, "image " + i + " erased " + erased + " pixels");
        }
    }

    @TempDir
    Path dir;

    @Test
    void csvLoadsFeaturesAndTargetAndNamesBadCells() throws IOException {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "a,b,label\n1,2,0\n3,4,1\n");
        TensorDataset d = CsvDataset.load(f, -1, true);
        assertEquals(2, d.size());
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.inputs().toArray());
        assertArrayEquals(new float[] {0, 1}, d.targets().toArray());
        Files.writeString(f, "1,2,0\n3,x,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.load(f, 2, false));
        assertEquals("CsvDataset: " + f + ":2: column 1 is 'x', expected a number", e.getMessage());
    }
}
