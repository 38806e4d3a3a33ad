package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API GEMM (the only GEMM class that touches {@code jdk.incubator.vector}; loaded only when
 * {@link VectorSupport#enabled()}). Arguments are validated by {@link Matmul}; m, n, k are positive.
 *
 * <p>Large products follow the usual GotoBLAS/BLIS scheme: loop over {@code NC}-column blocks of
 * C and {@code KC}-deep slices of k; pack the KC×NC block of op(b) into NR-column panels (NR = two
 * vectors), pack MC×KC blocks of op(a) into MR-row panels, and run an MR×NR register-tiled
 * micro-kernel ({@code fma} of a broadcast element of A with two vectors of B). Transposes are
 * handled entirely by the packing routines. Panels at the edges are zero-padded; edge tiles go
 * through a small scratch tile.
 *
 * <p>Threads split either the row panels or the column panels of C (see {@link Parallel}), so each
 * element of C is owned by one thread, and its value is the sum over KC slices (in order) of an
 * fma chain over p (in order): the result is bit-for-bit independent of the thread count.
 *
 * <p>Small products (m·n·k below {@code SMALL}) use unpacked single-threaded loops; products with
 * fewer than MR rows use the same unpacked loops, threaded over columns of C.
 */
final class MatmulVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Register tile: MR rows × NR = 2 vectors. With 16 lanes (AVX-512, 32 registers) an 8×2 tile
     * (16 accumulators) is fastest; with narrower vectors (AVX2 has only 16 registers) 6×2.
     */
    private static final boolean TILE8 = L >= 16;
    private static final int MR = TILE8 ? 8 : 6;
    private static final int NR = 2 * L;
    /** Depth of a packed slice of k. */
    private static final int KC = 512;
    /** Rows of a packed block of A (MC×KC floats = 256 KB, meant to stay in L2); a multiple of MR. */
    private static final int MC = 128 / MR * MR;
    /** Columns of a packed block of B (KC×NC floats = 4 MB, meant to stay in L3); a multiple of NR. */
    private static final int NC = Math.max(NR, 2048 / NR * NR);
    private static final long SMALL = 32 * 1024;
    /** Minimum multiply-adds per parallel chunk of the compute loop. */
    private static final long MIN_CHUNK_WORK = 1L << 18;

    private static final ThreadLocal<float[]> A_BUF = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> B_BUF = ThreadLocal.withInitial(() -> new float[0]);

    private MatmulVector() {}

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        long work = (long) m * n * k;
        if (work < SMALL) {
            direct(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, 0, n);
        } else if (m < MR) {
            // Few rows (e.g. matrix-vector): packing B would cost as much as the product itself.
            // Stream B once instead, threads splitting the columns of C.
            int grain = (int) Math.max(1, Math.min(n, MIN_CHUNK_WORK / ((long) m * k)));
            Parallel.forRange(n, grain, (from, to) ->
                    direct(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, from, to));
        } else {
            blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }

    // ---------------------------------------------------------------- unpacked path (small or few rows)

    /** Columns of C per pass of the unpacked path (a 2 KB slice of each row of C and B). */
    private static final int JB = 512;

    /**
     * Columns [j0, j1) of C without packing. Without transB: for each JB-column slice, for each p,
     * c[i][slice] += op(a)(i,p) · b[p][slice] (each element of C is an fma chain over p, in order).
     * With transB: vector dot products of rows of op(a) and rows of b (contiguous over p).
     */
    private static void direct(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc, boolean accumulate, int j0, int j1) {
        if (!transB) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc + j0, cOff + i * ldc + j1, 0f);
            }
            for (int jb = j0; jb < j1; jb += JB) {
                int je = Math.min(jb + JB, j1);
                int jv = jb + S.loopBound(je - jb);
                for (int p = 0; p < k; p++) {
                    int brow = bOff + p * ldb;
                    for (int i = 0; i < m; i++) {
                        float x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        int crow = cOff + i * ldc;
                        FloatVector xv = FloatVector.broadcast(S, x);
                        int j = jb;
                        for (; j < jv; j += L) {
                            xv.fma(FloatVector.fromArray(S, b, brow + j), FloatVector.fromArray(S, c, crow + j))
                                    .intoArray(c, crow + j);
                        }
                        for (; j < je; j++) c[crow + j] = Math.fma(x, b[brow + j], c[crow + j]);
                    }
                }
            }
        } else {
            // rows of op(a), contiguous over p: a itself, or a transposed copy when transA
            float[] ar = a;
            int arOff = aOff, ldar = lda;
            if (transA) {
                ar = new float[m * k];
                for (int p = 0; p < k; p++) {
                    int src = aOff + p * lda;
                    for (int i = 0; i < m; i++) ar[i * k + p] = a[src + i];
                }
                arOff = 0;
                ldar = k;
            }
            int kv = S.loopBound(k);
            for (int j = j0; j < j1; j++) {
                int brow = bOff + j * ldb;
                for (int i = 0; i < m; i++) {
                    int arow = arOff + i * ldar;
                    FloatVector acc = FloatVector.zero(S);
                    int p = 0;
                    for (; p < kv; p += L) {
                        acc = FloatVector.fromArray(S, ar, arow + p).fma(FloatVector.fromArray(S, b, brow + p), acc);
                    }
                    float s = Lanes.sumInOrder(acc); // fixed order: reduceLanes may change it with the JIT tier
                    for (; p < k; p++) s = Math.fma(ar[arow + p], b[brow + p], s);
                    int ci = cOff + i * ldc + j;
                    c[ci] = accumulate ? c[ci] + s : s;
                }
            }
        }
    }

    // ---------------------------------------------------------------- blocked, packed path

    private static float[] buffer(ThreadLocal<float[]> tl, int size) {
        float[] buf = tl.get();
        if (buf.length < size) {
            buf = new float[size];
            tl.set(buf);
        }
        return buf;
    }

    private static void blocked(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, boolean accumulate) {
        int mPanels = (m + MR - 1) / MR;
        int nPanels = (n + NR - 1) / NR;
        int threads = Parallel.threads();
        // One fork-join per call: each thread owns a range of row panels or of column panels of C
        // and runs the whole blocked loop nest over it, packing its own panels. Splitting rows
        // makes every thread pack all of op(b) (k·n floats), splitting columns all of op(a) (m·k):
        // split the dimension that keeps the duplicated packing the smaller one, as long as it
        // has enough panels to share.
        boolean splitRows;
        if (mPanels >= 2 * threads && nPanels >= 2 * threads) splitRows = m >= n;
        else splitRows = mPanels >= nPanels;
        if (splitRows) {
            int grain = (int) Math.max(1, Math.min(mPanels, MIN_CHUNK_WORK / ((long) MR * n * k)));
            Parallel.forRange(mPanels, grain, (from, to) ->
                    range(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                            from, to, 0, nPanels));
        } else {
            int grain = (int) Math.max(1, Math.min(nPanels, MIN_CHUNK_WORK / ((long) NR * m * k)));
            Parallel.forRange(nPanels, grain, (from, to) ->
                    range(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                            0, mPanels, from, to));
        }
    }

    /** Computes the tiles of C in row panels [rp0, rp1) × column panels [cp0, cp1). */
    private static void range(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate,
                              int rp0, int rp1, int cp0, int cp1) {
        int ncPanels = NC / NR;
        int mcPanels = MC / MR;
        int kcMax = Math.min(KC, k);
        float[] bp = buffer(B_BUF, kcMax * Math.min(ncPanels, cp1 - cp0) * NR);
        float[] ap = buffer(A_BUF, kcMax * Math.min(mcPanels, rp1 - rp0) * MR);
        float[] tile = null;
        for (int jp = cp0; jp < cp1; jp += ncPanels) {
            int jpe = Math.min(jp + ncPanels, cp1);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean load = accumulate || pc > 0;
                packB(transB, b, bOff, ldb, pc, kc, n, jp, jpe, bp);
                for (int rb = rp0; rb < rp1; rb += mcPanels) {
                    int re = Math.min(rb + mcPanels, rp1);
                    int i0 = rb * MR;
                    packA(transA, a, aOff, lda, i0, Math.min(re * MR, m) - i0, pc, kc, ap);
                    for (int q = jp; q < jpe; q++) {
                        int j = q * NR;
                        int nr = Math.min(NR, n - j);
                        int bIdx = (q - jp) * NR * kc;
                        for (int ip = rb; ip < re; ip++) {
                            int i = ip * MR;
                            int mr = Math.min(MR, m - i);
                            int aIdx = (ip - rb) * MR * kc;
                            if (mr == MR && nr == NR) {
                                kernel(kc, ap, aIdx, bp, bIdx, c, cOff + i * ldc + j, ldc, load);
                            } else {
                                if (tile == null) tile = new float[MR * NR];
                                kernel(kc, ap, aIdx, bp, bIdx, tile, 0, NR, false);
                                for (int r = 0; r < mr; r++) {
                                    int crow = cOff + (i + r) * ldc + j;
                                    int trow = r * NR;
                                    if (load) {
                                        for (int jj = 0; jj < nr; jj++) c[crow + jj] += tile[trow + jj];
                                    } else {
                                        System.arraycopy(tile, trow, c, crow, nr);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs rows [pc, pc+kc) of column panels [from, to) of op(b) (panel q = columns q*NR ..
     * q*NR+NR) into bp: panel q at (q-from)*NR*kc, element (p, j) at p*NR + j; zero-padded to NR.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int n,
                              int from, int to, float[] bp) {
        for (int q = from; q < to; q++) {
            int j0 = q * NR;
            int nr = Math.min(NR, n - j0);
            int base = (q - from) * NR * kc;
            if (!transB) {
                int src = bOff + pc * ldb + j0;
                if (nr == NR) {
                    for (int p = 0; p < kc; p++, src += ldb) System.arraycopy(b, src, bp, base + p * NR, NR);
                } else {
                    for (int p = 0; p < kc; p++, src += ldb) {
                        int dst = base + p * NR;
                        System.arraycopy(b, src, bp, dst, nr);
                        java.util.Arrays.fill(bp, dst + nr, dst + NR, 0f);
                    }
                }
            } else {
                // transpose in 16-deep strips so the lines written stay in L1
                for (int p0 = 0; p0 < kc; p0 += 16) {
                    int p1 = Math.min(p0 + 16, kc);
                    int jj = 0;
                    for (; jj + 4 <= nr; jj += 4) {
                        int s0 = bOff + (j0 + jj) * ldb + pc, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
                        for (int p = p0; p < p1; p++) {
                            int d = base + p * NR + jj;
                            bp[d] = b[s0 + p];
                            bp[d + 1] = b[s1 + p];
                            bp[d + 2] = b[s2 + p];
                            bp[d + 3] = b[s3 + p];
                        }
                    }
                    for (; jj < nr; jj++) {
                        int src = bOff + (j0 + jj) * ldb + pc;
                        for (int p = p0; p < p1; p++) bp[base + p * NR + jj] = b[src + p];
                    }
                    for (int p = p0; p < p1; p++) {
                        java.util.Arrays.fill(bp, base + p * NR + nr, base + p * NR + NR, 0f);
                    }
                }
            }
        }
    }

    /**
     * Packs op(a)[i0..i0+rows) × [pc..pc+kc) into ap: panel q at q*MR*kc, element (r, p) at
     * p*MR + r; rows padded to MR with zeros.
     */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int rows, int pc, int kc,
                              float[] ap) {
        int panels = (rows + MR - 1) / MR;
        if (transA) {
            // op(a)(i, p) = a[aOff + p*lda + i]: walk each stored row once, scattering MR-wide pieces to the panels
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + i0;
                for (int q = 0; q < panels; q++) {
                    int dst = q * MR * kc + p * MR;
                    int r0 = q * MR;
                    int mr = Math.min(MR, rows - r0);
                    if (mr == MR) {
                        System.arraycopy(a, src + r0, ap, dst, MR);
                    } else {
                        for (int r = 0; r < mr; r++) ap[dst + r] = a[src + r0 + r];
                        for (int r = mr; r < MR; r++) ap[dst + r] = 0f;
                    }
                }
            }
            return;
        }
        for (int q = 0; q < panels; q++) {
            int base = q * MR * kc;
            int r0 = q * MR;
            int mr = Math.min(MR, rows - r0);
            for (int r = 0; r < mr; r++) {
                int src = aOff + (i0 + r0 + r) * lda + pc;
                for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p];
            }
            for (int r = mr; r < MR; r++) {
                for (int p = 0; p < kc; p++) ap[base + p * MR + r] = 0f;
            }
        }
    }

    private static void kernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                               float[] c, int cIdx, int ldc, boolean load) {
        if (TILE8) kernel8(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, load);
        else kernel6(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, load);
    }

    /**
     * 8×NR register tile, accumulators in locals so C2 keeps them in registers:
     * c[r][0..NR) = (load ? c[r][0..NR) : 0) + Σ_p ap[aIdx + p*8 + r] · bp[bIdx + p*NR .. +NR).
     */
    private static void kernel8(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                                float[] c, int cIdx, int ldc, boolean load) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero;
        FloatVector c10 = zero, c11 = zero;
        FloatVector c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero;
        FloatVector c50 = zero, c51 = zero;
        FloatVector c60 = zero, c61 = zero;
        FloatVector c70 = zero, c71 = zero;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[aIdx]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, ap[aIdx + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, ap[aIdx + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            aIdx += 8;
            bIdx += NR;
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx));
            c01 = c01.add(FloatVector.fromArray(S, c, cIdx + L));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, cIdx + 1 * ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, cIdx + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(S, c, cIdx + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, cIdx + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(S, c, cIdx + 7 * ldc + L));
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + 1 * ldc);
        c11.intoArray(c, cIdx + 1 * ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + L);
        c40.intoArray(c, cIdx + 4 * ldc);
        c41.intoArray(c, cIdx + 4 * ldc + L);
        c50.intoArray(c, cIdx + 5 * ldc);
        c51.intoArray(c, cIdx + 5 * ldc + L);
        c60.intoArray(c, cIdx + 6 * ldc);
        c61.intoArray(c, cIdx + 6 * ldc + L);
        c70.intoArray(c, cIdx + 7 * ldc);
        c71.intoArray(c, cIdx + 7 * ldc + L);
    }

    /**
     * 6×NR register tile, accumulators in locals so C2 keeps them in registers:
     * c[r][0..NR) = (load ? c[r][0..NR) : 0) + Σ_p ap[aIdx + p*6 + r] · bp[bIdx + p*NR .. +NR).
     */
    private static void kernel6(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                                float[] c, int cIdx, int ldc, boolean load) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero;
        FloatVector c10 = zero, c11 = zero;
        FloatVector c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero;
        FloatVector c50 = zero, c51 = zero;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[aIdx]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            aIdx += 6;
            bIdx += NR;
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx));
            c01 = c01.add(FloatVector.fromArray(S, c, cIdx + L));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, cIdx + 1 * ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc + L));
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + 1 * ldc);
        c11.intoArray(c, cIdx + 1 * ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + L);
        c40.intoArray(c, cIdx + 4 * ldc);
        c41.intoArray(c, cIdx + 4 * ldc + L);
        c50.intoArray(c, cIdx + 5 * ldc);
        c51.intoArray(c, cIdx + 5 * ldc + L);
    }
}
