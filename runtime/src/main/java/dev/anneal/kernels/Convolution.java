package dev.anneal.kernels;

import java.util.Arrays;

/**
 * 2-D convolution (cross-correlation, as in PyTorch) over contiguous NCHW input and OIHW weight:
 * forward and the gradients for input, weight and bias.
 *
 * <p>The fast path lowers each image and group to one GEMM with {@link Matmul#gemm}: im2col
 * unfolds the receptive fields into a [C/g·kh·kw, OH·OW] matrix, out = W·col; backward computes
 * dW += dY·colᵀ and dcol = Wᵀ·dY folded back with col2im. Images are split over
 * {@link Parallel#forRange}; each chunk keeps one column buffer and its own weight-gradient
 * partial, and partials are summed in chunk order, so results depend only on the thread count.
 * On the Vector API path, stride-1, one-group, dilation-1 convolutions with padding below the
 * kernel size skip im2col ({@link #direct}): spatially vectorized register tiles over padded rows
 * (several images side by side where that wastes fewer columns, {@link PaddedRows}), or over dense
 * rows ("compact" layout) for same-width convolutions with few input channels; the weight gradient
 * is vectorized over input channels from a channels-last copy of the input, or over positions for
 * few input channels, and sums the bias gradient in the same sweep. 3-row kernels over many
 * channels run the forward and input-gradient passes as Winograd F(2, 3) along the columns
 * ({@link WinogradRows}).
 * {@link #forwardReference} and {@link #backwardReference} are the direct loops (ground truth).
 */
public final class Convolution {
    private Convolution() {}



    /** Sizes of one convolution; output sizes follow PyTorch: (in + 2p − d(k−1) − 1) / s + 1. */
    public static final class Geometry {
        public final int n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups;
        public final int oh, ow;

        public Geometry(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
            this.n = n; this.c = c; this.h = h; this.w = w; this.o = o;
            this.kh = kh; this.kw = kw; this.sh = sh; this.sw = sw; this.ph = ph; this.pw = pw; this.dh = dh; this.dw = dw;
            this.groups = groups;
            if (n < 0 || c <= 0 || h < 0 || w < 0 || o <= 0 || kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || ph < 0 || pw < 0
                    || dh <= 0 || dw <= 0 || groups <= 0 || c % groups != 0 || o % groups != 0)
                throw new IllegalArgumentException("Convolution.Geometry: invalid sizes " + this);
            this.oh = outSize(h, kh, sh, ph, dh);
            this.ow = outSize(w, kw, sw, pw, dw);
            if (oh <= 0 || ow <= 0) throw new IllegalArgumentException("Convolution.Geometry: output size " + oh + "×" + ow + " for " + this);
        }

        public static int outSize(int in, int k, int s, int p, int d) {
            return Math.floorDiv(in + 2 * p - d * (k - 1) - 1, s) + 1;
        }

        /** Input channels per group. */
        public int cg() { return c / groups; }
        /** Output channels per group. */
        public int og() { return o / groups; }
        /** Rows of the column matrix: C/g·kh·kw. */
        public int kdim() { return cg() * kh * kw; }
        public int outPlane() { return oh * ow; }

        /** The column matrix is the input plane itself (1×1 kernel, stride 1, no padding). */
        boolean pointwise() {
            return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0;
        }

        @Override
        public String toString() {
            return "input [" + n + ", " + c + ", " + h + ", " + w + "], " + o + " outputs, kernel " + kh + "×" + kw + ", stride " + sh + "×" + sw
                    + ", padding " + ph + "×" + pw + ", dilation " + dh + "×" + dw + ", groups " + groups;
        }
    }

    // ---------------------------------------------------------------- fast path

    /** y[n, o, oh, ow] = Σ x·w (+ bias[o]); bias may be null. */
    public static float[] forward(Geometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff) {
        if (VectorSupport.enabled()) JitWarmup.convolutions();
        if (direct(g)) return forwardDirect(g, x, xOff, w, wOff, bias, bOff);
        int P = g.outPlane(), K = g.kdim(), cg = g.cg(), og = g.og(), plane = g.h * g.w;
        float[] y = new float[g.n * g.o * P];
        boolean vector = VectorSupport.enabled();
        boolean pointwise = g.pointwise();
        Parallel.forRange(g.n, 1, (from, to) -> {
            float[] col = pointwise ? null : new float[K * P];
            for (int img = from; img < to; img++) {
                for (int grp = 0; grp < g.groups; grp++) {
                    int xo = xOff + (img * g.c + grp * cg) * plane;
                    int yo = (img * g.o + grp * og) * P;
                    if (!pointwise) im2col(g, x, xo, col);
                    if (bias != null) {
                        for (int oc = 0; oc < og; oc++) {
                            float b = bias[bOff + grp * og + oc];
                            if (vector) ConvolutionVector.fill(y, yo + oc * P, P, b);
                            else Arrays.fill(y, yo + oc * P, yo + (oc + 1) * P, b);
                        }
                    }
                    Matmul.gemm(false, false, og, P, K, w, wOff + grp * og * K, K, pointwise ? x : col, pointwise ? xo : 0, P,
                            y, yo, P, bias != null);
                }
            }
        });
        return y;
    }

    /**
     * Gradients from dL/dy (contiguous [n, o, oh, ow]): gx (input shape) is overwritten, gw (weight
     * shape) is overwritten, gb ([o]) is overwritten; pass null for any that is not needed.
     */
    public static void backward(Geometry g, float[] x, int xOff, float[] w, int wOff, float[] gy,
                                float[] gx, float[] gw, float[] gb) {
        if (VectorSupport.enabled()) JitWarmup.convolutions();
        int P = g.outPlane(), K = g.kdim(), cg = g.cg(), og = g.og(), plane = g.h * g.w;
        boolean vector = VectorSupport.enabled();
        boolean pointwise = g.pointwise();
        // the direct path sums the bias gradient in its weight-gradient sweep, while dL/dy is in cache
        boolean fusedBias = gw != null && direct(g);
        if (gb != null && !fusedBias) {
            Parallel.forRange(g.o, 1, (from, to) -> {
                for (int oc = from; oc < to; oc++) {
                    double s = 0;
                    for (int img = 0; img < g.n; img++) {
                        int at = (img * g.o + oc) * P;
                        s += vector ? ConvolutionVector.sum(gy, at, P) : sum(gy, at, P);
                    }
                    gb[oc] = (float) s;
                }
            });
        }
        if (gx == null && gw == null) return;
        if (direct(g)) {
            backwardDirect(g, x, xOff, w, wOff, gy, gx, gw, gb);
            return;
        }
        if (gx != null) Arrays.fill(gx, 0, g.n * g.c * plane, 0f);
        // one weight-gradient partial per chunk, indexed by the chunk's first image. With few
        // columns (K < og, e.g. one input channel) the GEMM computes dWᵀ = col·dYᵀ instead, since
        // a K-wide product would mostly fill the micro-kernel's column panel with padding.
        float[][] partials = gw == null ? null : new float[Math.max(1, g.n)][];
        boolean transposedW = K < og;
        Parallel.forRange(g.n, 1, (from, to) -> {
            float[] col = pointwise ? null : new float[K * P];
            float[] dcol = gx == null || pointwise ? null : new float[K * P];
            float[] part = gw == null ? null : new float[g.o * K];
            for (int img = from; img < to; img++) {
                for (int grp = 0; grp < g.groups; grp++) {
                    int xo = xOff + (img * g.c + grp * cg) * plane;
                    int yo = (img * g.o + grp * og) * P;
                    int wo = wOff + grp * og * K;
                    if (part != null) {
                        if (!pointwise) im2col(g, x, xo, col);
                        if (transposedW)
                            Matmul.gemm(false, true, K, og, P, pointwise ? x : col, pointwise ? xo : 0, P, gy, yo, P,
                                    part, grp * og * K, og, true);
                        else
                            Matmul.gemm(false, true, og, K, P, gy, yo, P, pointwise ? x : col, pointwise ? xo : 0, P,
                                    part, grp * og * K, K, true);
                    }
                    if (gx != null) {
                        int gxo = (img * g.c + grp * cg) * plane;
                        if (pointwise) {
                            Matmul.gemm(true, false, K, P, og, w, wo, K, gy, yo, P, gx, gxo, P, false);
                        } else {
                            Matmul.gemm(true, false, K, P, og, w, wo, K, gy, yo, P, dcol, 0, P, false);
                            col2im(g, dcol, gx, gxo, vector);
                        }
                    }
                }
            }
            if (part != null) partials[from] = part;
        });
        if (gw != null) {
            Arrays.fill(gw, 0, g.o * K, 0f);
            for (float[] part : partials) {
                if (part == null) continue;
                if (transposedW) {
                    for (int grp = 0; grp < g.groups; grp++) {
                        int base = grp * og * K;
                        for (int oc = 0; oc < og; oc++)
                            for (int k = 0; k < K; k++) gw[base + oc * K + k] += part[base + k * og + oc];
                    }
                } else if (vector) {
                    ConvolutionVector.addInto(part, 0, gw, 0, g.o * K);
                } else {
                    addInto(part, 0, gw, 0, g.o * K);
                }
            }
        }
    }

    // ---------------------------------------------------------------- direct path (Vector API, stride 1)

    /**
     * Stride 1, dilation 1, one group, padding below the kernel size: the Vector API path computes
     * these directly from zero-padded (or shifted dense) planes, no im2col matrix, no GEMM packing:
     * see {@link ConvolutionVector#direct}, {@link ConvolutionVector#directTiles},
     * {@link ConvolutionVector#weightGradChannelsLast}, {@link ConvolutionVector#weightGradSpatial}
     * and {@link ConvolutionVector#weightGrad}.
     */
    static boolean direct(Geometry g) {
        return VectorSupport.enabled() && g.groups == 1 && g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1
                && g.ph < g.kh && g.pw < g.kw && g.n > 0;
    }

    /** Offsets of the receptive-field cells (c, ki, kj) in a stack of padded planes: c·planeStride + ki·rowStride + kj. */
    private static int[] fieldOffsets(int channels, int kh, int kw, int planeStride, int rowStride) {
        int[] off = new int[channels * kh * kw];
        int k = 0;
        for (int c = 0; c < channels; c++)
            for (int ki = 0; ki < kh; ki++)
                for (int kj = 0; kj < kw; kj++) off[k++] = c * planeStride + ki * rowStride + kj;
        return off;
    }

    /** Copies channels planes [h, w] at src into the interior of padded planes (the zero border is left as is). */
    private static void pad(float[] src, int so, int channels, int h, int w, float[] dst, int planeStride, int rowStride, int ph, int pw) {
        ConvolutionVector.padRows(src, so, 0, 1, 0, channels, h, w, dst, planeStride, rowStride, ph, pw);
    }

    private static float[] forwardDirect(Geometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff) {
        int lanes = ConvolutionVector.lanes(), P = g.outPlane(), K = g.kdim();
        float[] y = new float[g.n * g.o * P];
        if (compactSpatial(g.c, g.w, g.ow, P)) {
            int[] off = shiftedOffsets(g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw);
            int[] tiles = tilePlan(P, lanes);
            int len = g.kw * shiftedCopyLen(g.c, g.h, g.w, g.ph, g.kw);
            Parallel.forRange(g.n, 1, (from, to) -> {
                float[] in = new float[len];
                for (int img = from; img < to; img++) {
                    fillShifted(x, xOff + img * g.c * g.h * g.w, g.c, g.h, g.w, g.kw, g.ph, g.pw, in);
                    ConvolutionVector.directTiles(in, off, K, w, wOff, g.o, bias, bOff, tiles, y, img * g.o * P, P);
                }
            });
            return y;
        }
        int per = imagesPerRow(g.c, g.h, g.w, g.oh, g.ow, g.kh, g.kw, g.ph, g.pw, g.n);
        int groups = ceilDiv(g.n, per);
        if (rowWinograd(g.c, g.kh, g.oh)) {
            float[] u = WinogradRows.weights(w, wOff, g.o, g.c, g.kw);
            WinogradRows full = new WinogradRows(new PaddedRows(per, g.c, g.h, g.w, g.oh, g.ow, g.kh, g.kw, g.ph, g.pw), g.o, g.kw);
            WinogradRows last = g.n % per == 0 ? full
                    : new WinogradRows(new PaddedRows(g.n % per, g.c, g.h, g.w, g.oh, g.ow, g.kh, g.kw, g.ph, g.pw), g.o, g.kw);
            int imgIn = g.c * g.h * g.w, imgOut = g.o * P;
            Parallel.forRange(groups, 1, (from, to) -> {
                WinogradRows.Scratch scratch = null;
            WinogradRows winogradLayout = null;
                WinogradRows layout = null;
                for (int grp = from; grp < to; grp++) {
                    WinogradRows rows = grp == groups - 1 ? last : full;
                    if (scratch == null || layout != rows) {
                        scratch = rows.scratch();
                        layout = rows;
                    }
                    int img = grp * per;
                    rows.run(x, xOff + img * imgIn, imgIn, u, bias, bOff, y, img * imgOut, imgOut, scratch);
                }
            });
            return y;
        }
        PaddedRows full = new PaddedRows(per, g.c, g.h, g.w, g.oh, g.ow, g.kh, g.kw, g.ph, g.pw);
        PaddedRows last = g.n % per == 0 ? full : new PaddedRows(g.n % per, g.c, g.h, g.w, g.oh, g.ow, g.kh, g.kw, g.ph, g.pw);
        int imgIn = g.c * g.h * g.w, imgOut = g.o * P;
        Parallel.forRange(groups, 1, (from, to) -> {
            float[] in = null, out = null;
            PaddedRows layout = null;
            for (int grp = from; grp < to; grp++) {
                PaddedRows rows = grp == groups - 1 ? last : full;
                if (rows != layout) {
                    layout = rows;
                    in = new float[rows.inLen];
                    out = new float[g.o * rows.nv * lanes];
                }
                int img = grp * per;
                rows.pad(x, xOff + img * imgIn, imgIn, in);
                ConvolutionVector.direct(in, rows.off, K, w, wOff, g.o, bias, bOff, rows.nv, out);
                rows.unpad(out, g.o, y, img * imgOut, imgOut);
            }
        });
        return y;
    }

    // ---------------------------------------------------------------- padded rows, several images side by side

    /**
     * How many images {@link PaddedRows} puts side by side: the count from 1 to 4 that needs the
     * fewest vectors per image (ties to the smaller count), with the group's padded input at most
     * 256 KB (it is swept once per 4 output channels, so it has to stay in L2). At 14×14 with 16
     * lanes, one image per row computes 14 vectors (2 of every 16 columns are padding), 4 images
     * side by side 13.25 (measured 6% faster for the forward over 32 channels and the input
     * gradient over 64).
     */
    static int imagesPerRow(int channels, int h, int w, int oh, int ow, int kh, int kw, int ph, int pw, int n) {
        int best = 1;
        double bestCost = PaddedRows.vectors(1, h, w, oh, ow, ph, pw);
        for (int k = 2; k <= Math.min(4, n); k++) {
            if (kw > 2 * pw + 1 || (long) channels * (h + 2 * ph) * k * (w + pw) * 4 > 256 * 1024) break;
            double cost = (double) PaddedRows.vectors(k, h, w, oh, ow, ph, pw) / k;
            if (cost < bestCost) {
                best = k;
                bestCost = cost;
            }
        }
        return best;
    }

    /**
     * Zero-padded planes for the spatially vectorized kernel ({@link ConvolutionVector#direct}),
     * holding {@code images} images side by side in each row. One image: rows [pw zeros, w values,
     * pw zeros]. Several: rows [pw zeros, image 0, pw zeros, image 1, ..., image k−1], each image's
     * right border being the next image's left one and the last image's the next row's leading
     * zeros (needs kw ≤ 2·pw + 1). Output position (oy, image j, ox) is oy·rowStride + j·seg + ox
     * and reads cell (c, ki, kj) at that plus off[(c·kh + ki)·kw + kj]; the other positions are
     * computed and dropped.
     */
    static final class PaddedRows {
        final int images, channels, seg, rowStride, planeStride, nv, inLen, h, w, ph, pw, oh, ow;
        final int[] off;

        PaddedRows(int images, int channels, int h, int w, int oh, int ow, int kh, int kw, int ph, int pw) {
            this.images = images;
            this.channels = channels;
            this.h = h; this.w = w; this.ph = ph; this.pw = pw; this.oh = oh; this.ow = ow;
            this.rowStride = images == 1 ? w + 2 * pw : images * (w + pw);
            this.seg = w + pw;
            this.planeStride = (h + 2 * ph) * rowStride;
            this.nv = vectors(images, h, w, oh, ow, ph, pw);
            this.off = fieldOffsets(channels, kh, kw, planeStride, rowStride);
            this.inLen = off[off.length - 1] + nv * ConvolutionVector.lanes(); // the last vector of the last cell stays in bounds
        }

        /** Vectors from the first output position to the last one of the last image. */
        static int vectors(int images, int h, int w, int oh, int ow, int ph, int pw) {
            int rs = images == 1 ? w + 2 * pw : images * (w + pw);
            return ceilDiv((oh - 1) * rs + (images - 1) * (w + pw) + ow, ConvolutionVector.lanes());
        }

        /** Copies the images at src[so + j·imgStride] into the interiors (the zero borders stay as they are). */
        void pad(float[] src, int so, int imgStride, float[] dst) {
            ConvolutionVector.padRows(src, so, imgStride, images, seg, channels, h, w, dst, planeStride, rowStride, ph, pw);
        }

        /** Copies the valid outputs of out (rows planes of nv·lanes) into dense planes at dst[d0 + j·imgStride]. */
        void unpad(float[] out, int rows, float[] dst, int d0, int imgStride) {
            int rowLen = nv * ConvolutionVector.lanes();
            for (int j = 0; j < images; j++)
                ConvolutionVector.unpadRows(out, j * seg, rowLen, rowStride, rows, oh, ow, dst, d0 + j * imgStride,
                        d0 + j * imgStride + rows * oh * ow);
        }
    }

    // ---------------------------------------------------------------- Winograd F(2, 3) along the columns

    /**
     * 3-row kernels with an even number of output rows over at least 16 input channels take
     * {@link WinogradRows}: 4 products per 2 output rows instead of 6 (1.5× fewer multiplies),
     * which changes rounding slightly (sums and differences of inputs and of kernel rows are
     * formed before the products; checked against the double-precision reference loops).
     */
    static boolean rowWinograd(int channels, int kh, int oh) {
        return kh == 3 && oh % 2 == 0 && channels >= 16;
    }

    /**
     * Winograd F(2, 3) (Lavin &amp; Gray 2016) along each column of the padded planes of
     * {@link PaddedRows}, the rows of the kernel left direct: output rows 2t and 2t+1 are
     * A^T [(G w_kj) ⊙ (B^T d)] over input rows 2t..2t+3, so the four transformed planes ξ are each
     * convolved with 1×kw kernels by {@link ConvolutionVector#directByPosition} (one fma chain over (c, kj)
     * per output) and recombined while unpadding ({@link ConvolutionVector#winogradOutput}).
     */
    static final class WinogradRows {
        /** Output channels per pass over the transformed planes, so the four products stay in L2. */
        private static final int CHUNK = 16;
        final PaddedRows rows;
        final int outs, kdim, tiles, planeV, xiStride, nv;
        final int[][] off;

        WinogradRows(PaddedRows rows, int outs, int kw) {
            int lanes = ConvolutionVector.lanes();
            this.rows = rows;
            this.outs = outs;
            this.kdim = rows.channels * kw;
            this.tiles = rows.oh / 2;
            this.planeV = tiles * rows.rowStride;
            this.xiStride = rows.channels * planeV;
            this.nv = ceilDiv((tiles - 1) * rows.rowStride + (rows.images - 1) * rows.seg + rows.ow, lanes);
            this.off = new int[4][kdim];
            for (int xi = 0; xi < 4; xi++)
                for (int c = 0; c < rows.channels; c++)
                    for (int kj = 0; kj < kw; kj++) off[xi][c * kw + kj] = xi * xiStride + c * planeV + kj;
        }

        /** G w for weight [outs, channels, 3, kw] at wOff: u[ξ][o][c·kw + kj], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]. */
        static float[] weights(float[] w, int wOff, int outs, int channels, int kw) {
            int kdim = channels * kw;
            float[] u = new float[4 * outs * kdim];
            for (int o = 0; o < outs; o++)
                for (int c = 0; c < channels; c++)
                    for (int kj = 0; kj < kw; kj++) {
                        int at = wOff + (o * channels + c) * 3 * kw + kj, k = o * kdim + c * kw + kj;
                        double w0 = w[at], w1 = w[at + kw], w2 = w[at + 2 * kw];
                        u[k] = (float) w0;
                        u[outs * kdim + k] = (float) ((w0 + w1 + w2) * 0.5);
                        u[2 * outs * kdim + k] = (float) ((w0 - w1 + w2) * 0.5);
                        u[3 * outs * kdim + k] = (float) w2;
                    }
            return u;
        }

        /** Buffers for {@link #run}; their contents are dead between runs, except that the padding of in stays zero. */
        static final class Scratch {
            final int[] key;
            final float[] in, v, tmp = new float[ConvolutionVector.lanes()];
            final float[][] m;

            Scratch(WinogradRows r) {
                int lanes = ConvolutionVector.lanes();
                PaddedRows p = r.rows;
                key = r.key();
                // the input transform reads every padded row whole
                in = new float[Math.max(p.inLen, p.channels * p.planeStride + lanes)];
                // reads of the last cells run up to nv vectors past the last plane's start
                v = new float[4 * r.xiStride + r.nv * lanes + r.kdim];
                m = new float[4][Math.min(CHUNK, r.outs) * r.nv * lanes + lanes];
            }
        }

        /** What fixes the buffer sizes and the zero border of {@link Scratch#in}. */
        private int[] key() {
            return new int[] {rows.images, rows.channels, rows.h, rows.w, rows.ph, rows.pw, rows.oh, rows.ow, rows.rowStride, outs, kdim};
        }

        /**
         * Each thread keeps the buffers of its last few layouts (a layer's forward and input-gradient
         * passes alternate): allocating them per call cost a zeroing of ~1 MB per thread and pass.
         */
        private static final ThreadLocal<Scratch[]> CACHE = ThreadLocal.withInitial(() -> new Scratch[4]);

        /** This thread's buffers for this layout (reused; the padding of in is zero and only interiors get written). */
        Scratch scratch() {
            Scratch[] cache = CACHE.get();
            int[] k = key();
            for (Scratch sc : cache) if (sc != null && Arrays.equals(sc.key, k)) return sc;
            Scratch fresh = new Scratch(this);
            System.arraycopy(cache, 0, cache, 1, cache.length - 1); // drop the least recently created
            cache[0] = fresh;
            return fresh;
        }

        /**
         * Convolves the images at src[so + j·imgStride] with u (from {@link #weights}) into dense
         * output planes at dst[d0 + j·dImgStride], adding bias (may be null).
         */
        void run(float[] src, int so, int imgStride, float[] u, float[] bias, int bOff, float[] dst, int d0, int dImgStride, Scratch s) {
            int rowLen = nv * ConvolutionVector.lanes(), plane = rows.oh * rows.ow;
            rows.pad(src, so, imgStride, s.in);
            ConvolutionVector.winogradInput(s.in, rows.channels, rows.planeStride, rows.rowStride, tiles, s.v, planeV, xiStride);
            for (int o0 = 0; o0 < outs; o0 += CHUNK) {
                int count = Math.min(CHUNK, outs - o0);
                for (int xi = 0; xi < 4; xi++)
                    ConvolutionVector.directByPosition(s.v, off[xi], kdim, u, (xi * outs + o0) * kdim, count, nv, s.m[xi]);
                ConvolutionVector.winogradOutput(s.m[0], s.m[1], s.m[2], s.m[3], rowLen, count, bias, bOff + o0, tiles,
                        rows.rowStride, rows.seg, rows.images, rows.ow, dst, d0 + o0 * plane, dImgStride, plane, s.tmp);
            }
        }
    }

    // ---------------------------------------------------------------- compact layout (output rows as wide as input rows)

    /**
     * Output rows as wide as the input rows (2·pw = kw − 1) and at least 6 vectors per output
     * plane: the spatial kernel runs over the dense plane (no padding columns to compute and drop)
     * and stores straight into the output, see {@link #fillShifted} and {@link #tilePlan}.
     */
    static boolean compact(int inW, int outW, int outPlane) {
        return inW == outW && outPlane >= 6 * ConvolutionVector.lanes();
    }

    /**
     * The spatial kernel takes the compact layout for up to 16 input channels: measured ahead of
     * the padded layout there (no padding columns, no unpadding, 1.2× at 8 channels), but 5–10%
     * behind at 32 and 64 channels, also when swept in blocks of 8 channels (so not the footprint;
     * the three copies put each step's loads on three times as many cache lines).
     */
    static boolean compactSpatial(int channels, int inW, int outW, int outPlane) {
        return channels <= 16 && compact(inW, outW, outPlane);
    }

    /** Leading zeros of each copy: the reads of cell (c, 0, kj) at position 0 start here, a multiple of the lanes. */
    private static int shiftedLead(int kw) {
        int lanes = ConvolutionVector.lanes();
        return ceilDiv(kw, lanes) * lanes;
    }

    private static int shiftedCopyLen(int channels, int h, int w, int ph, int kw) {
        int lanes = ConvolutionVector.lanes();
        return ceilDiv(2 * shiftedLead(kw) + channels * (h + 2 * ph) * w, lanes) * lanes;
    }

    /** Offset of cell (c, ki, kj) for output position 0 in the copies written by {@link #fillShifted}. */
    private static int[] shiftedOffsets(int channels, int h, int w, int kh, int kw, int ph, int pw) {
        int plane = (h + 2 * ph) * w, copy = shiftedCopyLen(channels, h, w, ph, kw), lead = shiftedLead(kw);
        int[] off = new int[channels * kh * kw];
        int k = 0;
        for (int c = 0; c < channels; c++)
            for (int ki = 0; ki < kh; ki++)
                for (int kj = 0; kj < kw; kj++) off[k++] = kj * copy + lead + c * plane + ki * w;
        return off;
    }

    /**
     * kw copies of the channels planes [h, w] at src, each plane with ph zero rows above and below
     * and rows w apart (no padding columns). Output position i = oy·w + ox reads cell (ki, kj) at
     * i + ki·w + (kj − pw) from the start of copy kj's data, which is placed so that this address
     * is i + ki·w + c·plane from an aligned lead (a third of the loads aligned, as with padded rows).
     * Where ox + kj − pw leaves the row, the read lands on the neighbouring row's other edge, so
     * copy kj has those |kj − pw| edge columns zeroed.
     */
    private static void fillShifted(float[] src, int so, int channels, int h, int w, int kw, int ph, int pw, float[] dst) {
        int plane = (h + 2 * ph) * w, copy = shiftedCopyLen(channels, h, w, ph, kw), hw = h * w, lead = shiftedLead(kw);
        for (int kj = 0; kj < kw; kj++) {
            int d = kj - pw, base = kj * copy + lead - d + ph * w;
            int zFrom = d < 0 ? Math.max(0, w + d) : 0, zTo = d < 0 ? w : Math.min(d, w);
            for (int c = 0; c < channels; c++) {
                int at = base + c * plane;
                System.arraycopy(src, so + c * hw, dst, at, hw);
                if (d != 0)
                    for (int y = 0, r = at; y < h; y++, r += w)
                        for (int j = zFrom; j < zTo; j++) dst[r + j] = 0f;
            }
        }
    }

    /**
     * (start, width) pairs of register tiles, widths 6, 5, 4 or 2 vectors, covering [0, plane):
     * sixes while more than 11 vectors are left, then one or two tiles, the last one shifted back
     * to end at the plane's end (it overlaps its neighbour instead of running past the plane).
     * Needs plane ≥ 6·lanes.
     */
    static int[] tilePlan(int plane, int lanes) {
        int t = ceilDiv(plane, lanes), i = 0;
        int[] plan = new int[2 * (t / 6 + 2)];
        int n = 0;
        for (; t > 11; t -= 6, i += 6 * lanes) {
            plan[n++] = i;
            plan[n++] = 6;
        }
        int last;
        if (t > 6) {
            int first = t == 7 ? 5 : t == 8 ? 4 : t == 11 ? 6 : 5;
            plan[n++] = i;
            plan[n++] = first;
            last = t - first;
        } else {
            last = t;
        }
        if (last == 3) last = 4;
        if (last == 1) last = 2;
        plan[n++] = plane - last * lanes;
        plan[n++] = last;
        return Arrays.copyOf(plan, n);
    }

    /**
     * Input gradient as the forward kernel on dL/dy padded by k−1−p with the flipped, transposed
     * weight (images side by side as in the forward pass, so chunks are groups of images); weight
     * gradient from a channels-last copy of the input, shifted dense copies, or padded planes with
     * dL/dy transposed, per image; bias gradient summed per image in the same sweep. One weight-
     * and bias-gradient partial per chunk, summed in chunk order.
     */
    private static void backwardDirect(Geometry g, float[] x, int xOff, float[] w, int wOff, float[] gy, float[] gx, float[] gw,
                                       float[] gb) {
        int lanes = ConvolutionVector.lanes(), P = g.outPlane(), K = g.kdim(), plane = g.h * g.w, taps = g.kh * g.kw;
        // weight gradient, channels-last (c ≥ lanes): the input transposed to [padded position][ldc channels]
        boolean channelsLast = g.c >= lanes;
        // weight gradient, few input channels on a compact plane: vectorized over positions
        boolean spatialW = !channelsLast && compact(g.w, g.ow, P);
        int[] offS = spatialW ? shiftedOffsets(g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw) : null;
        int inSLen = spatialW ? g.kw * shiftedCopyLen(g.c, g.h, g.w, g.ph, g.kw) : 0;
        int nvS = P / lanes;
        int ldc = ceilDiv(g.c, lanes) * lanes, cRow = g.kw * ldc;
        // weight gradient, otherwise: input planes padded as in the forward pass, dL/dy transposed
        int rowStride = g.w + 2 * g.pw, planeStride = (g.h + 2 * g.ph) * rowStride;
        int[] off = fieldOffsets(g.c, g.kh, g.kw, planeStride, rowStride);
        int ldr = ceilDiv(g.o, 2 * lanes) * 2 * lanes;
        int[] pos = new int[P];
        for (int oy = 0; oy < g.oh; oy++)
            for (int ox = 0; ox < g.ow; ox++) pos[oy * g.ow + ox] = (oy * rowStride + ox) * (channelsLast ? ldc : 1);
        int accLen = channelsLast ? g.o * g.kh * cRow : spatialW ? g.o * K * lanes + g.o * K : K * ldr;
        // input gradient: dL/dy padded by k-1-p, weight w'[c][o][kh-1-ki][kw-1-kj]
        int qh = g.kh - 1 - g.ph, qw = g.kw - 1 - g.pw;
        boolean compactGx = compactSpatial(g.o, g.ow, g.w, plane);
        int K2 = g.o * taps;
        int[] off2 = compactGx ? shiftedOffsets(g.o, g.oh, g.ow, g.kh, g.kw, qh, qw) : null;
        int[] tiles2 = compactGx ? tilePlan(plane, lanes) : null;
        // padded input-gradient pass: per images side by side; the weight gradient walks the same groups
        int per = gx != null && !compactGx ? imagesPerRow(g.o, g.oh, g.ow, g.h, g.w, g.kh, g.kw, qh, qw, g.n) : 1;
        int groups = ceilDiv(g.n, per);
        PaddedRows full = gx == null || compactGx ? null : new PaddedRows(per, g.o, g.oh, g.ow, g.h, g.w, g.kh, g.kw, qh, qw);
        PaddedRows last = full == null || g.n % per == 0 ? full : new PaddedRows(g.n % per, g.o, g.oh, g.ow, g.h, g.w, g.kh, g.kw, qh, qw);
        int dyPadLen = compactGx ? g.kw * shiftedCopyLen(g.o, g.oh, g.ow, qh, g.kw) : 0;
        float[] wFlip = null;
        if (gx != null) {
            wFlip = new float[g.c * K2];
            for (int oc = 0; oc < g.o; oc++)
                for (int c = 0; c < g.c; c++)
                    for (int t = 0; t < taps; t++) wFlip[c * K2 + oc * taps + (taps - 1 - t)] = w[wOff + (oc * g.c + c) * taps + t];
        }
        float[] wf = wFlip;
        // the padded input-gradient pass as Winograd along the columns where it applies (same groups of images)
        boolean winogradGx = full != null && rowWinograd(g.o, g.kh, g.h);
        float[] uGx = winogradGx ? WinogradRows.weights(wf, 0, g.c, g.o, g.kw) : null;
        WinogradRows wFull = winogradGx ? new WinogradRows(full, g.c, g.kw) : null;
        WinogradRows wLast = !winogradGx ? null : last == full ? wFull : new WinogradRows(last, g.c, g.kw);
        float[][] partials = gw == null ? null : new float[groups][];
        double[][] biasPartials = gw == null || gb == null ? null : new double[groups][];
        Parallel.forRange(groups, 1, (from, to) -> {
            float[] in = gw == null ? null : new float[channelsLast ? planeStride * ldc : spatialW ? inSLen : g.c * planeStride];
            float[] dyT = gw == null || channelsLast || spatialW ? null : new float[P * ldr];
            float[] acc = gw == null ? null : new float[accLen];
            double[] bacc = biasPartials == null ? null : new double[g.o];
            float[] dyPad = compactGx ? new float[dyPadLen] : null, out = null;
            PaddedRows layout = null;
            WinogradRows.Scratch scratch = null;
            WinogradRows winogradLayout = null;
            for (int grp = from; grp < to; grp++) {
                for (int img = grp * per, end = Math.min(g.n, img + per); img < end; img++) {
                    int yo = img * g.o * P;
                    if (gw != null && channelsLast) {
                        padChannelsLast(x, xOff + img * g.c * plane, g.c, g.h, g.w, in, rowStride, ldc, g.ph, g.pw);
                        ConvolutionVector.weightGradChannelsLast(in, pos, rowStride * ldc, g.kh, cRow, gy, yo, g.o, acc);
                    } else if (gw != null && spatialW) {
                        fillShifted(x, xOff + img * g.c * plane, g.c, g.h, g.w, g.kw, g.ph, g.pw, in);
                        ConvolutionVector.weightGradSpatial(in, offS, K, gy, yo, P, g.o, nvS, acc);
                        // positions past the last full vector: one scalar sum per (o, k) after the lanes
                        int tail = g.o * K * lanes;
                        for (int oc = 0; oc < g.o; oc++)
                            for (int k = 0; k < K; k++) {
                                float t = acc[tail + oc * K + k];
                                for (int i = nvS * lanes, d = yo + oc * P; i < P; i++) t += gy[d + i] * in[offS[k] + i];
                                acc[tail + oc * K + k] = t;
                            }
                    } else if (gw != null) {
                        pad(x, xOff + img * g.c * plane, g.c, g.h, g.w, in, planeStride, rowStride, g.ph, g.pw);
                        transpose(gy, yo, g.o, P, dyT, ldr);
                        ConvolutionVector.weightGrad(in, off, K, pos, dyT, ldr, acc);
                    }
                    if (bacc != null)
                        for (int oc = 0; oc < g.o; oc++) bacc[oc] += ConvolutionVector.sum(gy, yo + oc * P, P);
                    if (gx != null && compactGx) {
                        fillShifted(gy, yo, g.o, g.oh, g.ow, g.kw, qh, qw, dyPad);
                        ConvolutionVector.directTiles(dyPad, off2, K2, wf, 0, g.c, null, 0, tiles2, gx, img * g.c * plane, plane);
                    }
                }
                if (winogradGx) {
                    WinogradRows rows = grp == groups - 1 ? wLast : wFull;
                    if (scratch == null || winogradLayout != rows) {
                        scratch = rows.scratch();
                        winogradLayout = rows;
                    }
                    int img = grp * per;
                    rows.run(gy, img * g.o * P, g.o * P, uGx, null, 0, gx, img * g.c * plane, g.c * plane, scratch);
                } else if (full != null) {
                    PaddedRows rows = grp == groups - 1 ? last : full;
                    if (rows != layout) {
                        layout = rows;
                        dyPad = new float[rows.inLen];
                        out = new float[g.c * rows.nv * lanes];
                    }
                    int img = grp * per;
                    rows.pad(gy, img * g.o * P, g.o * P, dyPad);
                    ConvolutionVector.direct(dyPad, rows.off, K2, wf, 0, g.c, null, 0, rows.nv, out);
                    rows.unpad(out, g.c, gx, img * g.c * plane, g.c * plane);
                }
            }
            if (acc != null) partials[from] = acc;
            if (bacc != null) biasPartials[from] = bacc;
        });
        if (biasPartials != null) {
            for (int oc = 0; oc < g.o; oc++) {
                double t = 0;
                for (double[] part : biasPartials) if (part != null) t += part[oc];
                gb[oc] = (float) t;
            }
        }
        if (gw != null) {
            Arrays.fill(gw, 0, g.o * K, 0f);
            for (float[] part : partials) {
                if (part == null) continue;
                if (spatialW) {
                    int tail = g.o * K * lanes;
                    for (int ok = 0; ok < g.o * K; ok++) {
                        float t = 0;
                        for (int j = 0; j < lanes; j++) t += part[ok * lanes + j];
                        gw[ok] += t + part[tail + ok];
                    }
                } else if (channelsLast) {
                    for (int oc = 0; oc < g.o; oc++)
                        for (int c = 0; c < g.c; c++)
                            for (int ki = 0; ki < g.kh; ki++)
                                for (int kj = 0; kj < g.kw; kj++)
                                    gw[(oc * g.c + c) * taps + ki * g.kw + kj] += part[(oc * g.kh + ki) * cRow + kj * ldc + c];
                } else {
                    for (int oc = 0; oc < g.o; oc++)
                        for (int k = 0; k < K; k++) gw[oc * K + k] += part[k * ldr + oc];
                }
            }
        }
    }

    /** Channels planes [h, w] at src into dst[((y + ph)·rowStride + x + pw)·ldc + c] (border and channels ≥ c stay zero). */
    private static void padChannelsLast(float[] src, int so, int channels, int h, int w, float[] dst, int rowStride, int ldc, int ph, int pw) {
        int hw = h * w, c = 0;
        // 8 channels per pass: 8 contiguous stores per position instead of one strided store (~25% faster)
        for (; c + 8 <= channels; c += 8)
            for (int y = 0; y < h; y++) {
                int s = so + c * hw + y * w, d = ((y + ph) * rowStride + pw) * ldc + c;
                for (int x = 0; x < w; x++, s++, d += ldc) {
                    dst[d] = src[s];
                    dst[d + 1] = src[s + hw];
                    dst[d + 2] = src[s + 2 * hw];
                    dst[d + 3] = src[s + 3 * hw];
                    dst[d + 4] = src[s + 4 * hw];
                    dst[d + 5] = src[s + 5 * hw];
                    dst[d + 6] = src[s + 6 * hw];
                    dst[d + 7] = src[s + 7 * hw];
                }
            }
        for (; c < channels; c++)
            for (int y = 0; y < h; y++) {
                int s = so + (c * h + y) * w, d = ((y + ph) * rowStride + pw) * ldc + c;
                for (int x = 0; x < w; x++, d += ldc) dst[d] = src[s + x];
            }
    }

    /** dst[p·ld + r] = src[so + r·cols + p] for a rows×cols block, in 16-column strips so the rows written stay in L1. */
    private static void transpose(float[] src, int so, int rows, int cols, float[] dst, int ld) {
        for (int p0 = 0; p0 < cols; p0 += 16) {
            int p1 = Math.min(p0 + 16, cols);
            for (int r = 0; r < rows; r++) {
                int s = so + r * cols;
                for (int p = p0; p < p1; p++) dst[p * ld + r] = src[s + p];
            }
        }
    }

    /** Unfolds the receptive fields of one image-group (cg planes at xo) into col [cg·kh·kw, oh·ow]. */
    static void im2col(Geometry g, float[] x, int xo, float[] col) {
        int P = g.outPlane(), plane = g.h * g.w;
        int row = 0;
        for (int ci = 0; ci < g.cg(); ci++) {
            int xc = xo + ci * plane;
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int base = row * P;
                    int dx = kj * g.dw - g.pw;
                    // ox with 0 <= ox*sw + dx < w
                    int lo = Math.min(g.ow, ceilDiv(Math.max(0, -dx), g.sw));
                    int hi = Math.max(lo, Math.min(g.ow, ceilDiv(g.w - dx, g.sw)));
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        int cr = base + oy * g.ow;
                        if (iy < 0 || iy >= g.h) {
                            Arrays.fill(col, cr, cr + g.ow, 0f);
                            continue;
                        }
                        if (lo > 0) Arrays.fill(col, cr, cr + lo, 0f);
                        int xr = xc + iy * g.w + dx;
                        if (g.sw == 1) {
                            System.arraycopy(x, xr + lo, col, cr + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) col[cr + ox] = x[xr + ox * g.sw];
                        }
                        if (hi < g.ow) Arrays.fill(col, cr + hi, cr + g.ow, 0f);
                    }
                }
            }
        }
    }

    /** Adds the columns of dcol [cg·kh·kw, oh·ow] back onto the cg input planes at gxo (inverse of im2col). */
    static void col2im(Geometry g, float[] dcol, float[] gx, int gxo, boolean vector) {
        int P = g.outPlane(), plane = g.h * g.w;
        int row = 0;
        for (int ci = 0; ci < g.cg(); ci++) {
            int xc = gxo + ci * plane;
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int base = row * P;
                    int dx = kj * g.dw - g.pw;
                    int lo = Math.min(g.ow, ceilDiv(Math.max(0, -dx), g.sw));
                    int hi = Math.max(lo, Math.min(g.ow, ceilDiv(g.w - dx, g.sw)));
                    if (hi == lo) continue;
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        if (iy < 0 || iy >= g.h) continue;
                        int cr = base + oy * g.ow;
                        int xr = xc + iy * g.w + dx;
                        if (g.sw == 1) {
                            if (vector) ConvolutionVector.addInto(dcol, cr + lo, gx, xr + lo, hi - lo);
                            else addInto(dcol, cr + lo, gx, xr + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) gx[xr + ox * g.sw] += dcol[cr + ox];
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    static double sum(float[] a, int off, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) s += a[off + i];
        return s;
    }

    static void addInto(float[] src, int so, float[] dst, int d0, int len) {
        for (int i = 0; i < len; i++) dst[d0 + i] += src[so + i];
    }

    // ---------------------------------------------------------------- reference

    /** Direct seven-loop convolution, sums in double (ground truth for tests). */
    public static float[] forwardReference(Geometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff) {
        int cg = g.cg(), og = g.og();
        float[] y = new float[g.n * g.o * g.outPlane()];
        for (int img = 0; img < g.n; img++)
            for (int oc = 0; oc < g.o; oc++) {
                int grp = oc / og;
                for (int oy = 0; oy < g.oh; oy++)
                    for (int ox = 0; ox < g.ow; ox++) {
                        double s = bias == null ? 0 : bias[bOff + oc];
                        for (int ci = 0; ci < cg; ci++)
                            for (int ki = 0; ki < g.kh; ki++) {
                                int iy = oy * g.sh - g.ph + ki * g.dh;
                                if (iy < 0 || iy >= g.h) continue;
                                for (int kj = 0; kj < g.kw; kj++) {
                                    int ix = ox * g.sw - g.pw + kj * g.dw;
                                    if (ix < 0 || ix >= g.w) continue;
                                    s += (double) x[xOff + ((img * g.c + grp * cg + ci) * g.h + iy) * g.w + ix]
                                            * w[wOff + ((oc * cg + ci) * g.kh + ki) * g.kw + kj];
                                }
                            }
                        y[((img * g.o + oc) * g.oh + oy) * g.ow + ox] = (float) s;
                    }
            }
        return y;
    }

    /** Direct-loop gradients with the same contract as {@link #backward}, sums in double. */
    public static void backwardReference(Geometry g, float[] x, int xOff, float[] w, int wOff, float[] gy,
                                         float[] gx, float[] gw, float[] gb) {
        int cg = g.cg(), og = g.og();
        double[] dx = new double[g.n * g.c * g.h * g.w], dw = new double[g.o * g.kdim()], db = new double[g.o];
        for (int img = 0; img < g.n; img++)
            for (int oc = 0; oc < g.o; oc++) {
                int grp = oc / og;
                for (int oy = 0; oy < g.oh; oy++)
                    for (int ox = 0; ox < g.ow; ox++) {
                        double d = gy[((img * g.o + oc) * g.oh + oy) * g.ow + ox];
                        db[oc] += d;
                        for (int ci = 0; ci < cg; ci++)
                            for (int ki = 0; ki < g.kh; ki++) {
                                int iy = oy * g.sh - g.ph + ki * g.dh;
                                if (iy < 0 || iy >= g.h) continue;
                                for (int kj = 0; kj < g.kw; kj++) {
                                    int ix = ox * g.sw - g.pw + kj * g.dw;
                                    if (ix < 0 || ix >= g.w) continue;
                                    int xi = ((img * g.c + grp * cg + ci) * g.h + iy) * g.w + ix;
                                    int wi = ((oc * cg + ci) * g.kh + ki) * g.kw + kj;
                                    dx[xi] += d * w[wOff + wi];
                                    dw[wi] += d * x[xOff + xi];
                                }
                            }
                    }
            }
        if (gx != null) for (int i = 0; i < dx.length; i++) gx[i] = (float) dx[i];
        if (gw != null) for (int i = 0; i < dw.length; i++) gw[i] = (float) dw[i];
        if (gb != null) for (int i = 0; i < db.length; i++) gb[i] = (float) db[i];
    }
}
