package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API GEMM (the only GEMM class that touches {@code jdk.incubator.vector}; loaded only when
 * {@link VectorSupport#enabled()}). Arguments are validated by {@link Matmul}; m, n, k are positive.
 *
 * <p>Large products follow the usual GotoBLAS/BLIS scheme: loop over {@code NC}-column blocks of
 * C and {@code KC}-deep slices of k; pack the KC×NC block of op(b) into NR-column panels (NR = two
 * vectors), pack MC×KC blocks of op(a) into MR-row panels, and run an MR×NR register-tiled
 * micro-kernel ({@code fma} of a broadcast element of A with two vectors of B). Transposes are
 * handled entirely by the packing routines (a copy for k-major rows, a transpose for rows that
 * are contiguous over k; 16×16 in-register transposes with 16 lanes). Panels at the edges are
 * zero-padded; edge tiles go through a small scratch tile. C at most one vector wide uses
 * one-vector panels and an MR×1-vector tile that reads op(a) unpacked.
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
    /**
     * Minimum multiply-adds per parallel chunk (about 2.5 µs of one core): a fork-join of
     * {@link Parallel} costs well under a microsecond when its workers are spinning.
     */
    private static final long MIN_CHUNK_WORK = 1L << 18;

    private static final ThreadLocal<float[]> A_BUF = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> B_BUF = ThreadLocal.withInitial(() -> new float[0]);
    /** Scratch MR×NR tile for edge tiles of C. */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

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
                ar = buffer(A_BUF, m * k); // (the packed path's A buffer: the two never nest)
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
        // C at most one vector wide (e.g. a 10-class output layer): one-vector panels, so that
        // at most L - n columns of each tile are padding instead of 2L - n
        int w = TILE8 && n <= L ? L : NR;
        int mPanels = (m + MR - 1) / MR;
        int nPanels = (n + w - 1) / w;
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
                            from, to, 0, nPanels, w));
        } else {
            int grain = (int) Math.max(1, Math.min(nPanels, MIN_CHUNK_WORK / ((long) w * m * k)));
            Parallel.forRange(nPanels, grain, (from, to) ->
                    range(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                            0, mPanels, from, to, w));
        }
    }

    /** Computes the tiles of C in row panels [rp0, rp1) × column panels [cp0, cp1) of width w (NR or L). */
    private static void range(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate,
                              int rp0, int rp1, int cp0, int cp1, int w) {
        int ncPanels = NC / w;
        int mcPanels = MC / MR;
        int kcMax = Math.min(KC, k);
        float[] bp = buffer(B_BUF, kcMax * Math.min(ncPanels, cp1 - cp0) * w + L);
        // The 8-row tiles read op(a) in place (8 row streams, or 8 adjacent floats when transA): the
        // transposing pack of a row-major A cost about as much as a third of the tile work at the
        // MLP's shapes, and every thread of a column split packed all of A (m, n, k = 128, 256, 784 with B transposed:
        // 201 vs 180 GFLOP/s on 1 thread, 393 vs 314 on 2). The 6-row tiles of 8-lane machines pack.
        boolean packA = !TILE8 && w == NR;
        float[] ap = packA ? buffer(A_BUF, kcMax * Math.min(mcPanels, rp1 - rp0) * MR + L) : null;
        float[] tile = null;
        for (int jp = cp0; jp < cp1; jp += ncPanels) {
            int jpe = Math.min(jp + ncPanels, cp1);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean load = accumulate || pc > 0;
                packB(transB, b, bOff, ldb, pc, kc, n, jp, jpe, w, bp);
                for (int rb = rp0; rb < rp1; rb += mcPanels) {
                    int re = Math.min(rb + mcPanels, rp1);
                    int i0 = rb * MR;
                    if (packA) packA(transA, a, aOff, lda, i0, Math.min(re * MR, m) - i0, pc, kc, ap);
                    for (int q = jp; q < jpe; q++) {
                        int j = q * w;
                        int nr = Math.min(w, n - j);
                        int bIdx = (q - jp) * w * kc;
                        for (int ip = rb; ip < re; ip++) {
                            int i = ip * MR;
                            int mr = Math.min(MR, m - i);
                            int aIdx = (ip - rb) * MR * kc;
                            int aBase = transA ? aOff + pc * lda + i : aOff + i * lda + pc;
                            if (mr == MR && nr == w) {
                                if (packA) kernel6(kc, ap, aIdx, bp, bIdx, c, cOff + i * ldc + j, ldc, load);
                                else if (w == NR) kernel8(kc, a, aBase, transA ? 1 : lda, transA ? lda : 1, mr, bp, bIdx,
                                        c, cOff + i * ldc + j, ldc, load);
                                else kernel8x1(kc, a, aBase, transA ? 1 : lda, transA ? lda : 1, mr, bp, bIdx,
                                        c, cOff + i * ldc + j, ldc, load);
                            } else {
                                if (tile == null) tile = TILE.get();
                                if (packA) kernel6(kc, ap, aIdx, bp, bIdx, tile, 0, w, false);
                                else if (w == NR) kernel8(kc, a, aBase, transA ? 1 : lda, transA ? lda : 1, mr, bp, bIdx,
                                        tile, 0, w, false);
                                else kernel8x1(kc, a, aBase, transA ? 1 : lda, transA ? lda : 1, mr, bp, bIdx,
                                        tile, 0, w, false);
                                for (int r = 0; r < mr; r++) {
                                    int crow = cOff + (i + r) * ldc + j;
                                    int trow = r * w;
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
     * Packs rows [pc, pc+kc) of column panels [from, to) of op(b) (panel q = columns q*w ..
     * q*w+w) into bp: panel q at (q-from)*w*kc, element (p, j) at p*w + j; zero-padded to w.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int n,
                              int from, int to, int w, float[] bp) {
        int j0 = from * w, cols = Math.min(n - j0, (to - from) * w);
        if (transB) packTransposed(b, bOff + j0 * ldb + pc, ldb, cols, kc, w, bp);
        else packCopied(b, bOff + pc * ldb + j0, ldb, cols, kc, w, bp);
    }

    /**
     * Packs op(a)[i0..i0+rows) × [pc..pc+kc) into ap: panel q at q*MR*kc, element (r, p) at
     * p*MR + r; rows padded to MR with zeros.
     */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int rows, int pc, int kc,
                              float[] ap) {
        if (transA) packCopied(a, aOff + pc * lda + i0, lda, rows, kc, MR, ap);
        else packTransposed(a, aOff + i0 * lda + pc, lda, rows, kc, MR, ap);
    }

    /**
     * Packs a kc × x matrix stored k-major (element (p, x) at src[off + p*ld + x]) into w-wide
     * panels: panel t at dst[t*w*kc], element (p, x) at p*w + x - t*w; the last panel zero-padded.
     */
    private static void packCopied(float[] src, int off, int ld, int x, int kc, int w, float[] dst) {
        // panel by panel: one sequential write stream (p-outer loops, writing every panel at once,
        // were 7% slower on a 128×784·784×256 product)
        for (int x0 = 0; x0 < x; x0 += w) {
            int cw = Math.min(w, x - x0), d = x0 * kc, s = off + x0;
            if (cw == w) {
                for (int p = 0; p < kc; p++, s += ld, d += w) System.arraycopy(src, s, dst, d, w);
            } else {
                for (int p = 0; p < kc; p++, s += ld, d += w) {
                    System.arraycopy(src, s, dst, d, cw);
                    java.util.Arrays.fill(dst, d + cw, d + w, 0f);
                }
            }
        }
    }

    /** Whether {@link #packTransposed} may use 16×16 in-register transposes (needs 16 lanes). */
    private static final boolean VECTOR_TRANSPOSE = L == 16;

    /**
     * Packs the transpose of an x × kc matrix stored row-major (element (p, x) at src[off + x*ld + p])
     * into w-wide panels, laid out as in {@link #packCopied}. The 16×16 in-register transposes serve
     * panels whose width is a multiple of 16 (B's panels; the 8-row tiles read A in place).
     */
    private static void packTransposed(float[] src, int off, int ld, int x, int kc, int w, float[] dst) {
        int done = 0;
        if (VECTOR_TRANSPOSE && w % 16 == 0 && kc >= 16) {
            int kv = kc & ~15;
            for (; done + 16 <= x; done += 16) {
                int s = off + done * ld;
                int d = done / w * w * kc + done % w;
                for (int p0 = 0; p0 < kv; p0 += 16) transpose16(src, s + p0, ld, dst, d + p0 * w, w);
                for (int r = 0; r < 16 && kv < kc; r++) {
                    int row = done + r, dr = row / w * w * kc + row % w, sr = s + r * ld;
                    for (int p = kv; p < kc; p++) dst[dr + p * w] = src[sr + p];
                }
            }
        }
        // remaining rows, 4 at a time in 16-deep strips so the lines written stay in L1
        while (done < x) {
            int cnt = Math.min(w - done % w, x - done);
            int d = done / w * w * kc + done % w, s = off + done * ld;
            for (int p0 = 0; p0 < kc; p0 += 16) {
                int p1 = Math.min(p0 + 16, kc);
                int r = 0;
                for (; r + 4 <= cnt; r += 4) {
                    int s0 = s + r * ld, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
                    for (int p = p0; p < p1; p++) {
                        int dd = d + p * w + r;
                        dst[dd] = src[s0 + p];
                        dst[dd + 1] = src[s1 + p];
                        dst[dd + 2] = src[s2 + p];
                        dst[dd + 3] = src[s3 + p];
                    }
                }
                for (; r < cnt; r++) {
                    int sr = s + r * ld;
                    for (int p = p0; p < p1; p++) dst[d + p * w + r] = src[sr + p];
                }
            }
            done += cnt;
        }
        int rest = x % w;
        if (rest > 0) {
            int d = x / w * w * kc;
            for (int p = 0; p < kc; p++) java.util.Arrays.fill(dst, d + p * w + rest, d + p * w + w, 0f);
        }
    }

    // constant lane permutations of the 16×16 transpose: stage s pairs rows r and r + h (h = 2^s)
    private static final VectorShuffle<Float> UP0 = shift(1), UP1 = shift(2), UP2 = shift(4), UP3 = shift(8);
    private static final VectorShuffle<Float> DOWN0 = shift(-1), DOWN1 = shift(-2), DOWN2 = shift(-4), DOWN3 = shift(-8);
    private static final VectorMask<Float> HIGH0 = half(1, true), HIGH1 = half(2, true), HIGH2 = half(4, true),
            HIGH3 = half(8, true);
    private static final VectorMask<Float> LOW0 = half(1, false), LOW1 = half(2, false), LOW2 = half(4, false),
            LOW3 = half(8, false);

    /** Lane i takes lane i - by (wrapping; only the lanes a blend keeps matter). */
    private static VectorShuffle<Float> shift(int by) {
        return VectorShuffle.fromOp(S, i -> Math.floorMod(i - by, L));
    }

    /** Lanes in the upper (or lower) half of each 2h-lane block. */
    private static VectorMask<Float> half(int h, boolean upper) {
        boolean[] m = new boolean[L];
        for (int i = 0; i < L; i++) m[i] = (i % (2 * h) >= h) == upper;
        return VectorMask.fromArray(S, m, 0);
    }

    /**
     * Transposes the 16×16 block src[s + r*ld + c] (r, c < 16) and stores its row c (column c of
     * the block) at dst[d + c*w].
     * Each stage is a butterfly: lo = a with b's lanes moved up by h in the upper halves, hi = b with
     * a's lanes moved down by h in the lower halves (a rearrange and a blend each, which C2 on JDK 17
     * compiles to single instructions, unlike the two-vector rearrange).
     */
    private static void transpose16(float[] src, int s, int ld, float[] dst, int d, int w) {
        FloatVector r0 = FloatVector.fromArray(S, src, s + 0 * ld);
        FloatVector r1 = FloatVector.fromArray(S, src, s + 1 * ld);
        FloatVector r2 = FloatVector.fromArray(S, src, s + 2 * ld);
        FloatVector r3 = FloatVector.fromArray(S, src, s + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(S, src, s + 4 * ld);
        FloatVector r5 = FloatVector.fromArray(S, src, s + 5 * ld);
        FloatVector r6 = FloatVector.fromArray(S, src, s + 6 * ld);
        FloatVector r7 = FloatVector.fromArray(S, src, s + 7 * ld);
        FloatVector r8 = FloatVector.fromArray(S, src, s + 8 * ld);
        FloatVector r9 = FloatVector.fromArray(S, src, s + 9 * ld);
        FloatVector r10 = FloatVector.fromArray(S, src, s + 10 * ld);
        FloatVector r11 = FloatVector.fromArray(S, src, s + 11 * ld);
        FloatVector r12 = FloatVector.fromArray(S, src, s + 12 * ld);
        FloatVector r13 = FloatVector.fromArray(S, src, s + 13 * ld);
        FloatVector r14 = FloatVector.fromArray(S, src, s + 14 * ld);
        FloatVector r15 = FloatVector.fromArray(S, src, s + 15 * ld);
        FloatVector t0_0 = r0.blend(r1.rearrange(UP0), HIGH0), t0_1 = r1.blend(r0.rearrange(DOWN0), LOW0);
        FloatVector t0_2 = r2.blend(r3.rearrange(UP0), HIGH0), t0_3 = r3.blend(r2.rearrange(DOWN0), LOW0);
        FloatVector t0_4 = r4.blend(r5.rearrange(UP0), HIGH0), t0_5 = r5.blend(r4.rearrange(DOWN0), LOW0);
        FloatVector t0_6 = r6.blend(r7.rearrange(UP0), HIGH0), t0_7 = r7.blend(r6.rearrange(DOWN0), LOW0);
        FloatVector t0_8 = r8.blend(r9.rearrange(UP0), HIGH0), t0_9 = r9.blend(r8.rearrange(DOWN0), LOW0);
        FloatVector t0_10 = r10.blend(r11.rearrange(UP0), HIGH0), t0_11 = r11.blend(r10.rearrange(DOWN0), LOW0);
        FloatVector t0_12 = r12.blend(r13.rearrange(UP0), HIGH0), t0_13 = r13.blend(r12.rearrange(DOWN0), LOW0);
        FloatVector t0_14 = r14.blend(r15.rearrange(UP0), HIGH0), t0_15 = r15.blend(r14.rearrange(DOWN0), LOW0);
        FloatVector t1_0 = t0_0.blend(t0_2.rearrange(UP1), HIGH1), t1_2 = t0_2.blend(t0_0.rearrange(DOWN1), LOW1);
        FloatVector t1_1 = t0_1.blend(t0_3.rearrange(UP1), HIGH1), t1_3 = t0_3.blend(t0_1.rearrange(DOWN1), LOW1);
        FloatVector t1_4 = t0_4.blend(t0_6.rearrange(UP1), HIGH1), t1_6 = t0_6.blend(t0_4.rearrange(DOWN1), LOW1);
        FloatVector t1_5 = t0_5.blend(t0_7.rearrange(UP1), HIGH1), t1_7 = t0_7.blend(t0_5.rearrange(DOWN1), LOW1);
        FloatVector t1_8 = t0_8.blend(t0_10.rearrange(UP1), HIGH1), t1_10 = t0_10.blend(t0_8.rearrange(DOWN1), LOW1);
        FloatVector t1_9 = t0_9.blend(t0_11.rearrange(UP1), HIGH1), t1_11 = t0_11.blend(t0_9.rearrange(DOWN1), LOW1);
        FloatVector t1_12 = t0_12.blend(t0_14.rearrange(UP1), HIGH1), t1_14 = t0_14.blend(t0_12.rearrange(DOWN1), LOW1);
        FloatVector t1_13 = t0_13.blend(t0_15.rearrange(UP1), HIGH1), t1_15 = t0_15.blend(t0_13.rearrange(DOWN1), LOW1);
        FloatVector t2_0 = t1_0.blend(t1_4.rearrange(UP2), HIGH2), t2_4 = t1_4.blend(t1_0.rearrange(DOWN2), LOW2);
        FloatVector t2_1 = t1_1.blend(t1_5.rearrange(UP2), HIGH2), t2_5 = t1_5.blend(t1_1.rearrange(DOWN2), LOW2);
        FloatVector t2_2 = t1_2.blend(t1_6.rearrange(UP2), HIGH2), t2_6 = t1_6.blend(t1_2.rearrange(DOWN2), LOW2);
        FloatVector t2_3 = t1_3.blend(t1_7.rearrange(UP2), HIGH2), t2_7 = t1_7.blend(t1_3.rearrange(DOWN2), LOW2);
        FloatVector t2_8 = t1_8.blend(t1_12.rearrange(UP2), HIGH2), t2_12 = t1_12.blend(t1_8.rearrange(DOWN2), LOW2);
        FloatVector t2_9 = t1_9.blend(t1_13.rearrange(UP2), HIGH2), t2_13 = t1_13.blend(t1_9.rearrange(DOWN2), LOW2);
        FloatVector t2_10 = t1_10.blend(t1_14.rearrange(UP2), HIGH2), t2_14 = t1_14.blend(t1_10.rearrange(DOWN2), LOW2);
        FloatVector t2_11 = t1_11.blend(t1_15.rearrange(UP2), HIGH2), t2_15 = t1_15.blend(t1_11.rearrange(DOWN2), LOW2);
        FloatVector t3_0 = t2_0.blend(t2_8.rearrange(UP3), HIGH3), t3_8 = t2_8.blend(t2_0.rearrange(DOWN3), LOW3);
        FloatVector t3_1 = t2_1.blend(t2_9.rearrange(UP3), HIGH3), t3_9 = t2_9.blend(t2_1.rearrange(DOWN3), LOW3);
        FloatVector t3_2 = t2_2.blend(t2_10.rearrange(UP3), HIGH3), t3_10 = t2_10.blend(t2_2.rearrange(DOWN3), LOW3);
        FloatVector t3_3 = t2_3.blend(t2_11.rearrange(UP3), HIGH3), t3_11 = t2_11.blend(t2_3.rearrange(DOWN3), LOW3);
        FloatVector t3_4 = t2_4.blend(t2_12.rearrange(UP3), HIGH3), t3_12 = t2_12.blend(t2_4.rearrange(DOWN3), LOW3);
        FloatVector t3_5 = t2_5.blend(t2_13.rearrange(UP3), HIGH3), t3_13 = t2_13.blend(t2_5.rearrange(DOWN3), LOW3);
        FloatVector t3_6 = t2_6.blend(t2_14.rearrange(UP3), HIGH3), t3_14 = t2_14.blend(t2_6.rearrange(DOWN3), LOW3);
        FloatVector t3_7 = t2_7.blend(t2_15.rearrange(UP3), HIGH3), t3_15 = t2_15.blend(t2_7.rearrange(DOWN3), LOW3);
        t3_0.intoArray(dst, d + 0 * w);
        t3_1.intoArray(dst, d + 1 * w);
        t3_2.intoArray(dst, d + 2 * w);
        t3_3.intoArray(dst, d + 3 * w);
        t3_4.intoArray(dst, d + 4 * w);
        t3_5.intoArray(dst, d + 5 * w);
        t3_6.intoArray(dst, d + 6 * w);
        t3_7.intoArray(dst, d + 7 * w);
        t3_8.intoArray(dst, d + 8 * w);
        t3_9.intoArray(dst, d + 9 * w);
        t3_10.intoArray(dst, d + 10 * w);
        t3_11.intoArray(dst, d + 11 * w);
        t3_12.intoArray(dst, d + 12 * w);
        t3_13.intoArray(dst, d + 13 * w);
        t3_14.intoArray(dst, d + 14 * w);
        t3_15.intoArray(dst, d + 15 * w);
    }

    /**
     * Calls the register tiles often enough, with one step each, for C2 to compile them as whole
     * methods before their loops run long enough to be compiled on-stack-replacement style: an OSR
     * compile enters the loop with the accumulators as heap objects of inexact type, its vector
     * stores then stay allocating fallbacks, and a run whose tiles were OSR-compiled first could
     * stay 6-10× slower (1 JVM in 10 after the other warm-up alone, once the tiles read op(a) in place).
     */
    static void warmUpTiles() {
        int depth = 4;
        float[] a = new float[8 * 8 * depth], bp = new float[depth * NR], c = new float[8 * NR];
        long deadline = System.nanoTime() + TILE_WARMUP_MAX_NANOS;
        // until a round of calls runs at compiled speed (the compile itself takes C2 a few hundred
        // ms, in the background: meanwhile the longer products after this would trigger an OSR).
        // Every branch a product can take is taken here (1 to 8 rows, with and without loading C,
        // loops of one and of several steps): a branch that the compiled tile has never seen
        // deoptimizes it later, and the recompile, in the middle of training, was the one to go wrong.
        for (int round = 0; System.nanoTime() < deadline; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 512; i++) {
                int kc = (i & 3) == 3 ? depth : 1, mr = 1 + (i >> 2) % 8;
                boolean load = (i & 1) == 0;
                if (TILE8) {
                    kernel8(kc, a, 0, 8 * depth, 1, mr, bp, 0, c, 0, NR, load);
                    kernel8x1(kc, a, 0, 8 * depth, 1, mr, bp, 0, c, 0, L, load);
                } else {
                    kernel6(kc, a, 0, bp, 0, c, 0, NR, load);
                }
            }
            // compiled, both tiles take well under 100 ns a call; as Java fallbacks, microseconds
            if (round >= 12 && System.nanoTime() - t0 < 512 * 200) return;
        }
    }

    /** The most the tile warm-up waits for C2 (on a loaded machine it gives up, and the rest warms up as before). */
    private static final long TILE_WARMUP_MAX_NANOS = 3_000_000_000L;

    /**
     * 8×1-vector register tile for panels one vector wide (C with at most L columns), reading op(a)
     * unpacked, element (r, p) at a[base + r*rs + p*ps]; rows from mr on repeat row 0 (their
     * results are dropped by the caller):
     * c[r][0..L) = (load ? c[r][0..L) : 0) + Σ_p op(a)(r, p) · bp[bIdx + p*L .. +L).
     */
    private static void kernel8x1(int kc, float[] a, int base, int rs, int ps, int mr, float[] bp, int bIdx,
                                  float[] c, int cIdx, int ldc, boolean load) {
        int o1 = mr > 1 ? rs : 0, o2 = mr > 2 ? 2 * rs : 0, o3 = mr > 3 ? 3 * rs : 0, o4 = mr > 4 ? 4 * rs : 0;
        int o5 = mr > 5 ? 5 * rs : 0, o6 = mr > 6 ? 6 * rs : 0, o7 = mr > 7 ? 7 * rs : 0;
        FloatVector zero = FloatVector.zero(S);
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
        for (int p = 0, ai = base; p < kc; p++, ai += ps) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            c0 = FloatVector.broadcast(S, a[ai]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[ai + o1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[ai + o2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[ai + o3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[ai + o4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[ai + o5]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[ai + o6]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[ai + o7]).fma(b0, c7);
            bIdx += L;
        }
        if (load) {
            c0 = c0.add(FloatVector.fromArray(S, c, cIdx));
            c1 = c1.add(FloatVector.fromArray(S, c, cIdx + ldc));
            c2 = c2.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc));
            c3 = c3.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc));
            c4 = c4.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc));
            c5 = c5.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc));
            c6 = c6.add(FloatVector.fromArray(S, c, cIdx + 6 * ldc));
            c7 = c7.add(FloatVector.fromArray(S, c, cIdx + 7 * ldc));
        }
        c0.intoArray(c, cIdx);
        c1.intoArray(c, cIdx + ldc);
        c2.intoArray(c, cIdx + 2 * ldc);
        c3.intoArray(c, cIdx + 3 * ldc);
        c4.intoArray(c, cIdx + 4 * ldc);
        c5.intoArray(c, cIdx + 5 * ldc);
        c6.intoArray(c, cIdx + 6 * ldc);
        c7.intoArray(c, cIdx + 7 * ldc);
    }

    /**
     * 8×NR register tile, accumulators in locals so C2 keeps them in registers, reading op(a)
     * element (r, p) at a[base + r*rs + p*ps] (a packed panel: rs = 1, ps = 8; op(a) in place:
     * its two strides); rows from mr on repeat row 0 (their results are dropped by the caller):
     * c[r][0..NR) = (load ? c[r][0..NR) : 0) + Σ_p op(a)(r, p) · bp[bIdx + p*NR .. +NR).
     */
    private static void kernel8(int kc, float[] a, int base, int rs, int ps, int mr, float[] bp, int bIdx,
                                float[] c, int cIdx, int ldc, boolean load) {
        int o1 = mr > 1 ? rs : 0, o2 = mr > 2 ? 2 * rs : 0, o3 = mr > 3 ? 3 * rs : 0, o4 = mr > 4 ? 4 * rs : 0;
        int o5 = mr > 5 ? 5 * rs : 0, o6 = mr > 6 ? 6 * rs : 0, o7 = mr > 7 ? 7 * rs : 0;
        int ai = base;
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
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + o4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + o5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[ai + o6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ai + o7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            ai += ps;
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
