package dev.anneal.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Vector API body of {@link Softmax}. */
final class SoftmaxVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = S.withLanes(int.class);
    private static final int L = S.length();

    private SoftmaxVector() {}

    static int lanes() {
        return L;
    }

    // ---------------------------------------------------------------- rows at least a vector long

    /** One row of softmax or log-softmax; lanes is scratch of at least L floats. */
    static void row(float[] x, int xo, float[] y, int yo, int len, boolean log, float[] lanes) {
        int bound = S.loopBound(len);
        if (bound == 0) {
            Softmax.row(x, xo, y, yo, len, log);
            return;
        }
        float m = rowMax(x, xo, len);
        // exp(x - m) goes to y on the first pass and is reused by softmax
        double sum = expStore(x, xo, y, yo, bound, m, lanes);
        int i = bound;
        for (; i < len; i++) {
            float e = (float) Math.exp(x[xo + i] - m);
            y[yo + i] = e;
            sum += e;
        }
        if (log) {
            float lse = (float) Math.log(sum);
            for (i = 0; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).sub(m).sub(lse).intoArray(y, yo + i);
            for (; i < len; i++) y[yo + i] = x[xo + i] - m - lse;
        } else {
            float inv = (float) (1.0 / sum);
            for (i = 0; i < bound; i += L) FloatVector.fromArray(S, y, yo + i).mul(inv).intoArray(y, yo + i);
            for (; i < len; i++) y[yo + i] *= inv;
        }
    }

    /**
     * y = exp(x − m) over whole vectors [0, bound), returning their sum (vector sums, then lanes in
     * order). The flushed exp: x − m ≤ 0, and a probability below Float.MIN_NORMAL becomes 0.
     */
    private static float expStore(float[] x, int xo, float[] y, int yo, int bound, float m, float[] lanes) {
        FloatVector sv = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            FloatVector e = ExpVector.expFlushed(FloatVector.fromArray(S, x, xo + i).sub(m));
            e.intoArray(y, yo + i);
            sv = sv.add(e);
        }
        return sumInOrder(sv, lanes);
    }

    /**
     * Σ lanes in float, in lane order (reduceLanes may change its order with the JIT tier), through an
     * array: lane(i) with a variable i was seen compiled as an allocating fallback, tripling the time
     * of softmax over long rows in a JVM that had run fast for a while.
     */
    private static float sumInOrder(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        float s = 0f;
        for (int i = 0; i < L; i++) s += lanes[i];
        return s;
    }

    /** The row's max, 0 when it is -inf (an all -inf row then gives NaN like PyTorch, not a shifted inf − inf). */
    private static float rowMax(float[] x, int xo, int len) {
        int bound = S.loopBound(len), i = 0;
        // two chains: a Java-semantics max is several dependent instructions (max is exact and NaN
        // wins in any order, so the order does not change the result)
        FloatVector hi0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), hi1 = hi0;
        for (; i + 2 * L <= bound; i += 2 * L) {
            hi0 = hi0.max(FloatVector.fromArray(S, x, xo + i));
            hi1 = hi1.max(FloatVector.fromArray(S, x, xo + i + L));
        }
        if (i < bound) hi0 = hi0.max(FloatVector.fromArray(S, x, xo + i));
        float m = hi0.max(hi1).reduceLanes(VectorOperators.MAX);
        for (i = bound; i < len; i++) m = Math.max(m, x[xo + i]);
        return m == Float.NEGATIVE_INFINITY ? 0f : m;
    }

    /** As {@link Softmax#rowStats} for one row of at least a vector: max[r], logSum[r], picked[p]. */
    static void rowStats(float[] x, int xo, int len, int r, float[] max, float[] logSum, int[] pick, float[] picked, int p) {
        float m = rowMax(x, xo, len);
        FloatVector sv = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L) sv = sv.add(ExpVector.exp(FloatVector.fromArray(S, x, xo + i).sub(m)));
        double sum = sumInOrder(sv, new float[L]);
        for (; i < len; i++) sum += (float) Math.exp(x[xo + i] - m);
        float lse = (float) Math.log(sum);
        if (max != null) max[r] = m;
        if (logSum != null) logSum[r] = lse;
        if (pick != null) picked[p] = pick[r] < 0 ? 0f : x[xo + pick[r]] - m - lse;
    }

    /** As {@link Softmax#softmaxMinusOneHot} for one row of at least a vector. */
    static void rowGrad(float[] x, int xo, float[] gx, int go, int len, float m, float lse, int t, float s) {
        if (t < 0) return; // gx is already zero
        int i = 0, bound = S.loopBound(len);
        FloatVector iota = FloatVector.fromArray(S, IOTA, 0);
        for (; i < bound; i += L) {
            FloatVector p = ExpVector.exp(FloatVector.fromArray(S, x, xo + i).sub(m).sub(lse));
            VectorMask<Float> hot = iota.eq((float) (t - i));
            p.sub(FloatVector.zero(S).blend(1f, hot)).mul(s).intoArray(gx, go + i);
        }
        for (; i < len; i++) gx[go + i] = s * ((float) Math.exp(x[xo + i] - m - lse) - (i == t ? 1f : 0f));
    }

    private static final float[] IOTA = new float[L];

    static {
        for (int i = 0; i < L; i++) IOTA[i] = i;
    }

    // ---------------------------------------------------------------- rows shorter than a vector

    /*
     * A group of L rows of len < L values is L·len floats: len whole vectors ("flat" vectors). Per-row
     * max and sum need one row per lane, so the group is transposed into a column-major buffer
     * (cols[k·L + l] = row l, column k), with an in-register 16×16 transpose of overlapping row loads
     * when L = 16 (scalar copies otherwise). Everything elementwise then runs on the flat vectors,
     * with the per-row values spread to their elements by a fixed permutation (ROW). A short last
     * group, or one too close to the end of the array for overlapping loads, is copied into a
     * zero-padded buffer first and runs the same code, so a row's bits do not depend on which group
     * it falls in (nor on the thread count).
     */

    /** ROW[len][v]: lane j of the v-th flat vector of a group holds an element of row (v·L + j) / len. */
    private static final VectorShuffle<Float>[][] ROW = rowShuffles();
    /** COL[len]: the column (i mod len) of each element i of a group, as floats. */
    private static final float[][] COL = new float[L][];

    static {
        for (int len = 1; len < L; len++) {
            COL[len] = new float[len * L];
            for (int i = 0; i < len * L; i++) COL[len][i] = i % len;
        }
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[][] rowShuffles() {
        VectorShuffle<Float>[][] r = new VectorShuffle[L][];
        for (int len = 1; len < L; len++) {
            r[len] = new VectorShuffle[len];
            for (int v = 0; v < len; v++) {
                int first = v * L, n = len;
                r[len][v] = VectorShuffle.fromOp(S, j -> (first + j) / n);
            }
        }
        return r;
    }

    /**
     * Rows per block of the short-row routines: every phase runs over one block before the next
     * block starts, so the block's input, its per-row values and the scratch stay in L1 (over the
     * whole chunk the phases read the input twice from memory and stream the per-row arrays).
     */
    private static final int BLOCK = 16 * L;

    /** The column buffer, a padded copy of a group, its output, a group's targets, and per-row values of a block. */
    private static final class Scratch {
        final float[] cols = new float[L * L], pad = new float[L * L], out = new float[L * L];
        final float[] m = new float[BLOCK], s = new float[BLOCK], c = new float[BLOCK], t = new float[BLOCK];
        final int[] pick = new int[L];

        /** The group's rows from a (at a[base]) or, when not all there or too near its end, from pad. */
        boolean needsPad(float[] a, int base, int nr, int len) {
            return nr < L || base + (L - 1) * len + L > a.length;
        }

        void fillPad(float[] a, int base, int nr, int len) {
            Arrays.fill(pad, 0f);
            System.arraycopy(a, base, pad, 0, nr * len);
        }

        /** a itself when the group can be read in place, else pad filled with its rows. */
        float[] source(float[] a, int base, int nr, int len) {
            if (!needsPad(a, base, nr, len)) return a;
            fillPad(a, base, nr, len);
            return pad;
        }
    }

    /** Scratch per thread, not per call: a call over an MLP batch (128 rows) is about a microsecond. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /*
     * Each of the routines below works in phases, each phase a loop over the groups of a block in
     * its own method, passing per-row values through arrays: one method holding the whole pipeline
     * (exp, log, permutations) grows past C2's inlining node limit (NodeCountInliningCutoff), and the
     * Vector API calls it then leaves out run as allocating fallbacks, several times slower.
     */

    static void shortRows(float[] x, int xo, float[] y, int yo, int rows, int len, boolean log) {
        Scratch sc = SCRATCH.get();
        float[] m = sc.m, s = sc.s;
        for (int b = 0; b < rows; b += BLOCK) {
            int n = Math.min(BLOCK, rows - b), xb = xo + b * len, yb = yo + b * len;
            maxAndSum(x, xb, n, len, m, s, sc);
            logOrInverse(s, n, log);
            writeRows(x, xb, y, yb, n, len, m, s, log, sc);
        }
    }

    /** As {@link Softmax#rowStatsSerial} for rows [r0, r0 + rows) shorter than a vector, picked from p0. */
    static void shortRowStats(float[] x, int xo, int r0, int rows, int len, float[] max, float[] logSum, int[] pick, float[] picked,
                              int p0) {
        Scratch sc = SCRATCH.get();
        float[] m = sc.m, s = sc.s;
        for (int b = 0; b < rows; b += BLOCK) {
            int n = Math.min(BLOCK, rows - b), xb = xo + b * len, rb = r0 + b;
            if (pick != null) maxSumAndPick(x, xb, n, len, pick, rb, m, s, sc.c, sc);
            else maxAndSum(x, xb, n, len, m, s, sc);
            logOrInverse(s, n, true);
            if (max != null) System.arraycopy(m, 0, max, rb, n);
            if (logSum != null) System.arraycopy(s, 0, logSum, rb, n);
            if (pick != null) pickedLogSoftmax(n, sc.c, m, s, picked, p0 + b, sc);
        }
    }

    /** As {@link Softmax#softmaxMinusOneHot} for rows [r0, r0 + rows) shorter than a vector. */
    static void shortRowsGrad(float[] x, int xo, float[] gx, int r0, int rows, int len, float[] max, float[] logSum, int[] pick,
                              float[] scale) {
        Scratch sc = SCRATCH.get();
        // per-row values of a block, padded to whole groups; t = −1 marks an ignored row
        float[] m = sc.m, s = sc.s, c = sc.c, t = sc.t;
        for (int b = 0; b < rows; b += BLOCK) {
            int n = Math.min(BLOCK, rows - b), rb = r0 + b;
            System.arraycopy(max, rb, m, 0, n);
            System.arraycopy(logSum, rb, s, 0, n);
            System.arraycopy(scale, rb, c, 0, n);
            for (int r = 0; r < n; r++) t[r] = pick[rb + r];
            for (int r = n; r < BLOCK; r++) t[r] = -1f;
            writeGradient(x, xo + b * len, gx, rb * len, n, len, m, s, t, c, sc);
        }
    }

    /** Phase: per-row max (0 for an all −inf row) into m, Σexp(x − max) into s, for rows [0, rows) at x[xo]. */
    private static void maxAndSum(float[] x, int xo, int rows, int len, float[] m, float[] s, Scratch sc) {
        for (int g = 0; g < rows; g += L) {
            int nr = Math.min(L, rows - g), xg = xo + g * len;
            if (sc.needsPad(x, xg, nr, len)) {
                sc.fillPad(x, xg, nr, len);
                columns(sc.pad, 0, len, sc.cols);
            } else {
                columns(x, xg, len, sc.cols);
            }
            float[] cols = sc.cols;
            // four max chains: a Java-semantics max is several dependent instructions, and max is
            // exact with NaN winning in any order, so the grouping does not change the result
            FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
            int k = 0;
            for (; k + 4 <= len; k += 4) {
                m0 = m0.max(FloatVector.fromArray(S, cols, k * L));
                m1 = m1.max(FloatVector.fromArray(S, cols, k * L + L));
                m2 = m2.max(FloatVector.fromArray(S, cols, k * L + 2 * L));
                m3 = m3.max(FloatVector.fromArray(S, cols, k * L + 3 * L));
            }
            for (; k < len; k++) m0 = m0.max(FloatVector.fromArray(S, cols, k * L));
            FloatVector mv = m0.max(m1).max(m2.max(m3));
            mv = mv.blend(0f, mv.eq(Float.NEGATIVE_INFINITY));
            // the flushed exp (as in expStore): a term below 1.2e-38 beside the max's exp(0) = 1 does not
            // change the sum (a rounding tie at most), and a value's bits do not depend on its group
            FloatVector sum = FloatVector.zero(S);
            for (k = 0; k < len; k++) sum = sum.add(ExpVector.expFlushed(FloatVector.fromArray(S, cols, k * L).sub(mv)));
            mv.intoArray(m, g);
            sum.intoArray(s, g);
        }
    }

    /**
     * {@link #maxAndSum}, and the value at each row's target column (pick from r0; 0 for a negative
     * one) into v, the targets as floats into sc.t: selected from the columns as they pass through.
     */
    private static void maxSumAndPick(float[] x, int xo, int rows, int len, int[] pick, int r0, float[] m, float[] s, float[] v,
                                      Scratch sc) {
        int[] tp = sc.pick;
        for (int g = 0; g < rows; g += L) {
            int nr = Math.min(L, rows - g), xg = xo + g * len;
            if (sc.needsPad(x, xg, nr, len)) {
                sc.fillPad(x, xg, nr, len);
                columns(sc.pad, 0, len, sc.cols);
            } else {
                columns(x, xg, len, sc.cols);
            }
            float[] cols = sc.cols;
            IntVector ti;
            if (nr < L || r0 + g + L > pick.length) {
                Arrays.fill(tp, -1);
                System.arraycopy(pick, r0 + g, tp, 0, nr);
                ti = IntVector.fromArray(IS, tp, 0);
            } else {
                ti = IntVector.fromArray(IS, pick, r0 + g);
            }
            FloatVector tf = (FloatVector) ti.convert(VectorOperators.I2F, 0), pv = FloatVector.zero(S);
            // four max chains: a Java-semantics max is several dependent instructions, and max is
            // exact with NaN winning in any order, so the grouping does not change the result
            FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
            int k = 0;
            for (; k + 4 <= len; k += 4) {
                m0 = m0.max(FloatVector.fromArray(S, cols, k * L));
                m1 = m1.max(FloatVector.fromArray(S, cols, k * L + L));
                m2 = m2.max(FloatVector.fromArray(S, cols, k * L + 2 * L));
                m3 = m3.max(FloatVector.fromArray(S, cols, k * L + 3 * L));
            }
            for (; k < len; k++) m0 = m0.max(FloatVector.fromArray(S, cols, k * L));
            FloatVector mv = m0.max(m1).max(m2.max(m3));
            mv = mv.blend(0f, mv.eq(Float.NEGATIVE_INFINITY));
            // the flushed exp (as in expStore): a term below 1.2e-38 beside the max's exp(0) = 1 does not
            // change the sum (a rounding tie at most), and a value's bits do not depend on its group
            FloatVector sum = FloatVector.zero(S);
            for (k = 0; k < len; k++) {
                FloatVector c = FloatVector.fromArray(S, cols, k * L);
                sum = sum.add(ExpVector.expFlushed(c.sub(mv)));
                pv = pv.blend(c, tf.eq((float) k));
            }
            pv.intoArray(v, g);
            tf.intoArray(sc.t, g);
            mv.intoArray(m, g);
            sum.intoArray(s, g);
        }
    }

    /**
     * Phase: picked[p0 + r] = (v[r] − m[r]) − s[r] for r < rows, v the target's value of each row, 0
     * for a row whose target (in sc.t) is negative.
     */
    private static void pickedLogSoftmax(int rows, float[] v, float[] m, float[] s, float[] picked, int p0, Scratch sc) {
        for (int g = 0; g < rows; g += L) {
            int nr = Math.min(L, rows - g);
            FloatVector p = FloatVector.fromArray(S, v, g).sub(FloatVector.fromArray(S, m, g)).sub(FloatVector.fromArray(S, s, g))
                    .blend(0f, FloatVector.fromArray(S, sc.t, g).lt(0f));
            if (nr < L || p0 + g + L > picked.length) {
                p.intoArray(sc.out, 0);
                System.arraycopy(sc.out, 0, picked, p0 + g, nr);
            } else {
                p.intoArray(picked, p0 + g);
            }
        }
    }

    /** Phase: s[i] = log s[i] (log) or 1 / s[i], i < n; s has room for whole vectors. */
    private static void logOrInverse(float[] s, int n, boolean log) {
        int end = (n + L - 1) / L * L;
        if (log) {
            LogVector.logInPlace(s, 0, end);
            return;
        }
        for (int i = 0; i < end; i += L) FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, s, i)).intoArray(s, i);
    }

    /*
     * The writing phases below are each over FreqInlineSize (325 bytes of bytecode), so that C2 never
     * inlines them into the block loop: when it did (a hot call, compiled before the phase itself),
     * the caller grew past the inlining node limit and the phase's last Vector API calls ran as
     * allocating fallbacks in that JVM (softmax over rows of 10 at 20 instead of 12 ns a row, one JVM
     * in three). Hence log-softmax and softmax in one method, and the gradient in one pass.
     */

    /**
     * Phase: y = (x − m) − s per row (log, s the log-sum), else y = exp(x − m)·s (s = 1 / Σ). The
     * softmax uses the flushed exp, as over long rows (x − m ≤ 0): a probability below
     * Float.MIN_NORMAL is 0.
     */
    private static void writeRows(float[] x, int xo, float[] y, int yo, int rows, int len, float[] m, float[] s, boolean log,
                                  Scratch sc) {
        VectorShuffle<Float>[] row = ROW[len];
        for (int g = 0; g < rows; g += L) {
            int nr = Math.min(L, rows - g), xg = xo + g * len;
            float[] src = sc.source(x, xg, nr, len), dst = nr < L ? sc.out : y;
            int sb = src == x ? xg : 0, db = nr < L ? 0 : yo + g * len;
            FloatVector mv = FloatVector.fromArray(S, m, g), sv = FloatVector.fromArray(S, s, g);
            if (log) {
                for (int v = 0; v < len; v++)
                    FloatVector.fromArray(S, src, sb + v * L).sub(mv.rearrange(row[v])).sub(sv.rearrange(row[v])).intoArray(dst, db + v * L);
            } else {
                for (int v = 0; v < len; v++)
                    ExpVector.expFlushed(FloatVector.fromArray(S, src, sb + v * L).sub(mv.rearrange(row[v]))).mul(sv.rearrange(row[v]))
                            .intoArray(dst, db + v * L);
            }
            if (nr < L) System.arraycopy(sc.out, 0, y, yo + g * len, nr * len);
        }
    }

    /**
     * Phase: g = (exp((x − m) − s) − [column = t])·c per row (s the log-sum: softmax as the exp of the
     * log-softmax), all zero for a row with t < 0. The flushed exp (the argument is ≤ 0 with
     * rowStats' m and s): a probability below Float.MIN_NORMAL is 0.
     */
    private static void writeGradient(float[] x, int xo, float[] gx, int go, int rows, int len, float[] m, float[] s, float[] t,
                                      float[] c, Scratch sc) {
        VectorShuffle<Float>[] row = ROW[len];
        float[] col = COL[len];
        for (int g = 0; g < rows; g += L) {
            int nr = Math.min(L, rows - g), xg = xo + g * len;
            float[] src = sc.source(x, xg, nr, len), dst = nr < L ? sc.out : gx;
            int sb = src == x ? xg : 0, db = nr < L ? 0 : go + g * len;
            FloatVector mv = FloatVector.fromArray(S, m, g), sv = FloatVector.fromArray(S, s, g);
            FloatVector tv = FloatVector.fromArray(S, t, g), cv = FloatVector.fromArray(S, c, g);
            for (int v = 0; v < len; v++) {
                FloatVector p = ExpVector.expFlushed(FloatVector.fromArray(S, src, sb + v * L).sub(mv.rearrange(row[v])).sub(sv.rearrange(row[v])));
                FloatVector tr = tv.rearrange(row[v]);
                FloatVector hot = FloatVector.zero(S).blend(1f, FloatVector.fromArray(S, col, v * L).eq(tr));
                p.sub(hot).mul(cv.rearrange(row[v])).blend(0f, tr.lt(0f)).intoArray(dst, db + v * L);
            }
            if (nr < L) System.arraycopy(sc.out, 0, gx, go + g * len, nr * len);
        }
    }

    /** cols[k·L + l] = a[base + l·len + k] for the L rows of a group (reads L floats from each row start). */
    private static void columns(float[] a, int base, int len, float[] cols) {
        if (L == 16) {
            transpose16(a, base, len, cols);
            return;
        }
        for (int l = 0; l < L; l++)
            for (int k = 0; k < len; k++) cols[k * L + l] = a[base + l * len + k];
    }

    // constant lane permutations of the 16×16 transpose: stage s swaps lane bit 2^s with row bit 2^s
    private static final VectorShuffle<Float> UP0 = shift(1), UP1 = shift(2), UP2 = shift(4), UP3 = shift(8);
    private static final VectorShuffle<Float> DOWN0 = shift(-1), DOWN1 = shift(-2), DOWN2 = shift(-4), DOWN3 = shift(-8);
    private static final VectorMask<Float> HIGH0 = bit(1, true), HIGH1 = bit(2, true), HIGH2 = bit(4, true), HIGH3 = bit(8, true);
    private static final VectorMask<Float> LOW0 = bit(1, false), LOW1 = bit(2, false), LOW2 = bit(4, false), LOW3 = bit(8, false);

    private static VectorShuffle<Float> shift(int by) {
        return VectorShuffle.fromOp(S, i -> Math.floorMod(i - by, L));
    }

    private static VectorMask<Float> bit(int b, boolean set) {
        boolean[] m = new boolean[L];
        for (int i = 0; i < L; i++) m[i] = ((i & b) != 0) == set;
        return VectorMask.fromArray(S, m, 0);
    }

    /**
     * Rows r of a[base + r·ld], 16 lanes each, transposed into cols (lane l of vector k = row l, lane
     * k): a rearrange and a blend per vector and stage, which C2 on JDK 17 compiles to single
     * instructions (a two-vector rearrange it does not).
     */
    private static void transpose16(float[] a, int base, int ld, float[] cols) {
        FloatVector r0 = FloatVector.fromArray(S, a, base + 0 * ld), r1 = FloatVector.fromArray(S, a, base + 1 * ld), r2 = FloatVector.fromArray(S, a, base + 2 * ld), r3 = FloatVector.fromArray(S, a, base + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(S, a, base + 4 * ld), r5 = FloatVector.fromArray(S, a, base + 5 * ld), r6 = FloatVector.fromArray(S, a, base + 6 * ld), r7 = FloatVector.fromArray(S, a, base + 7 * ld);
        FloatVector r8 = FloatVector.fromArray(S, a, base + 8 * ld), r9 = FloatVector.fromArray(S, a, base + 9 * ld), r10 = FloatVector.fromArray(S, a, base + 10 * ld), r11 = FloatVector.fromArray(S, a, base + 11 * ld);
        FloatVector r12 = FloatVector.fromArray(S, a, base + 12 * ld), r13 = FloatVector.fromArray(S, a, base + 13 * ld), r14 = FloatVector.fromArray(S, a, base + 14 * ld), r15 = FloatVector.fromArray(S, a, base + 15 * ld);
        FloatVector a0 = r0.blend(r1.rearrange(UP0), HIGH0), a1 = r1.blend(r0.rearrange(DOWN0), LOW0);
        FloatVector a2 = r2.blend(r3.rearrange(UP0), HIGH0), a3 = r3.blend(r2.rearrange(DOWN0), LOW0);
        FloatVector a4 = r4.blend(r5.rearrange(UP0), HIGH0), a5 = r5.blend(r4.rearrange(DOWN0), LOW0);
        FloatVector a6 = r6.blend(r7.rearrange(UP0), HIGH0), a7 = r7.blend(r6.rearrange(DOWN0), LOW0);
        FloatVector a8 = r8.blend(r9.rearrange(UP0), HIGH0), a9 = r9.blend(r8.rearrange(DOWN0), LOW0);
        FloatVector a10 = r10.blend(r11.rearrange(UP0), HIGH0), a11 = r11.blend(r10.rearrange(DOWN0), LOW0);
        FloatVector a12 = r12.blend(r13.rearrange(UP0), HIGH0), a13 = r13.blend(r12.rearrange(DOWN0), LOW0);
        FloatVector a14 = r14.blend(r15.rearrange(UP0), HIGH0), a15 = r15.blend(r14.rearrange(DOWN0), LOW0);
        FloatVector b0 = a0.blend(a2.rearrange(UP1), HIGH1), b2 = a2.blend(a0.rearrange(DOWN1), LOW1);
        FloatVector b1 = a1.blend(a3.rearrange(UP1), HIGH1), b3 = a3.blend(a1.rearrange(DOWN1), LOW1);
        FloatVector b4 = a4.blend(a6.rearrange(UP1), HIGH1), b6 = a6.blend(a4.rearrange(DOWN1), LOW1);
        FloatVector b5 = a5.blend(a7.rearrange(UP1), HIGH1), b7 = a7.blend(a5.rearrange(DOWN1), LOW1);
        FloatVector b8 = a8.blend(a10.rearrange(UP1), HIGH1), b10 = a10.blend(a8.rearrange(DOWN1), LOW1);
        FloatVector b9 = a9.blend(a11.rearrange(UP1), HIGH1), b11 = a11.blend(a9.rearrange(DOWN1), LOW1);
        FloatVector b12 = a12.blend(a14.rearrange(UP1), HIGH1), b14 = a14.blend(a12.rearrange(DOWN1), LOW1);
        FloatVector b13 = a13.blend(a15.rearrange(UP1), HIGH1), b15 = a15.blend(a13.rearrange(DOWN1), LOW1);
        FloatVector c0 = b0.blend(b4.rearrange(UP2), HIGH2), c4 = b4.blend(b0.rearrange(DOWN2), LOW2);
        FloatVector c1 = b1.blend(b5.rearrange(UP2), HIGH2), c5 = b5.blend(b1.rearrange(DOWN2), LOW2);
        FloatVector c2 = b2.blend(b6.rearrange(UP2), HIGH2), c6 = b6.blend(b2.rearrange(DOWN2), LOW2);
        FloatVector c3 = b3.blend(b7.rearrange(UP2), HIGH2), c7 = b7.blend(b3.rearrange(DOWN2), LOW2);
        FloatVector c8 = b8.blend(b12.rearrange(UP2), HIGH2), c12 = b12.blend(b8.rearrange(DOWN2), LOW2);
        FloatVector c9 = b9.blend(b13.rearrange(UP2), HIGH2), c13 = b13.blend(b9.rearrange(DOWN2), LOW2);
        FloatVector c10 = b10.blend(b14.rearrange(UP2), HIGH2), c14 = b14.blend(b10.rearrange(DOWN2), LOW2);
        FloatVector c11 = b11.blend(b15.rearrange(UP2), HIGH2), c15 = b15.blend(b11.rearrange(DOWN2), LOW2);
        FloatVector d0 = c0.blend(c8.rearrange(UP3), HIGH3), d8 = c8.blend(c0.rearrange(DOWN3), LOW3);
        FloatVector d1 = c1.blend(c9.rearrange(UP3), HIGH3), d9 = c9.blend(c1.rearrange(DOWN3), LOW3);
        FloatVector d2 = c2.blend(c10.rearrange(UP3), HIGH3), d10 = c10.blend(c2.rearrange(DOWN3), LOW3);
        FloatVector d3 = c3.blend(c11.rearrange(UP3), HIGH3), d11 = c11.blend(c3.rearrange(DOWN3), LOW3);
        FloatVector d4 = c4.blend(c12.rearrange(UP3), HIGH3), d12 = c12.blend(c4.rearrange(DOWN3), LOW3);
        FloatVector d5 = c5.blend(c13.rearrange(UP3), HIGH3), d13 = c13.blend(c5.rearrange(DOWN3), LOW3);
        FloatVector d6 = c6.blend(c14.rearrange(UP3), HIGH3), d14 = c14.blend(c6.rearrange(DOWN3), LOW3);
        FloatVector d7 = c7.blend(c15.rearrange(UP3), HIGH3), d15 = c15.blend(c7.rearrange(DOWN3), LOW3);
        d0.intoArray(cols, 0); d1.intoArray(cols, 16); d2.intoArray(cols, 32); d3.intoArray(cols, 48);
        d4.intoArray(cols, 64); d5.intoArray(cols, 80); d6.intoArray(cols, 96); d7.intoArray(cols, 112);
        d8.intoArray(cols, 128); d9.intoArray(cols, 144); d10.intoArray(cols, 160); d11.intoArray(cols, 176);
        d12.intoArray(cols, 192); d13.intoArray(cols, 208); d14.intoArray(cols, 224); d15.intoArray(cols, 240);
    }
}
