package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link Convolution}'s own loops (the GEMMs dispatch through {@link Matmul}). */
final class ConvolutionVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ConvolutionVector() {}

    static void fill(float[] a, int off, int len, float v) {
        FloatVector bv = FloatVector.broadcast(S, v);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L) bv.intoArray(a, off + i);
        for (; i < len; i++) a[off + i] = v;
    }

    /** Lane sums in float, lanes and tail added in double. */
    static double sum(float[] a, int off, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, a, off + i));
        double s = Lanes.sum(acc);
        for (; i < len; i++) s += a[off + i];
        return s;
    }

    static void addInto(float[] src, int so, float[] dst, int d0, int len) {
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L)
            FloatVector.fromArray(S, dst, d0 + i).add(FloatVector.fromArray(S, src, so + i)).intoArray(dst, d0 + i);
        for (; i < len; i++) dst[d0 + i] += src[so + i];
    }

    // ---------------------------------------------------------------- direct stride-1 kernels

    /**
     * Spatially vectorized direct convolution of one image: out[r][i] = init(r) + Σ_k w[r][k] ·
     * in[colOff[k] + i] for i in [0, nv·L), where in holds zero-padded planes with row stride S
     * and colOff[k] = c·planeStride + ki·S + kj, so position i = oy·S + ox reads its receptive
     * field by shifted vector loads (columns ox ≥ OW are garbage, dropped by the caller).
     * Each output is one fma chain over k in order, so the result is independent of the tiling.
     */
    static void direct(float[] in, int[] colOff, int kdim, float[] w, int wOff, int rows, float[] bias, int bOff,
                       int nv, float[] out) {
        int rowLen = nv * L;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int w0 = wOff + r * kdim, w1 = w0 + kdim, w2 = w1 + kdim, w3 = w2 + kdim;
            float b0 = bias == null ? 0f : bias[bOff + r], b1 = bias == null ? 0f : bias[bOff + r + 1];
            float b2 = bias == null ? 0f : bias[bOff + r + 2], b3 = bias == null ? 0f : bias[bOff + r + 3];
            int o0 = r * rowLen;
            int v = 0;
            int tiles = (nv + 5) / 6;
            if (nv >= 5 * tiles) {
                // ceil(nv / 6) tiles of 6 and 5 vectors where that covers nv: no narrow tile at the end
                for (int t = 0, wider = nv - 5 * tiles; t < tiles; t++) {
                    if (t < wider) {
                        direct4x6(in, colOff, kdim, w, w0, w1, w2, w3, b0, b1, b2, b3, v * L, out, o0 + v * L, rowLen);
                        v += 6;
                    } else {
                        direct4x5(in, colOff, kdim, w, w0, w1, w2, w3, b0, b1, b2, b3, v * L, out, o0 + v * L, rowLen);
                        v += 5;
                    }
                }
            }
            for (; v + 6 <= nv; v += 6) direct4x6(in, colOff, kdim, w, w0, w1, w2, w3, b0, b1, b2, b3, v * L, out, o0 + v * L, rowLen);
            if (v + 4 <= nv) {
                direct4x4(in, colOff, kdim, w, w0, w1, w2, w3, b0, b1, b2, b3, v * L, out, o0 + v * L, rowLen);
                v += 4;
            }
            if (v + 2 <= nv) {
                direct4x2(in, colOff, kdim, w, w0, w1, w2, w3, b0, b1, b2, b3, v * L, out, o0 + v * L, rowLen);
                v += 2;
            }
            for (; v < nv; v++) direct4x1(in, colOff, kdim, w, w0, w1, w2, w3, b0, b1, b2, b3, v * L, out, o0 + v * L, rowLen);
        }
        for (; r < rows; r++) {
            int w0 = wOff + r * kdim;
            FloatVector init = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + r]);
            for (int v = 0; v < nv; v++) {
                int i = v * L;
                FloatVector a = init;
                for (int k = 0; k < kdim; k++)
                    a = FloatVector.fromArray(S, in, colOff[k] + i).fma(FloatVector.broadcast(S, w[w0 + k]), a);
                a.intoArray(out, r * rowLen + i);
            }
        }
    }

    /**
     * {@link #direct} with the loops swapped: each position tile runs every group of 4 output
     * channels before the next tile, so its inputs are read from L1 (for planes that do not fit there).
     */
    static void directByPosition(float[] in, int[] colOff, int kdim, float[] w, int wOff, int rows, int nv, float[] out) {
        int rowLen = nv * L, rows4 = rows & ~3, tiles = (nv + 5) / 6;
        boolean even = nv >= 5 * tiles;
        for (int v = 0, t = 0; v < nv; t++) {
            int width = even ? (t < nv - 5 * tiles ? 6 : 5) : nv - v >= 6 ? 6 : nv - v >= 4 ? 4 : nv - v >= 2 ? 2 : 1;
            int i = v * L;
            for (int r = 0; r < rows4; r += 4) {
                int w0 = wOff + r * kdim, w1 = w0 + kdim, w2 = w1 + kdim, w3 = w2 + kdim, o = r * rowLen + i;
                switch (width) {
                    case 6: direct4x6(in, colOff, kdim, w, w0, w1, w2, w3, 0f, 0f, 0f, 0f, i, out, o, rowLen); break;
                    case 5: direct4x5(in, colOff, kdim, w, w0, w1, w2, w3, 0f, 0f, 0f, 0f, i, out, o, rowLen); break;
                    case 4: direct4x4(in, colOff, kdim, w, w0, w1, w2, w3, 0f, 0f, 0f, 0f, i, out, o, rowLen); break;
                    case 2: direct4x2(in, colOff, kdim, w, w0, w1, w2, w3, 0f, 0f, 0f, 0f, i, out, o, rowLen); break;
                    default: direct4x1(in, colOff, kdim, w, w0, w1, w2, w3, 0f, 0f, 0f, 0f, i, out, o, rowLen); break;
                }
            }
            v += width;
        }
        for (int r = rows4; r < rows; r++) {
            int w0 = wOff + r * kdim;
            for (int v = 0; v < nv; v++) {
                int i = v * L;
                FloatVector a = FloatVector.zero(S);
                for (int k = 0; k < kdim; k++)
                    a = FloatVector.fromArray(S, in, colOff[k] + i).fma(FloatVector.broadcast(S, w[w0 + k]), a);
                a.intoArray(out, r * rowLen + i);
            }
        }
    }

    /**
     * {@link #direct} over planned position tiles, storing straight into the output planes:
     * tiles holds (start, width) pairs, width 6, 5, 4 or 2 vectors, covering [0, rowLen) with
     * overlaps allowed (an overlapped position gets the same fma chain twice, so the same value),
     * out[outOff + r·rowLen + i] for row r and position i.
     */
    static void directTiles(float[] in, int[] colOff, int kdim, float[] w, int wOff, int rows, float[] bias, int bOff,
                            int[] tiles, float[] out, int outOff, int rowLen) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int w0 = wOff + r * kdim, w1 = w0 + kdim, w2 = w1 + kdim, w3 = w2 + kdim;
            float b0 = bias == null ? 0f : bias[bOff + r], b1 = bias == null ? 0f : bias[bOff + r + 1];
            float b2 = bias == null ? 0f : bias[bOff + r + 2], b3 = bias == null ? 0f : bias[bOff + r + 3];
            int o0 = outOff + r * rowLen;
            for (int t = 0; t < tiles.length; t += 2) {
                int i = tiles[t];
                switch (tiles[t + 1]) {
                    case 6: direct4x6(in, colOff, kdim, w, w0, w1, w2, w3, b0, b1, b2, b3, i, out, o0 + i, rowLen); break;
                    case 5: direct4x5(in, colOff, kdim, w, w0, w1, w2, w3, b0, b1, b2, b3, i, out, o0 + i, rowLen); break;
                    case 4: direct4x4(in, colOff, kdim, w, w0, w1, w2, w3, b0, b1, b2, b3, i, out, o0 + i, rowLen); break;
                    default: direct4x2(in, colOff, kdim, w, w0, w1, w2, w3, b0, b1, b2, b3, i, out, o0 + i, rowLen); break;
                }
            }
        }
        for (; r < rows; r++) {
            int w0 = wOff + r * kdim;
            FloatVector init = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + r]);
            for (int t = 0; t < tiles.length; t += 2) {
                for (int v = 0; v < tiles[t + 1]; v++) {
                    int i = tiles[t] + v * L;
                    FloatVector a = init;
                    for (int k = 0; k < kdim; k++)
                        a = FloatVector.fromArray(S, in, colOff[k] + i).fma(FloatVector.broadcast(S, w[w0 + k]), a);
                    a.intoArray(out, outOff + r * rowLen + i);
                }
            }
        }
    }

    private static void direct4x5(float[] in, int[] colOff, int kdim, float[] w, int w0, int w1, int w2, int w3,
                                  float b0, float b1, float b2, float b3, int i, float[] out, int o, int rowLen) {
        FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00, a02 = a00, a03 = a00, a04 = a00;
        FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10, a12 = a10, a13 = a10, a14 = a10;
        FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20, a22 = a20, a23 = a20, a24 = a20;
        FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30, a32 = a30, a33 = a30, a34 = a30;
        for (int k = 0; k < kdim; k++) {
            int p = colOff[k] + i;
            FloatVector x0 = FloatVector.fromArray(S, in, p);
            FloatVector x1 = FloatVector.fromArray(S, in, p + 1 * L);
            FloatVector x2 = FloatVector.fromArray(S, in, p + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, in, p + 3 * L);
            FloatVector x4 = FloatVector.fromArray(S, in, p + 4 * L);
            FloatVector c0 = FloatVector.broadcast(S, w[w0 + k]);
            a00 = x0.fma(c0, a00); a01 = x1.fma(c0, a01); a02 = x2.fma(c0, a02); a03 = x3.fma(c0, a03); a04 = x4.fma(c0, a04);
            c0 = FloatVector.broadcast(S, w[w1 + k]);
            a10 = x0.fma(c0, a10); a11 = x1.fma(c0, a11); a12 = x2.fma(c0, a12); a13 = x3.fma(c0, a13); a14 = x4.fma(c0, a14);
            c0 = FloatVector.broadcast(S, w[w2 + k]);
            a20 = x0.fma(c0, a20); a21 = x1.fma(c0, a21); a22 = x2.fma(c0, a22); a23 = x3.fma(c0, a23); a24 = x4.fma(c0, a24);
            c0 = FloatVector.broadcast(S, w[w3 + k]);
            a30 = x0.fma(c0, a30); a31 = x1.fma(c0, a31); a32 = x2.fma(c0, a32); a33 = x3.fma(c0, a33); a34 = x4.fma(c0, a34);
        }
        a00.intoArray(out, o); a01.intoArray(out, o + 1 * L); a02.intoArray(out, o + 2 * L); a03.intoArray(out, o + 3 * L); a04.intoArray(out, o + 4 * L);
        o += rowLen;
        a10.intoArray(out, o); a11.intoArray(out, o + 1 * L); a12.intoArray(out, o + 2 * L); a13.intoArray(out, o + 3 * L); a14.intoArray(out, o + 4 * L);
        o += rowLen;
        a20.intoArray(out, o); a21.intoArray(out, o + 1 * L); a22.intoArray(out, o + 2 * L); a23.intoArray(out, o + 3 * L); a24.intoArray(out, o + 4 * L);
        o += rowLen;
        a30.intoArray(out, o); a31.intoArray(out, o + 1 * L); a32.intoArray(out, o + 2 * L); a33.intoArray(out, o + 3 * L); a34.intoArray(out, o + 4 * L);
    }

    private static void direct4x6(float[] in, int[] colOff, int kdim, float[] w, int w0, int w1, int w2, int w3,
                                  float b0, float b1, float b2, float b3, int i, float[] out, int o, int rowLen) {
        FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00, a02 = a00, a03 = a00, a04 = a00, a05 = a00;
        FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10, a12 = a10, a13 = a10, a14 = a10, a15 = a10;
        FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20, a22 = a20, a23 = a20, a24 = a20, a25 = a20;
        FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30, a32 = a30, a33 = a30, a34 = a30, a35 = a30;
        for (int k = 0; k < kdim; k++) {
            int p = colOff[k] + i;
            FloatVector x0 = FloatVector.fromArray(S, in, p);
            FloatVector x1 = FloatVector.fromArray(S, in, p + 1 * L);
            FloatVector x2 = FloatVector.fromArray(S, in, p + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, in, p + 3 * L);
            FloatVector x4 = FloatVector.fromArray(S, in, p + 4 * L);
            FloatVector x5 = FloatVector.fromArray(S, in, p + 5 * L);
            FloatVector c0 = FloatVector.broadcast(S, w[w0 + k]);
            a00 = x0.fma(c0, a00); a01 = x1.fma(c0, a01); a02 = x2.fma(c0, a02); a03 = x3.fma(c0, a03); a04 = x4.fma(c0, a04); a05 = x5.fma(c0, a05);
            c0 = FloatVector.broadcast(S, w[w1 + k]);
            a10 = x0.fma(c0, a10); a11 = x1.fma(c0, a11); a12 = x2.fma(c0, a12); a13 = x3.fma(c0, a13); a14 = x4.fma(c0, a14); a15 = x5.fma(c0, a15);
            c0 = FloatVector.broadcast(S, w[w2 + k]);
            a20 = x0.fma(c0, a20); a21 = x1.fma(c0, a21); a22 = x2.fma(c0, a22); a23 = x3.fma(c0, a23); a24 = x4.fma(c0, a24); a25 = x5.fma(c0, a25);
            c0 = FloatVector.broadcast(S, w[w3 + k]);
            a30 = x0.fma(c0, a30); a31 = x1.fma(c0, a31); a32 = x2.fma(c0, a32); a33 = x3.fma(c0, a33); a34 = x4.fma(c0, a34); a35 = x5.fma(c0, a35);
        }
        a00.intoArray(out, o); a01.intoArray(out, o + 1 * L); a02.intoArray(out, o + 2 * L); a03.intoArray(out, o + 3 * L); a04.intoArray(out, o + 4 * L); a05.intoArray(out, o + 5 * L);
        o += rowLen;
        a10.intoArray(out, o); a11.intoArray(out, o + 1 * L); a12.intoArray(out, o + 2 * L); a13.intoArray(out, o + 3 * L); a14.intoArray(out, o + 4 * L); a15.intoArray(out, o + 5 * L);
        o += rowLen;
        a20.intoArray(out, o); a21.intoArray(out, o + 1 * L); a22.intoArray(out, o + 2 * L); a23.intoArray(out, o + 3 * L); a24.intoArray(out, o + 4 * L); a25.intoArray(out, o + 5 * L);
        o += rowLen;
        a30.intoArray(out, o); a31.intoArray(out, o + 1 * L); a32.intoArray(out, o + 2 * L); a33.intoArray(out, o + 3 * L); a34.intoArray(out, o + 4 * L); a35.intoArray(out, o + 5 * L);
    }

    private static void direct4x4(float[] in, int[] colOff, int kdim, float[] w, int w0, int w1, int w2, int w3,
                                  float b0, float b1, float b2, float b3, int i, float[] out, int o, int rowLen) {
        FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10, a12 = a10, a13 = a10;
        FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20, a22 = a20, a23 = a20;
        FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30, a32 = a30, a33 = a30;
        for (int k = 0; k < kdim; k++) {
            int p = colOff[k] + i;
            FloatVector x0 = FloatVector.fromArray(S, in, p);
            FloatVector x1 = FloatVector.fromArray(S, in, p + 1 * L);
            FloatVector x2 = FloatVector.fromArray(S, in, p + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, in, p + 3 * L);
            FloatVector c0 = FloatVector.broadcast(S, w[w0 + k]);
            a00 = x0.fma(c0, a00); a01 = x1.fma(c0, a01); a02 = x2.fma(c0, a02); a03 = x3.fma(c0, a03);
            c0 = FloatVector.broadcast(S, w[w1 + k]);
            a10 = x0.fma(c0, a10); a11 = x1.fma(c0, a11); a12 = x2.fma(c0, a12); a13 = x3.fma(c0, a13);
            c0 = FloatVector.broadcast(S, w[w2 + k]);
            a20 = x0.fma(c0, a20); a21 = x1.fma(c0, a21); a22 = x2.fma(c0, a22); a23 = x3.fma(c0, a23);
            c0 = FloatVector.broadcast(S, w[w3 + k]);
            a30 = x0.fma(c0, a30); a31 = x1.fma(c0, a31); a32 = x2.fma(c0, a32); a33 = x3.fma(c0, a33);
        }
        a00.intoArray(out, o); a01.intoArray(out, o + 1 * L); a02.intoArray(out, o + 2 * L); a03.intoArray(out, o + 3 * L);
        o += rowLen;
        a10.intoArray(out, o); a11.intoArray(out, o + 1 * L); a12.intoArray(out, o + 2 * L); a13.intoArray(out, o + 3 * L);
        o += rowLen;
        a20.intoArray(out, o); a21.intoArray(out, o + 1 * L); a22.intoArray(out, o + 2 * L); a23.intoArray(out, o + 3 * L);
        o += rowLen;
        a30.intoArray(out, o); a31.intoArray(out, o + 1 * L); a32.intoArray(out, o + 2 * L); a33.intoArray(out, o + 3 * L);
    }

    private static void direct4x2(float[] in, int[] colOff, int kdim, float[] w, int w0, int w1, int w2, int w3,
                                  float b0, float b1, float b2, float b3, int i, float[] out, int o, int rowLen) {
        FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00;
        FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10;
        FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20;
        FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30;
        for (int k = 0; k < kdim; k++) {
            int p = colOff[k] + i;
            FloatVector x0 = FloatVector.fromArray(S, in, p);
            FloatVector x1 = FloatVector.fromArray(S, in, p + 1 * L);
            FloatVector c0 = FloatVector.broadcast(S, w[w0 + k]);
            a00 = x0.fma(c0, a00); a01 = x1.fma(c0, a01);
            c0 = FloatVector.broadcast(S, w[w1 + k]);
            a10 = x0.fma(c0, a10); a11 = x1.fma(c0, a11);
            c0 = FloatVector.broadcast(S, w[w2 + k]);
            a20 = x0.fma(c0, a20); a21 = x1.fma(c0, a21);
            c0 = FloatVector.broadcast(S, w[w3 + k]);
            a30 = x0.fma(c0, a30); a31 = x1.fma(c0, a31);
        }
        a00.intoArray(out, o); a01.intoArray(out, o + 1 * L);
        o += rowLen;
        a10.intoArray(out, o); a11.intoArray(out, o + 1 * L);
        o += rowLen;
        a20.intoArray(out, o); a21.intoArray(out, o + 1 * L);
        o += rowLen;
        a30.intoArray(out, o); a31.intoArray(out, o + 1 * L);
    }

    private static void direct4x1(float[] in, int[] colOff, int kdim, float[] w, int w0, int w1, int w2, int w3,
                                  float b0, float b1, float b2, float b3, int i, float[] out, int o, int rowLen) {
        FloatVector a0 = FloatVector.broadcast(S, b0), a1 = FloatVector.broadcast(S, b1);
        FloatVector a2 = FloatVector.broadcast(S, b2), a3 = FloatVector.broadcast(S, b3);
        for (int k = 0; k < kdim; k++) {
            FloatVector x = FloatVector.fromArray(S, in, colOff[k] + i);
            a0 = x.fma(FloatVector.broadcast(S, w[w0 + k]), a0);
            a1 = x.fma(FloatVector.broadcast(S, w[w1 + k]), a1);
            a2 = x.fma(FloatVector.broadcast(S, w[w2 + k]), a2);
            a3 = x.fma(FloatVector.broadcast(S, w[w3 + k]), a3);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + rowLen);
        a2.intoArray(out, o + 2 * rowLen);
        a3.intoArray(out, o + 3 * rowLen);
    }

    /**
     * Weight gradient of one image, vectorized over output channels: acc[k][r] += Σ_q
     * in[colOff[k] + pos[q]] · dyT[q·ldr + r] for r in [0, ldr), ldr a multiple of 2·L, where
     * pos[q] is output position q's offset in the padded input plane and dyT is dL/dy transposed to
     * position-major, zero-padded in r. Each acc element gets one fma chain over q in order, then
     * one add. (One flat loop over a position table: C2 compiled a nested oy/ox loop with these
     * 16 accumulators about 20× slower.)
     */
    static void weightGrad(float[] in, int[] colOff, int kdim, int[] pos, float[] dyT, int ldr, float[] acc) {
        int r = 0;
        for (; r + 4 * L <= ldr; r += 4 * L) {
            int k = 0;
            for (; k + 6 <= kdim; k += 6) weightGrad6x4(in, colOff, k, pos, dyT, ldr, r, acc);
            weightGradColumns(in, colOff, k, kdim, pos, dyT, ldr, r, acc);
            weightGradColumns(in, colOff, k, kdim, pos, dyT, ldr, r + 2 * L, acc);
        }
        for (; r < ldr; r += 2 * L) {
            int k = 0;
            for (; k + 8 <= kdim; k += 8) weightGrad8(in, colOff, k, pos, dyT, ldr, r, acc);
            weightGradColumns(in, colOff, k, kdim, pos, dyT, ldr, r, acc);
        }
    }

    /** Columns [k0, k1) one at a time, output channels [r, r + 2·L). */
    private static void weightGradColumns(float[] in, int[] colOff, int k0, int k1, int[] pos, float[] dyT, int ldr, int r,
                                          float[] acc) {
        for (int k = k0; k < k1; k++) {
            FloatVector s0 = FloatVector.zero(S), s1 = s0;
            int c0 = colOff[k];
            for (int q = 0, np = pos.length, d = r; q < np; q++, d += ldr) {
                FloatVector x = FloatVector.broadcast(S, in[c0 + pos[q]]);
                s0 = FloatVector.fromArray(S, dyT, d).fma(x, s0);
                s1 = FloatVector.fromArray(S, dyT, d + L).fma(x, s1);
            }
            int at = k * ldr + r;
            FloatVector.fromArray(S, acc, at).add(s0).intoArray(acc, at);
            FloatVector.fromArray(S, acc, at + L).add(s1).intoArray(acc, at + L);
        }
    }

    /** 6 columns × 4 vectors of output channels (24 accumulators): fewer loads per fma than 8 × 2 when ldr ≥ 4·L. */
    private static void weightGrad6x4(float[] in, int[] colOff, int k, int[] pos, float[] dyT, int ldr, int r, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z, s01 = z, s02 = z, s03 = z;
        FloatVector s10 = z, s11 = z, s12 = z, s13 = z;
        FloatVector s20 = z, s21 = z, s22 = z, s23 = z;
        FloatVector s30 = z, s31 = z, s32 = z, s33 = z;
        FloatVector s40 = z, s41 = z, s42 = z, s43 = z;
        FloatVector s50 = z, s51 = z, s52 = z, s53 = z;
        int c0 = colOff[k], c1 = colOff[k + 1], c2 = colOff[k + 2], c3 = colOff[k + 3], c4 = colOff[k + 4], c5 = colOff[k + 5];
        for (int q = 0, np = pos.length, d = r; q < np; q++, d += ldr) {
            int p = pos[q];
            FloatVector d0 = FloatVector.fromArray(S, dyT, d);
            FloatVector d1 = FloatVector.fromArray(S, dyT, d + 1 * L);
            FloatVector d2 = FloatVector.fromArray(S, dyT, d + 2 * L);
            FloatVector d3 = FloatVector.fromArray(S, dyT, d + 3 * L);
            FloatVector x = FloatVector.broadcast(S, in[c0 + p]);
            s00 = d0.fma(x, s00); s01 = d1.fma(x, s01); s02 = d2.fma(x, s02); s03 = d3.fma(x, s03);
            x = FloatVector.broadcast(S, in[c1 + p]);
            s10 = d0.fma(x, s10); s11 = d1.fma(x, s11); s12 = d2.fma(x, s12); s13 = d3.fma(x, s13);
            x = FloatVector.broadcast(S, in[c2 + p]);
            s20 = d0.fma(x, s20); s21 = d1.fma(x, s21); s22 = d2.fma(x, s22); s23 = d3.fma(x, s23);
            x = FloatVector.broadcast(S, in[c3 + p]);
            s30 = d0.fma(x, s30); s31 = d1.fma(x, s31); s32 = d2.fma(x, s32); s33 = d3.fma(x, s33);
            x = FloatVector.broadcast(S, in[c4 + p]);
            s40 = d0.fma(x, s40); s41 = d1.fma(x, s41); s42 = d2.fma(x, s42); s43 = d3.fma(x, s43);
            x = FloatVector.broadcast(S, in[c5 + p]);
            s50 = d0.fma(x, s50); s51 = d1.fma(x, s51); s52 = d2.fma(x, s52); s53 = d3.fma(x, s53);
        }
        int at = k * ldr + r;
        FloatVector.fromArray(S, acc, at).add(s00).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + 1 * L).add(s01).intoArray(acc, at + 1 * L);
        FloatVector.fromArray(S, acc, at + 2 * L).add(s02).intoArray(acc, at + 2 * L);
        FloatVector.fromArray(S, acc, at + 3 * L).add(s03).intoArray(acc, at + 3 * L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s10).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + 1 * L).add(s11).intoArray(acc, at + 1 * L);
        FloatVector.fromArray(S, acc, at + 2 * L).add(s12).intoArray(acc, at + 2 * L);
        FloatVector.fromArray(S, acc, at + 3 * L).add(s13).intoArray(acc, at + 3 * L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s20).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + 1 * L).add(s21).intoArray(acc, at + 1 * L);
        FloatVector.fromArray(S, acc, at + 2 * L).add(s22).intoArray(acc, at + 2 * L);
        FloatVector.fromArray(S, acc, at + 3 * L).add(s23).intoArray(acc, at + 3 * L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s30).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + 1 * L).add(s31).intoArray(acc, at + 1 * L);
        FloatVector.fromArray(S, acc, at + 2 * L).add(s32).intoArray(acc, at + 2 * L);
        FloatVector.fromArray(S, acc, at + 3 * L).add(s33).intoArray(acc, at + 3 * L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s40).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + 1 * L).add(s41).intoArray(acc, at + 1 * L);
        FloatVector.fromArray(S, acc, at + 2 * L).add(s42).intoArray(acc, at + 2 * L);
        FloatVector.fromArray(S, acc, at + 3 * L).add(s43).intoArray(acc, at + 3 * L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s50).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + 1 * L).add(s51).intoArray(acc, at + 1 * L);
        FloatVector.fromArray(S, acc, at + 2 * L).add(s52).intoArray(acc, at + 2 * L);
        FloatVector.fromArray(S, acc, at + 3 * L).add(s53).intoArray(acc, at + 3 * L);
    }

    private static void weightGrad8(float[] in, int[] colOff, int k, int[] pos, float[] dyT, int ldr, int r, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z, s01 = z, s10 = z, s11 = z, s20 = z, s21 = z, s30 = z, s31 = z;
        FloatVector s40 = z, s41 = z, s50 = z, s51 = z, s60 = z, s61 = z, s70 = z, s71 = z;
        int c0 = colOff[k], c1 = colOff[k + 1], c2 = colOff[k + 2], c3 = colOff[k + 3];
        int c4 = colOff[k + 4], c5 = colOff[k + 5], c6 = colOff[k + 6], c7 = colOff[k + 7];
        for (int q = 0, np = pos.length, d = r; q < np; q++, d += ldr) {
            int p = pos[q];
            FloatVector d0 = FloatVector.fromArray(S, dyT, d), d1 = FloatVector.fromArray(S, dyT, d + L);
            FloatVector x = FloatVector.broadcast(S, in[c0 + p]);
            s00 = d0.fma(x, s00); s01 = d1.fma(x, s01);
            x = FloatVector.broadcast(S, in[c1 + p]);
            s10 = d0.fma(x, s10); s11 = d1.fma(x, s11);
            x = FloatVector.broadcast(S, in[c2 + p]);
            s20 = d0.fma(x, s20); s21 = d1.fma(x, s21);
            x = FloatVector.broadcast(S, in[c3 + p]);
            s30 = d0.fma(x, s30); s31 = d1.fma(x, s31);
            x = FloatVector.broadcast(S, in[c4 + p]);
            s40 = d0.fma(x, s40); s41 = d1.fma(x, s41);
            x = FloatVector.broadcast(S, in[c5 + p]);
            s50 = d0.fma(x, s50); s51 = d1.fma(x, s51);
            x = FloatVector.broadcast(S, in[c6 + p]);
            s60 = d0.fma(x, s60); s61 = d1.fma(x, s61);
            x = FloatVector.broadcast(S, in[c7 + p]);
            s70 = d0.fma(x, s70); s71 = d1.fma(x, s71);
        }
        int at = k * ldr + r;
        FloatVector.fromArray(S, acc, at).add(s00).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + L).add(s01).intoArray(acc, at + L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s10).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + L).add(s11).intoArray(acc, at + L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s20).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + L).add(s21).intoArray(acc, at + L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s30).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + L).add(s31).intoArray(acc, at + L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s40).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + L).add(s41).intoArray(acc, at + L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s50).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + L).add(s51).intoArray(acc, at + L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s60).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + L).add(s61).intoArray(acc, at + L);
        at += ldr;
        FloatVector.fromArray(S, acc, at).add(s70).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + L).add(s71).intoArray(acc, at + L);
    }

    /**
     * Weight gradient of one image from channel-last input, vectorized over input channels:
     * acc[(o·kh + ki)·rowLen + j] += Σ_q dy[dyOff + o·np + q] · inT[pos[q] + ki·rowStride + j] for
     * j in [0, rowLen), rowLen = kw·ldc a multiple of L, where inT is the zero-padded input in
     * [padded position][ldc channels] layout, so the kw taps of kernel row ki are one contiguous
     * run of rowLen floats, and pos[q] is output position q's offset there. Each acc element gets
     * one fma chain over q in order, then one add.
     */
    static void weightGradChannelsLast(float[] inT, int[] pos, int rowStride, int kh, int rowLen, float[] dy, int dyOff,
                                       int outs, float[] acc) {
        int np = pos.length, nv = rowLen / L;
        int o = 0;
        for (; o + 4 <= outs; o += 4) {
            int d0 = dyOff + o * np;
            for (int ki = 0; ki < kh; ki++) {
                int at = (o * kh + ki) * rowLen, base = ki * rowStride;
                int v = 0;
                for (; v + 6 <= nv; v += 6) channelsLast4x6(inT, pos, base + v * L, dy, d0, np, acc, at + v * L, kh * rowLen);
                for (; v < nv; v++) channelsLast4x1(inT, pos, base + v * L, dy, d0, np, acc, at + v * L, kh * rowLen);
            }
        }
        for (; o < outs; o++) {
            int d0 = dyOff + o * np;
            for (int ki = 0; ki < kh; ki++) {
                int at = (o * kh + ki) * rowLen, base = ki * rowStride;
                for (int v = 0; v < nv; v++) {
                    FloatVector s0 = FloatVector.zero(S);
                    for (int q = 0; q < np; q++)
                        s0 = FloatVector.fromArray(S, inT, pos[q] + base + v * L).fma(FloatVector.broadcast(S, dy[d0 + q]), s0);
                    int a = at + v * L;
                    FloatVector.fromArray(S, acc, a).add(s0).intoArray(acc, a);
                }
            }
        }
    }

    /** 4 output channels × 6 vectors of (tap, input channel): 6 loads and 4 broadcasts per 24 fma. */
    private static void channelsLast4x6(float[] inT, int[] pos, int base, float[] dy, int d0, int np, float[] acc, int at, int accRow) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s04 = z, s05 = z;
        FloatVector s10 = z, s11 = z, s12 = z, s13 = z, s14 = z, s15 = z;
        FloatVector s20 = z, s21 = z, s22 = z, s23 = z, s24 = z, s25 = z;
        FloatVector s30 = z, s31 = z, s32 = z, s33 = z, s34 = z, s35 = z;
        int d1 = d0 + np, d2 = d1 + np, d3 = d2 + np;
        for (int q = 0; q < np; q++) {
            int p = pos[q] + base;
            FloatVector x0 = FloatVector.fromArray(S, inT, p);
            FloatVector x1 = FloatVector.fromArray(S, inT, p + 1 * L);
            FloatVector x2 = FloatVector.fromArray(S, inT, p + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, inT, p + 3 * L);
            FloatVector x4 = FloatVector.fromArray(S, inT, p + 4 * L);
            FloatVector x5 = FloatVector.fromArray(S, inT, p + 5 * L);
            FloatVector c = FloatVector.broadcast(S, dy[d0 + q]);
            s00 = x0.fma(c, s00); s01 = x1.fma(c, s01); s02 = x2.fma(c, s02); s03 = x3.fma(c, s03); s04 = x4.fma(c, s04); s05 = x5.fma(c, s05);
            c = FloatVector.broadcast(S, dy[d1 + q]);
            s10 = x0.fma(c, s10); s11 = x1.fma(c, s11); s12 = x2.fma(c, s12); s13 = x3.fma(c, s13); s14 = x4.fma(c, s14); s15 = x5.fma(c, s15);
            c = FloatVector.broadcast(S, dy[d2 + q]);
            s20 = x0.fma(c, s20); s21 = x1.fma(c, s21); s22 = x2.fma(c, s22); s23 = x3.fma(c, s23); s24 = x4.fma(c, s24); s25 = x5.fma(c, s25);
            c = FloatVector.broadcast(S, dy[d3 + q]);
            s30 = x0.fma(c, s30); s31 = x1.fma(c, s31); s32 = x2.fma(c, s32); s33 = x3.fma(c, s33); s34 = x4.fma(c, s34); s35 = x5.fma(c, s35);
        }
        // written out: passing the accumulators to a helper made C2 box them in the loop (~50× slower)
        FloatVector.fromArray(S, acc, at).add(s00).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + 1 * L).add(s01).intoArray(acc, at + 1 * L);
        FloatVector.fromArray(S, acc, at + 2 * L).add(s02).intoArray(acc, at + 2 * L);
        FloatVector.fromArray(S, acc, at + 3 * L).add(s03).intoArray(acc, at + 3 * L);
        FloatVector.fromArray(S, acc, at + 4 * L).add(s04).intoArray(acc, at + 4 * L);
        FloatVector.fromArray(S, acc, at + 5 * L).add(s05).intoArray(acc, at + 5 * L);
        at += accRow;
        FloatVector.fromArray(S, acc, at).add(s10).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + 1 * L).add(s11).intoArray(acc, at + 1 * L);
        FloatVector.fromArray(S, acc, at + 2 * L).add(s12).intoArray(acc, at + 2 * L);
        FloatVector.fromArray(S, acc, at + 3 * L).add(s13).intoArray(acc, at + 3 * L);
        FloatVector.fromArray(S, acc, at + 4 * L).add(s14).intoArray(acc, at + 4 * L);
        FloatVector.fromArray(S, acc, at + 5 * L).add(s15).intoArray(acc, at + 5 * L);
        at += accRow;
        FloatVector.fromArray(S, acc, at).add(s20).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + 1 * L).add(s21).intoArray(acc, at + 1 * L);
        FloatVector.fromArray(S, acc, at + 2 * L).add(s22).intoArray(acc, at + 2 * L);
        FloatVector.fromArray(S, acc, at + 3 * L).add(s23).intoArray(acc, at + 3 * L);
        FloatVector.fromArray(S, acc, at + 4 * L).add(s24).intoArray(acc, at + 4 * L);
        FloatVector.fromArray(S, acc, at + 5 * L).add(s25).intoArray(acc, at + 5 * L);
        at += accRow;
        FloatVector.fromArray(S, acc, at).add(s30).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + 1 * L).add(s31).intoArray(acc, at + 1 * L);
        FloatVector.fromArray(S, acc, at + 2 * L).add(s32).intoArray(acc, at + 2 * L);
        FloatVector.fromArray(S, acc, at + 3 * L).add(s33).intoArray(acc, at + 3 * L);
        FloatVector.fromArray(S, acc, at + 4 * L).add(s34).intoArray(acc, at + 4 * L);
        FloatVector.fromArray(S, acc, at + 5 * L).add(s35).intoArray(acc, at + 5 * L);
    }

    private static void channelsLast4x1(float[] inT, int[] pos, int base, float[] dy, int d0, int np, float[] acc, int at, int accRow) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int d1 = d0 + np, d2 = d1 + np, d3 = d2 + np;
        for (int q = 0; q < np; q++) {
            FloatVector x = FloatVector.fromArray(S, inT, pos[q] + base);
            s0 = x.fma(FloatVector.broadcast(S, dy[d0 + q]), s0);
            s1 = x.fma(FloatVector.broadcast(S, dy[d1 + q]), s1);
            s2 = x.fma(FloatVector.broadcast(S, dy[d2 + q]), s2);
            s3 = x.fma(FloatVector.broadcast(S, dy[d3 + q]), s3);
        }
        FloatVector.fromArray(S, acc, at).add(s0).intoArray(acc, at);
        FloatVector.fromArray(S, acc, at + accRow).add(s1).intoArray(acc, at + accRow);
        FloatVector.fromArray(S, acc, at + 2 * accRow).add(s2).intoArray(acc, at + 2 * accRow);
        FloatVector.fromArray(S, acc, at + 3 * accRow).add(s3).intoArray(acc, at + 3 * accRow);
    }

    /**
     * Weight gradient of one image, vectorized over output positions: lanes[(o·kdim + k)·L + j] +=
     * Σ_v dy[dyOff + o·plane + v·L + j] · in[colOff[k] + v·L + j] over the nv full vectors of the
     * plane, with in the shifted copies of {@link Convolution}'s compact layout (so position i
     * reads cell k at colOff[k] + i). The lanes are summed once at the end by the caller.
     */
    static void weightGradSpatial(float[] in, int[] colOff, int kdim, float[] dy, int dyOff, int plane, int outs, int nv,
                                  float[] lanes) {
        int o = 0;
        for (; o + 4 <= outs; o += 4) {
            int d0 = dyOff + o * plane;
            int k = 0;
            for (; k + 3 <= kdim; k += 3) spatial4x3(in, colOff[k], colOff[k + 1], colOff[k + 2], dy, d0, plane, nv, lanes, (o * kdim + k) * L, kdim * L);
            for (; k < kdim; k++)
                for (int r = 0; r < 4; r++) spatial1x1(in, colOff[k], dy, d0 + r * plane, nv, lanes, ((o + r) * kdim + k) * L);
        }
        for (; o < outs; o++)
            for (int k = 0; k < kdim; k++) spatial1x1(in, colOff[k], dy, dyOff + o * plane, nv, lanes, (o * kdim + k) * L);
    }

    /** 4 output channels × 3 cells: 7 loads per 12 fma. */
    private static void spatial4x3(float[] in, int c0, int c1, int c2, float[] dy, int d0, int plane, int nv, float[] lanes, int at,
                                   int row) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z, s01 = z, s02 = z, s10 = z, s11 = z, s12 = z, s20 = z, s21 = z, s22 = z, s30 = z, s31 = z, s32 = z;
        int d1 = d0 + plane, d2 = d1 + plane, d3 = d2 + plane;
        for (int v = 0, i = 0; v < nv; v++, i += L) {
            FloatVector x0 = FloatVector.fromArray(S, in, c0 + i);
            FloatVector x1 = FloatVector.fromArray(S, in, c1 + i);
            FloatVector x2 = FloatVector.fromArray(S, in, c2 + i);
            FloatVector g = FloatVector.fromArray(S, dy, d0 + i);
            s00 = x0.fma(g, s00); s01 = x1.fma(g, s01); s02 = x2.fma(g, s02);
            g = FloatVector.fromArray(S, dy, d1 + i);
            s10 = x0.fma(g, s10); s11 = x1.fma(g, s11); s12 = x2.fma(g, s12);
            g = FloatVector.fromArray(S, dy, d2 + i);
            s20 = x0.fma(g, s20); s21 = x1.fma(g, s21); s22 = x2.fma(g, s22);
            g = FloatVector.fromArray(S, dy, d3 + i);
            s30 = x0.fma(g, s30); s31 = x1.fma(g, s31); s32 = x2.fma(g, s32);
        }
        FloatVector.fromArray(S, lanes, at).add(s00).intoArray(lanes, at);
        FloatVector.fromArray(S, lanes, at + L).add(s01).intoArray(lanes, at + L);
        FloatVector.fromArray(S, lanes, at + 2 * L).add(s02).intoArray(lanes, at + 2 * L);
        at += row;
        FloatVector.fromArray(S, lanes, at).add(s10).intoArray(lanes, at);
        FloatVector.fromArray(S, lanes, at + L).add(s11).intoArray(lanes, at + L);
        FloatVector.fromArray(S, lanes, at + 2 * L).add(s12).intoArray(lanes, at + 2 * L);
        at += row;
        FloatVector.fromArray(S, lanes, at).add(s20).intoArray(lanes, at);
        FloatVector.fromArray(S, lanes, at + L).add(s21).intoArray(lanes, at + L);
        FloatVector.fromArray(S, lanes, at + 2 * L).add(s22).intoArray(lanes, at + 2 * L);
        at += row;
        FloatVector.fromArray(S, lanes, at).add(s30).intoArray(lanes, at);
        FloatVector.fromArray(S, lanes, at + L).add(s31).intoArray(lanes, at + L);
        FloatVector.fromArray(S, lanes, at + 2 * L).add(s32).intoArray(lanes, at + 2 * L);
    }

    private static void spatial1x1(float[] in, int c0, float[] dy, int d0, int nv, float[] lanes, int at) {
        FloatVector s0 = FloatVector.zero(S);
        for (int v = 0, i = 0; v < nv; v++, i += L)
            s0 = FloatVector.fromArray(S, in, c0 + i).fma(FloatVector.fromArray(S, dy, d0 + i), s0);
        FloatVector.fromArray(S, lanes, at).add(s0).intoArray(lanes, at);
    }

    /**
     * Input transform of Winograd F(2, 3) along the columns of padded planes (Lavin & Gray 2016,
     * B^T = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]): for tile row t, rows r0..r3 = padded rows
     * 2t..2t+3 of each channel, v[ξ·xiStride + c·planeV + t·rs + j] = (B^T r)[ξ] at column j.
     */
    static void winogradInput(float[] in, int channels, int planeStride, int rs, int tiles, float[] v, int planeV, int xiStride) {
        for (int c = 0; c < channels; c++)
            for (int t = 0; t < tiles; t++) {
                int s = c * planeStride + 2 * t * rs, d = c * planeV + t * rs;
                if (rs < L) {
                    for (int j = 0; j < rs; j++) {
                        float r0 = in[s + j], r1 = in[s + rs + j], r2 = in[s + 2 * rs + j], r3 = in[s + 3 * rs + j];
                        v[d + j] = r0 - r2;
                        v[xiStride + d + j] = r1 + r2;
                        v[2 * xiStride + d + j] = r2 - r1;
                        v[3 * xiStride + d + j] = r1 - r3;
                    }
                    continue;
                }
                // the last vector is shifted back to end at the row's end (recomputes a few columns)
                for (int j = 0; ; j += L) {
                    int at = Math.min(j, rs - L);
                    FloatVector r0 = FloatVector.fromArray(S, in, s + at), r1 = FloatVector.fromArray(S, in, s + rs + at);
                    FloatVector r2 = FloatVector.fromArray(S, in, s + 2 * rs + at), r3 = FloatVector.fromArray(S, in, s + 3 * rs + at);
                    r0.sub(r2).intoArray(v, d + at);
                    r1.add(r2).intoArray(v, xiStride + d + at);
                    r2.sub(r1).intoArray(v, 2 * xiStride + d + at);
                    r1.sub(r3).intoArray(v, 3 * xiStride + d + at);
                    if (at == rs - L) break;
                }
            }
    }

    /**
     * Output transform of Winograd F(2, 3) along the columns (A^T = [1 1 1 0; 0 1 −1 −1]), fused
     * with unpadding: for output channel r, image j, tile row t and column x, with m_ξ read at
     * r·rowLen + t·rs + j·seg + x, dst[d0 + j·imgStride + r·plane + 2t·ow + x] = m0 + m1 + m2 + b
     * and the next row m1 − m2 − m3 + b. Rows narrower than a vector are stored whole in ascending
     * order (the spill lands on the next rows, written afterwards) unless it would leave the plane;
     * those go through tmp (one vector).
     */
    static void winogradOutput(float[] m0, float[] m1, float[] m2, float[] m3, int rowLen, int outs, float[] bias, int bOff,
                               int tiles, int rs, int seg, int images, int ow, float[] dst, int d0, int imgStride, int plane,
                               float[] tmp) {
        for (int r = 0; r < outs; r++) {
            FloatVector b = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + r]);
            for (int j = 0; j < images; j++)
                for (int t = 0; t < tiles; t++) {
                    int s = r * rowLen + t * rs + j * seg, d = d0 + j * imgStride + r * plane + 2 * t * ow;
                    if (ow < L) {
                        int end = d0 + j * imgStride + (r + 1) * plane;
                        FloatVector a1 = FloatVector.fromArray(S, m1, s), a2 = FloatVector.fromArray(S, m2, s);
                        FloatVector y0 = FloatVector.fromArray(S, m0, s).add(a1).add(a2).add(b);
                        FloatVector y1 = a1.sub(a2).sub(FloatVector.fromArray(S, m3, s)).add(b);
                        if (d + L <= end) {
                            y0.intoArray(dst, d);
                        } else {
                            y0.intoArray(tmp, 0);
                            System.arraycopy(tmp, 0, dst, d, ow);
                        }
                        if (d + ow + L <= end) {
                            y1.intoArray(dst, d + ow);
                        } else {
                            y1.intoArray(tmp, 0);
                            System.arraycopy(tmp, 0, dst, d + ow, ow);
                        }
                        continue;
                    }
                    for (int x = 0; ; x += L) {
                        int at = Math.min(x, ow - L);
                        FloatVector a1 = FloatVector.fromArray(S, m1, s + at), a2 = FloatVector.fromArray(S, m2, s + at);
                        FloatVector y0 = FloatVector.fromArray(S, m0, s + at).add(a1).add(a2).add(b);
                        FloatVector y1 = a1.sub(a2).sub(FloatVector.fromArray(S, m3, s + at)).add(b);
                        y0.intoArray(dst, d + at);
                        y1.intoArray(dst, d + ow + at);
                        if (at == ow - L) break;
                    }
                }
        }
    }

    /**
     * Copies images planes [channels, h, w] (src[so + j·imgStride...]) into the interiors of padded
     * planes: row y of channel c of image j goes to dst[c·planeStride + (y + ph)·rs + pw + j·seg].
     * A row narrower than a vector is stored as one whole vector and the spill past it zeroed
     * again where it lands on padding or on data stored afterwards.
     */
    static void padRows(float[] src, int so, int imgStride, int images, int seg, int channels, int h, int w, float[] dst,
                        int planeStride, int rs, int ph, int pw) {
        if (w < L) {
            // image by image (each channel plane read in one sequential run: ~25% faster than row by row
            // across the images); a row is stored as one whole vector whose spill, zeroed again, lands on
            // borders and later images' rows, written afterwards, if it stays within the padded row (one
            // image: on the next rows of the same image); otherwise (the last image's rows, whose spill
            // would land on image 0's next row) the row is copied exactly
            for (int c = 0; c < channels; c++)
                for (int j = 0; j < images; j++) {
                    boolean exact = images > 1 && j * seg + pw + L > rs;
                    for (int y = 0; y < h; y++) {
                        int s = so + j * imgStride + (c * h + y) * w, d = c * planeStride + (y + ph) * rs + pw + j * seg;
                        if (!exact && s + L <= src.length && d + L <= dst.length) {
                            FloatVector.fromArray(S, src, s).intoArray(dst, d);
                            for (int i = w; i < L; i++) dst[d + i] = 0f;
                        } else {
                            System.arraycopy(src, s, dst, d, w);
                        }
                    }
                }
            return;
        }
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < h; y++)
                for (int j = 0; j < images; j++) {
                    int s = so + j * imgStride + (c * h + y) * w, d = c * planeStride + (y + ph) * rs + pw + j * seg;
                    if (w >= L) {
                        int i = 0;
                        for (; i + L <= w; i += L) FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
                        if (i < w) FloatVector.fromArray(S, src, s + w - L).intoArray(dst, d + w - L);
                    } else if (s + L <= src.length && d + L <= dst.length) {
                        FloatVector.fromArray(S, src, s).intoArray(dst, d);
                        for (int i = w; i < L; i++) dst[d + i] = 0f;
                    } else {
                        System.arraycopy(src, s, dst, d, w);
                    }
                }
    }

    /**
     * Copies the valid oh×ow corner of rows padded to rs (planes rowLen apart, starting at src[s0])
     * into dense planes at d0, rows in ascending order; a row narrower than a vector is stored as
     * one whole vector whose spill the next row overwrites, except where it would pass dLimit.
     */
    static void unpadRows(float[] src, int s0, int rowLen, int rs, int channels, int oh, int ow, float[] dst, int d0, int dLimit) {
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < oh; y++) {
                int s = s0 + c * rowLen + y * rs, d = d0 + (c * oh + y) * ow;
                if (ow >= L) {
                    int j = 0;
                    for (; j + L <= ow; j += L) FloatVector.fromArray(S, src, s + j).intoArray(dst, d + j);
                    if (j < ow) FloatVector.fromArray(S, src, s + ow - L).intoArray(dst, d + ow - L);
                } else if (d + L <= dLimit && s + L <= src.length) {
                    FloatVector.fromArray(S, src, s).intoArray(dst, d);
                } else {
                    System.arraycopy(src, s, dst, d, ow);
                }
            }
    }

    static int lanes() {
        return L;
    }
}
