package dev.anneal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.testing.RestoreThreadCount;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Fast convolution, pooling and normalization kernels against their direct reference loops, on 1 and 2 threads. */
@ExtendWith(RestoreThreadCount.class)
class ConvPoolNormKernelTest {
    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** Relative to the element, or to a tenth of the largest element for sums that cancel to near zero. */
    private static void close(String what, float[] expected, float[] actual, double rtol) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++)
            if (Math.abs(expected[i] - actual[i]) > rtol * Math.max(Math.abs(expected[i]), 0.1 * scale))
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
    }

    /** n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups */
    private static final int[][] GEOMETRIES = {
            {3, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1}, // K = 9 < 16 outputs: transposed weight-gradient GEMM
            {2, 2, 9, 8, 12, 1, 2, 1, 1, 0, 1, 1, 1, 2},
            {2, 6, 9, 11, 4, 3, 2, 2, 1, 1, 0, 1, 2, 2},
            {4, 5, 7, 7, 5, 3, 3, 1, 1, 2, 2, 2, 2, 5},
            {1, 17, 6, 5, 33, 1, 1, 1, 1, 0, 0, 1, 1, 1},
            {2, 4, 10, 9, 6, 5, 4, 3, 2, 2, 1, 1, 1, 2},
            {5, 3, 12, 12, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            // the Vector API direct path (stride 1, dilation 1, one group, padding < kernel): full and
            // partial register tiles in channels and positions, padding 0 and k−1, non-square kernels
            {3, 9, 14, 14, 37, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {2, 3, 6, 21, 5, 5, 3, 1, 1, 2, 0, 1, 1, 1},
            {2, 5, 5, 7, 6, 2, 2, 1, 1, 1, 1, 1, 1, 1},
            {1, 2, 3, 3, 3, 3, 3, 1, 1, 0, 0, 1, 1, 1},
            // compact layout (output rows as wide as input rows, ≥ 6 vectors per plane): tile plans of
            // 6..13 and 49 vectors, zero rows only above/below (ph 0), 5-wide kernels, rows of width 1 and 4
            {2, 2, 10, 10, 3, 5, 5, 1, 1, 2, 2, 1, 1, 1},
            {2, 3, 12, 12, 4, 3, 3, 1, 1, 0, 1, 1, 1, 1},
            {1, 2, 100, 1, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {1, 2, 30, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {2, 5, 12, 10, 7, 3, 1, 1, 1, 1, 0, 1, 1, 1},
            {2, 4, 8, 16, 5, 1, 3, 1, 1, 0, 1, 1, 1, 1},
            {1, 3, 11, 13, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {1, 2, 11, 14, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {1, 2, 11, 16, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {2, 4, 14, 14, 13, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            // channels-last weight gradient (input channels ≥ 16, padded to a multiple of the lanes),
            // with compact and padded spatial passes
            {2, 16, 14, 14, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {1, 20, 9, 11, 7, 3, 3, 1, 1, 0, 1, 1, 1, 1},
            {3, 33, 10, 10, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {2, 16, 12, 12, 4, 5, 5, 1, 1, 2, 2, 1, 1, 1},
            {1, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            // padded rows with several images side by side (forward over > 16 input channels, input
            // gradient over > 16 output channels): batches that leave a smaller last group, odd
            // widths, 5×5 kernels, output wider than the input (kw < 2·pw + 1), and kw > 2·pw + 1
            // (one image per row)
            {5, 24, 7, 9, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {3, 18, 14, 14, 19, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {7, 17, 5, 3, 18, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {3, 17, 9, 8, 18, 5, 5, 1, 1, 2, 2, 1, 1, 1},
            {4, 17, 6, 7, 17, 2, 2, 1, 1, 1, 1, 1, 1, 1},
            {4, 17, 6, 7, 17, 3, 3, 1, 1, 0, 0, 1, 1, 1},
            {2, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            // Winograd F(2, 3) along the columns (3-row kernels, even output rows, ≥ 16 input channels;
            // the input gradient too where the output channels and input rows qualify): rows wider than a
            // vector, 5-wide and 1-wide kernel rows, padding 2 (input gradient padded by 0), rows under
            // half a vector, smaller last groups
            {5, 16, 6, 20, 18, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {3, 17, 4, 7, 16, 3, 5, 1, 1, 1, 2, 1, 1, 1},
            {2, 16, 6, 5, 17, 3, 3, 1, 1, 2, 1, 1, 1, 1},
            {6, 20, 8, 3, 16, 3, 1, 1, 1, 1, 0, 1, 1, 1},
    };

    @Test
    void tilePlanCoversThePlaneWithinBounds() {
        for (int lanes : new int[] {8, 16})
            for (int plane = 6 * lanes; plane <= 70 * lanes; plane++) {
                int[] plan = Convolution.tilePlan(plane, lanes);
                boolean[] covered = new boolean[plane];
                for (int t = 0; t < plan.length; t += 2) {
                    int start = plan[t], width = plan[t + 1];
                    assertTrue(width == 6 || width == 5 || width == 4 || width == 2, "width " + width + " for plane " + plane);
                    assertTrue(start >= 0 && start + width * lanes <= plane, "tile [" + start + ", +" + width + "·" + lanes + ") in plane " + plane);
                    for (int i = start; i < start + width * lanes; i++) covered[i] = true;
                }
                for (int i = 0; i < plane; i++) assertTrue(covered[i], "position " + i + " of plane " + plane + " uncovered");
                // at most one vector's work more than the plane needs, beyond rounding up
                int units = 0;
                for (int t = 1; t < plan.length; t += 2) units += plan[t];
                assertTrue(units <= (plane + lanes - 1) / lanes + 1, "plane " + plane + ": " + units + " vectors");
            }
    }

    @Test
    void paddedRowsPutSeveralImagesSideBySideWhereThatSavesVectors() {
        Assumptions.assumeTrue(VectorSupport.enabled(), "the padded-row layout belongs to the Vector API path");
        // the CNN's 32 → 64 layer: one image per row wastes 2 of every 16 columns at 14×14
        int k = Convolution.imagesPerRow(32, 14, 14, 14, 14, 3, 3, 1, 1, 128);
        assertTrue(k > 1, "images per row " + k);
        int perImage = Convolution.PaddedRows.vectors(1, 14, 14, 14, 14, 1, 1);
        assertTrue(Convolution.PaddedRows.vectors(k, 14, 14, 14, 14, 1, 1) < k * perImage);
        assertEquals(1, Convolution.imagesPerRow(32, 14, 14, 14, 14, 3, 3, 1, 1, 1), "batch of one");
        assertEquals(1, Convolution.imagesPerRow(32, 14, 14, 12, 12, 3, 3, 0, 0, 128), "kw > 2·pw + 1 needs its own border");
        assertEquals(1, Convolution.imagesPerRow(512, 14, 14, 14, 14, 3, 3, 1, 1, 128), "a group's input must stay in L2");
    }

    @Test
    void winogradAlongColumnsTakesThreeRowKernelsWithEvenOutputRowsOverManyChannels() {
        assertTrue(Convolution.rowWinograd(32, 3, 14), "the CNN's 32 → 64 layer");
        assertFalse(Convolution.rowWinograd(1, 3, 28), "one input channel stays on the compact layout");
        assertFalse(Convolution.rowWinograd(32, 3, 13), "odd output rows");
        assertFalse(Convolution.rowWinograd(32, 5, 14), "5-row kernels");
    }

    @Test
    void convolutionMatchesDirectLoopsOnOneAndTwoThreads() {
        Random r = new Random(7);
        for (int[] q : GEOMETRIES) {
            Convolution.Geometry g = new Convolution.Geometry(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11],
                    q[12], q[13]);
            int xOff = 3;
            float[] x = random(r, xOff + g.n * g.c * g.h * g.w), w = random(r, g.o * g.kdim()), b = random(r, g.o);
            float[] gy = random(r, g.n * g.o * g.outPlane());
            float[] yRef = Convolution.forwardReference(g, x, xOff, w, 0, b, 0);
            float[] gxRef = new float[g.n * g.c * g.h * g.w], gwRef = new float[w.length], gbRef = new float[g.o];
            Convolution.backwardReference(g, x, xOff, w, 0, gy, gxRef, gwRef, gbRef);
            float[][] first = null;
            for (int threads : new int[] {1, 2, 2}) {
                Parallel.setThreads(threads);
                float[] y = Convolution.forward(g, x, xOff, w, 0, b, 0);
                float[] gx = new float[gxRef.length], gw = new float[gwRef.length], gb = new float[g.o];
                java.util.Arrays.fill(gx, 99f); // must be overwritten, not accumulated
                java.util.Arrays.fill(gw, 99f);
                Convolution.backward(g, x, xOff, w, 0, gy, gx, gw, gb);
                String what = g + " on " + threads + " threads";
                close(what + " y", yRef, y, 1e-5);
                close(what + " gx", gxRef, gx, 1e-5);
                close(what + " gw", gwRef, gw, 1e-5);
                close(what + " gb", gbRef, gb, 1e-5);
                if (threads == 2) {
                    if (first == null) first = new float[][] {y, gx, gw, gb};
                    else for (int k = 0; k < 4; k++) assertArrayEquals(first[k], new float[][] {y, gx, gw, gb}[k], what + ": repeatable");
                }
            }
        }
    }

    /**
     * Stride-1 convolutions of seeded random geometries around the fast paths' thresholds (13 to 53
     * input channels, 1 to 70 outputs, mostly 3-row kernels, widths 1 to 34, batches up to 24 so that
     * several images share a padded row, and smaller last groups): the Winograd, padded-row and compact
     * layouts pick their tile plans and image groupings from these, so a fixed list cannot reach every
     * combination. An offline sweep of 1400 such geometries found no mismatch; this keeps 40 of them.
     */
    @Test
    void convolutionMatchesDirectLoopsOverRandomGeometries() {
        Random r = new Random(2026);
        int checked = 0, winograd = 0;
        while (checked < 40) {
            int n = 1 + r.nextInt(r.nextBoolean() ? 6 : 24), c = 13 + r.nextInt(41), h = 2 + r.nextInt(29), w = 1 + r.nextInt(34);
            int o = 1 + r.nextInt(70), kh = r.nextInt(4) == 0 ? 1 + r.nextInt(5) : 3, kw = new int[] {1, 2, 3, 3, 3, 5}[r.nextInt(6)];
            int ph = r.nextInt(Math.min(3, kh)), pw = r.nextInt(Math.min(3, kw));
            if (h + 2 * ph < kh || w + 2 * pw < kw || (long) n * c * h * w > 400_000) continue;
            Convolution.Geometry g = new Convolution.Geometry(n, c, h, w, o, kh, kw, 1, 1, ph, pw, 1, 1, 1);
            if (Convolution.rowWinograd(c, kh, g.oh) || Convolution.rowWinograd(o, kh, h)) winograd++;
            int xOff = r.nextInt(4);
            float[] x = random(r, xOff + n * c * h * w), wt = random(r, o * g.kdim()), b = random(r, o), gy = random(r, n * o * g.outPlane());
            float[] gxRef = new float[n * c * h * w], gwRef = new float[wt.length], gbRef = new float[o];
            Convolution.backwardReference(g, x, xOff, wt, 0, gy, gxRef, gwRef, gbRef);
            int threads = 1 + checked % 2;
            Parallel.setThreads(threads);
            float[] gx = new float[gxRef.length], gw = new float[gwRef.length], gb = new float[o];
            java.util.Arrays.fill(gx, 99f);
            java.util.Arrays.fill(gw, 99f);
            Convolution.backward(g, x, xOff, wt, 0, gy, gx, gw, gb);
            // float sums of up to ~20 000 products (the weight gradient sums over n·oh·ow) against double
            // references: 1e-4 of the element (or of a tenth of the largest), where the fixed list uses 1e-5
            String what = g + " on " + threads + " threads";
            close(what + " y", Convolution.forwardReference(g, x, xOff, wt, 0, b, 0), Convolution.forward(g, x, xOff, wt, 0, b, 0), 1e-4);
            close(what + " gx", gxRef, gx, 1e-4);
            close(what + " gw", gwRef, gw, 1e-4);
            close(what + " gb", gbRef, gb, 1e-4);
            checked++;
        }
        assertTrue(winograd >= 10, "the draw reached the Winograd path only " + winograd + " times");
    }

    @Test
    void convolutionGradientsCanBeSkipped() {
        // transposed-dL/dy, channels-last and spatial weight-gradient paths; padded and compact input-gradient paths
        Convolution.Geometry[] geometries = {
                new Convolution.Geometry(2, 2, 5, 5, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                new Convolution.Geometry(2, 17, 6, 6, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                new Convolution.Geometry(2, 1, 12, 12, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1),
        };
        Random r = new Random(3);
        for (Convolution.Geometry g : geometries) {
            float[] x = random(r, g.n * g.c * g.h * g.w), w = random(r, g.o * g.kdim()), gy = random(r, g.n * g.o * g.outPlane());
            float[] gwRef = new float[w.length], gw = new float[w.length];
            Convolution.backwardReference(g, x, 0, w, 0, gy, null, gwRef, null);
            Convolution.backward(g, x, 0, w, 0, gy, null, gw, null);
            close(g + ": weight gradient only", gwRef, gw, 1e-5);
            float[] gxRef = new float[x.length], gx = new float[x.length];
            Convolution.backwardReference(g, x, 0, w, 0, gy, gxRef, null, null);
            Convolution.backward(g, x, 0, w, 0, gy, gx, null, null);
            close(g + ": input gradient only", gxRef, gx, 1e-5);
        }
    }

    @Test
    void maxPoolVectorAndReferenceAgreeIncludingTiesNaNAndMinusInfinity() {
        Random r = new Random(11);
        int[][] cases = { // h, w, kh, kw, sh, sw, ph, pw, dh, dw, ceil
                {5, 40, 2, 2, 2, 2, 0, 0, 1, 1, 0}, {6, 50, 3, 3, 1, 1, 1, 1, 1, 1, 0}, {7, 45, 3, 2, 2, 3, 1, 1, 2, 2, 1},
                {4, 70, 2, 3, 1, 2, 1, 1, 1, 3, 1}, {3, 5, 2, 2, 1, 1, 0, 0, 1, 1, 0}};
        for (int[] q : cases) {
            int planes = 3, h = q[0], w = q[1];
            int oh = Pooling.outSize(h, q[2], q[4], q[6], q[8], q[10] == 1), ow = Pooling.outSize(w, q[3], q[5], q[7], q[9], q[10] == 1);
            Pooling.Window win = new Pooling.Window(q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], oh, ow);
            float[] x = new float[planes * h * w];
            for (int i = 0; i < x.length; i++) x[i] = r.nextInt(4);
            x[r.nextInt(x.length)] = Float.NaN;
            for (int i = 0; i < h * w; i++) x[i] = Float.NEGATIVE_INFINITY; // a plane of −∞: the index is the window's first cell
            float[] yRef = new float[planes * oh * ow];
            int[] iRef = new int[yRef.length];
            for (int p = 0; p < planes; p++) Pooling.maxPlane(x, p * h * w, h, w, win, yRef, iRef, p * oh * ow, 0, ow);
            int[] idx = new int[yRef.length];
            float[] y = Pooling.maxForward(x, 0, planes, h, w, win, idx);
            assertArrayEquals(yRef, y, "max values " + java.util.Arrays.toString(q));
            assertArrayEquals(iRef, idx, "argmax " + java.util.Arrays.toString(q));
            assertTrue(idx[0] >= 0 && idx[0] < h * w);
        }
    }

    @Test
    void poolOutputSizeFollowsPyTorchCeilRule() {
        assertEquals(3, Pooling.outSize(7, 3, 2, 0, 1, false));
        assertEquals(3, Pooling.outSize(7, 3, 2, 0, 1, true));
        assertEquals(3, Pooling.outSize(6, 3, 2, 0, 1, true));
        assertEquals(4, Pooling.outSize(6, 2, 2, 1, 1, true));
        assertEquals(3, Pooling.outSize(5, 2, 2, 1, 1, true)); // a 4th window would start in the right padding: dropped
    }

    @Test
    void batchStatisticsSurviveALargeMean() {
        int n = 3, c = 2, s = 1000;
        Random r = new Random(5);
        float[] x = new float[n * c * s];
        for (int i = 0; i < x.length; i++) x[i] = 10000f + (float) r.nextGaussian() * 0.01f;
        float[] mean = new float[c], var = new float[c];
        Normalization.batchStats(x, 0, n, c, s, mean, var);
        for (int ch = 0; ch < c; ch++) {
            double m = 0, q = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) m += x[(i * c + ch) * s + j];
            m /= n * s;
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) q += Math.pow(x[(i * c + ch) * s + j] - m, 2);
            q /= n * s;
            assertEquals(m, mean[ch], 1e-3);
            assertEquals(q, var[ch], 1e-3 * q);
        }
    }
}
