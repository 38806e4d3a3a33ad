package dev.anneal.autograd;

import dev.anneal.kernels.BinaryOp;
import dev.anneal.kernels.Copy;
import dev.anneal.kernels.UnaryOp;
import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Layout;
import dev.anneal.tensor.Shape;
import dev.anneal.tensor.Storage;
import java.util.Arrays;
import java.util.List;

/**
 * A dense float32 tensor of any rank that records the operations applied to it so that
 * {@link #backward()} can compute gradients. Views (reshape, transpose, narrow, expand, ...)
 * share storage with their base; every op returns a new tensor and leaves its inputs alone
 * unless its name ends in {@code InPlace} or it is {@link #fill}, {@link #zero}, {@link #copyFrom}
 * or {@link #set}.
 *
 * <p>Index tensors (for gather, scatter, index-select, one-hot) are float tensors holding whole
 * numbers; comparisons return masks of 1 and 0.
 */
public final class Tensor {
    private final Storage storage;
    private final Layout layout;
    private boolean requiresGrad;
    private Tensor grad;
    private final Node gradFn;
    /** Set on a backward result nothing else references: the engine may adopt it as a leaf's .grad. */
    boolean unshared;

    Tensor(Storage storage, Layout layout, Node gradFn) {
        this.storage = storage;
        this.layout = layout;
        this.gradFn = gradFn;
        this.requiresGrad = gradFn != null;
    }

    /** A fresh contiguous tensor owning data (not copied). */
    static Tensor wrap(float[] data, int[] shape) {
        return new Tensor(new Storage(data), Layout.contiguous(shape), null);
    }

    // ---------------------------------------------------------------- creation

    /** A tensor holding a copy of data in the given shape (row-major). */
    public static Tensor of(float[] data, int... shape) {
        int[] s = Shape.check("Tensor.of", shape);
        if (data == null) throw new IllegalArgumentException("Tensor.of: data is null");
        if (data.length != Shape.numel(s))
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values cannot fill shape " + Shape.str(s)
                    + " (" + Shape.numel(s) + " elements)");
        return wrap(data.clone(), s);
    }

    /** A 1-D tensor of the given values. */
    public static Tensor vector(float... values) {
        return of(values, values.length);
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(float value) {
        return wrap(new float[] {value}, new int[0]);
    }

    public static Tensor zeros(int... shape) {
        int[] s = Shape.check("zeros", shape);
        return wrap(new float[Shape.numel(s)], s);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        int[] s = Shape.check("full", shape);
        float[] d = new float[Shape.numel(s)];
        Arrays.fill(d, value);
        return wrap(d, s);
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape());
    }

    public static Tensor onesLike(Tensor t) {
        return ones(t.shape());
    }

    public static Tensor fullLike(Tensor t, float value) {
        return full(value, t.shape());
    }

    /** 0, 1, ..., end-1. */
    public static Tensor arange(float end) {
        return arange(0, end, 1);
    }

    /** start, start+step, ... while below end (above end for a negative step), like PyTorch. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || Float.isNaN(step))
            throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        if (!Float.isFinite(start) || !Float.isFinite(end))
            throw new IllegalArgumentException("arange: start and end must be finite, got " + start + " and " + end);
        if ((end - start) / step < 0)
            throw new IllegalArgumentException("arange: end " + end + " cannot be reached from start " + start + " with step " + step);
        double count = Math.ceil(((double) end - start) / step);
        if (count > Integer.MAX_VALUE) throw new IllegalArgumentException("arange: " + count + " elements is too many");
        int n = (int) count;
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (start + (double) i * step);
        return wrap(d, new int[] {n});
    }

    /** steps values evenly from start to end inclusive. */
    public static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: steps must be non-negative, got " + steps);
        float[] d = new float[steps];
        if (steps == 1) d[0] = start;
        double step = steps > 1 ? ((double) end - start) / (steps - 1) : 0;
        // fill from both ends so the last value is exactly end, as PyTorch does
        int half = steps / 2;
        for (int i = 0; i < steps && steps > 1; i++)
            d[i] = i < half ? (float) (start + step * i) : (float) (end - step * (steps - 1 - i));
        return wrap(d, new int[] {steps});
    }

    public static Tensor eye(int n) {
        return eye(n, n);
    }

    public static Tensor eye(int rows, int cols) {
        Tensor t = zeros(rows, cols);
        for (int i = 0; i < Math.min(rows, cols); i++) t.storage.data()[i * cols + i] = 1f;
        return t;
    }

    /** Uniform on [0, 1). */
    public static Tensor rand(Generator g, int... shape) {
        int[] s = Shape.check("rand", shape);
        requireGenerator("rand", g);
        float[] d = new float[Shape.numel(s)];
        for (int i = 0; i < d.length; i++) d[i] = g.nextFloat();
        return wrap(d, s);
    }

    /** Standard normal. */
    public static Tensor randn(Generator g, int... shape) {
        int[] s = Shape.check("randn", shape);
        requireGenerator("randn", g);
        float[] d = new float[Shape.numel(s)];
        for (int i = 0; i < d.length; i++) d[i] = (float) g.nextGaussian();
        return wrap(d, s);
    }

    /** Whole numbers uniform in [low, high). */
    public static Tensor randint(Generator g, int low, int high, int... shape) {
        int[] s = Shape.check("randint", shape);
        requireGenerator("randint", g);
        if (high <= low) throw new IllegalArgumentException("randint: expected low < high, got [" + low + ", " + high + ")");
        float[] d = new float[Shape.numel(s)];
        for (int i = 0; i < d.length; i++) d[i] = low + g.nextInt(high - low);
        return wrap(d, s);
    }

    /** 1 with probability p, else 0. */
    public static Tensor bernoulli(Generator g, float p, int... shape) {
        int[] s = Shape.check("bernoulli", shape);
        requireGenerator("bernoulli", g);
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("bernoulli: p must be in [0, 1], got " + p);
        float[] d = new float[Shape.numel(s)];
        for (int i = 0; i < d.length; i++) d[i] = g.nextFloat() < p ? 1f : 0f;
        return wrap(d, s);
    }

    /** Each element 1 with the probability given by the same element of probs. */
    public static Tensor bernoulli(Generator g, Tensor probs) {
        requireGenerator("bernoulli", g);
        float[] p = probs.toArray();
        float[] d = new float[p.length];
        for (int i = 0; i < d.length; i++) {
            if (!(p[i] >= 0f && p[i] <= 1f))
                throw new IllegalArgumentException("bernoulli: probabilities must be in [0, 1], got " + p[i] + " at flat index " + i);
            d[i] = g.nextFloat() < p[i] ? 1f : 0f;
        }
        return wrap(d, probs.shape());
    }

    private static void requireGenerator(String op, Generator g) {
        if (g == null) throw new IllegalArgumentException(op + ": a Generator is required (runs are reproducible only from an explicit seed)");
    }

    // ---------------------------------------------------------------- facts

    public int[] shape() {
        return layout.shape();
    }

    public int size(int dim) {
        return layout.size(Shape.dim("size", dim, rank()));
    }

    public int rank() {
        return layout.rank();
    }

    public int numel() {
        return layout.numel();
    }

    public int[] strides() {
        return layout.strides();
    }

    public boolean isContiguous() {
        return layout.isContiguous();
    }

    Storage storage() {
        return storage;
    }

    Layout layout() {
        return layout;
    }

    /** The shared buffer, for kernels in other packages (optimizers, data); respect {@link #layoutView()}. */
    public float[] storageData() {
        return storage.data();
    }

    public Layout layoutView() {
        return layout;
    }

    /** True when this and other share a buffer (one is a view of the other, or both of one base). */
    public boolean sharesStorageWith(Tensor other) {
        return storage == other.storage;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1)
            throw new IllegalArgumentException("item: only a one-element tensor has an item, this one has shape " + Shape.str(shape()));
        return storage.data()[layout.offset()];
    }

    /**
     * The element at a full index; negative indices count from the end. (Not named get: in
     * Kotlin, {@code t[i]} is a view along dim 0, as in PyTorch.)
     */
    public float item(int... index) {
        return storage.data()[flatIndex("item", index)];
    }

    private int flatIndex(String op, int[] index) {
        if (index.length != rank())
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of rank " + rank()
                    + " (shape " + Shape.str(shape()) + ")");
        int at = layout.offset();
        for (int i = 0; i < index.length; i++) {
            int n = layout.size(i), k = index[i] < 0 ? index[i] + n : index[i];
            if (k < 0 || k >= n)
                throw new IndexOutOfBoundsException(op + ": index " + index[i] + " is out of range for dim " + i + " of size " + n
                        + " (shape " + Shape.str(shape()) + ")");
            at += k * layout.stride(i);
        }
        return at;
    }

    /** A contiguous row-major copy of the elements. */
    public float[] toArray() {
        return Copy.contiguous(storage.data(), layout);
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as a parameter whose gradient backward should compute. Returns this. */
    public Tensor requiresGrad(boolean flag) {
        if (gradFn != null && !flag)
            throw new IllegalStateException("requiresGrad(false): this tensor was computed by " + gradFn.op
                    + "; only leaf tensors can change it (use detach())");
        requiresGrad = flag || gradFn != null;
        return this;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The accumulated gradient, or null before the first backward (or after zeroing to none). */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it); its shape must match. */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape(), shape()))
            throw new IllegalArgumentException("setGrad: gradient shape " + Shape.str(g.shape()) + " does not match tensor shape "
                    + Shape.str(shape()));
        grad = g;
    }

    void setGradUnchecked(Tensor g) {
        grad = g;
    }

    /** The name of the op that produced this tensor, or null for a leaf. */
    public String gradFnName() {
        return gradFn == null ? null : gradFn.op;
    }

    Node gradFn() {
        return gradFn;
    }

    /** Backward from a single-element output. */
    public void backward() {
        Engine.backward(this, null, false);
    }

    /** Backward with dL/d(this) given; its shape must equal this tensor's. */
    public void backward(Tensor gradient) {
        Engine.backward(this, gradient, false);
    }

    /** retainGraph keeps the saved values so backward may run through the graph again. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Engine.backward(this, gradient, retainGraph);
    }

    /** The same values, cut from the graph (shares storage). */
    public Tensor detach() {
        return new Tensor(storage, layout, null);
    }

    /** Builds the output of an op, recording a node when grad mode is on and an input requires grad. */
    static Tensor result(String op, float[] data, int[] shape, Tensor[] inputs, Node.Rule rule, Tensor... saved) {
        return result(op, new Storage(data), Layout.contiguous(shape), inputs, rule, saved);
    }

    static Tensor result(String op, Storage storage, Layout layout, Tensor[] inputs, Node.Rule rule, Tensor... saved) {
        boolean record = false;
        if (GradMode.isEnabled() && rule != null)
            for (Tensor t : inputs) record |= t != null && t.requiresGrad;
        Node node = record ? new Node(op, inputs, layout.shape(), rule, saved) : null;
        return new Tensor(storage, layout, node);
    }

    // ---------------------------------------------------------------- in-place (no graph)

    private void checkInPlace(String op) {
        if (requiresGrad && GradMode.isEnabled())
            throw new IllegalStateException(op + ": in-place change of a tensor that requires grad while autograd is recording "
                    + "would corrupt the graph; do it inside GradMode.noGrad() (as optimizers do) or use the out-of-place op");
    }

    /** this += other (broadcast to this shape). */
    public Tensor addInPlace(Tensor other) {
        checkInPlace("addInPlace");
        addInPlaceUnchecked(other);
        return this;
    }

    void addInPlaceUnchecked(Tensor other) {
        int[] s = shape();
        if (!Arrays.equals(Shape.broadcast("addInPlace", s, other.shape()), s))
            throw new IllegalArgumentException("addInPlace: " + Shape.str(other.shape()) + " cannot be broadcast to the target shape "
                    + Shape.str(s));
        Copy.addInto(other.storage.data(), other.layout.expand(s), storage.data(), layout);
        storage.bumpVersion();
    }

    /** this *= factor. */
    public Tensor mulInPlace(float factor) {
        checkInPlace("mulInPlace");
        float[] v = dev.anneal.kernels.Unary.map(UnaryOp.MUL_SCALAR, factor, 0, storage.data(), layout);
        Copy.into(v, Layout.contiguous(shape()), storage.data(), layout);
        storage.bumpVersion();
        return this;
    }

    /** Sets every element to value. */
    public Tensor fill(float value) {
        checkInPlace("fill");
        Copy.fill(storage.data(), layout, value);
        storage.bumpVersion();
        return this;
    }

    public Tensor zero() {
        return fill(0f);
    }

    /** Copies src (broadcast to this shape) into this tensor's elements. */
    public Tensor copyFrom(Tensor src) {
        checkInPlace("copyFrom");
        int[] s = shape();
        if (!Arrays.equals(Shape.broadcast("copyFrom", s, src.shape()), s))
            throw new IllegalArgumentException("copyFrom: source shape " + Shape.str(src.shape()) + " cannot be broadcast to "
                    + Shape.str(s));
        float[] data = src.toArray(); // a copy first, in case src overlaps this
        Copy.into(data, Layout.contiguous(src.shape()).expand(s), storage.data(), layout);
        storage.bumpVersion();
        return this;
    }

    /** Sets one element. */
    public Tensor set(float value, int... index) {
        checkInPlace("set");
        storage.data()[flatIndex("set", index)] = value;
        storage.bumpVersion();
        return this;
    }

    /** A contiguous copy cut from the graph. */
    Tensor contiguousCopy() {
        return wrap(toArray(), shape());
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor o) { return Elementwise.binary(BinaryOp.ADD, this, o); }
    public Tensor sub(Tensor o) { return Elementwise.binary(BinaryOp.SUB, this, o); }
    public Tensor mul(Tensor o) { return Elementwise.binary(BinaryOp.MUL, this, o); }
    public Tensor div(Tensor o) { return Elementwise.binary(BinaryOp.DIV, this, o); }
    public Tensor pow(Tensor o) { return Elementwise.binary(BinaryOp.POW, this, o); }
    public Tensor maximum(Tensor o) { return Elementwise.binary(BinaryOp.MAXIMUM, this, o); }
    public Tensor minimum(Tensor o) { return Elementwise.binary(BinaryOp.MINIMUM, this, o); }
    public Tensor eq(Tensor o) { return Elementwise.binary(BinaryOp.EQ, this, o); }
    public Tensor ne(Tensor o) { return Elementwise.binary(BinaryOp.NE, this, o); }
    public Tensor lt(Tensor o) { return Elementwise.binary(BinaryOp.LT, this, o); }
    public Tensor le(Tensor o) { return Elementwise.binary(BinaryOp.LE, this, o); }
    public Tensor gt(Tensor o) { return Elementwise.binary(BinaryOp.GT, this, o); }
    public Tensor ge(Tensor o) { return Elementwise.binary(BinaryOp.GE, this, o); }

    public Tensor add(float s) { return Elementwise.unary(UnaryOp.ADD_SCALAR, s, 0, this); }
    public Tensor sub(float s) { return Elementwise.unary(UnaryOp.ADD_SCALAR, -s, 0, this); }
    public Tensor mul(float s) { return Elementwise.unary(UnaryOp.MUL_SCALAR, s, 0, this); }
    public Tensor div(float s) { return Elementwise.binary(BinaryOp.DIV, this, scalar(s)); }
    public Tensor pow(float p) { return Elementwise.unary(UnaryOp.POW, p, 0, this); }
    public Tensor eq(float s) { return eq(scalar(s)); }
    public Tensor ne(float s) { return ne(scalar(s)); }
    public Tensor lt(float s) { return lt(scalar(s)); }
    public Tensor le(float s) { return le(scalar(s)); }
    public Tensor gt(float s) { return gt(scalar(s)); }
    public Tensor ge(float s) { return ge(scalar(s)); }
    /** s - this. */
    public Tensor rsub(float s) { return Elementwise.unary(UnaryOp.NEG, 0, 0, this).add(s); }
    /** s / this. */
    public Tensor rdiv(float s) { return Elementwise.unary(UnaryOp.SCALAR_DIV, s, 0, this); }

    public Tensor neg() { return Elementwise.unary(UnaryOp.NEG, 0, 0, this); }
    public Tensor exp() { return Elementwise.unary(UnaryOp.EXP, 0, 0, this); }
    public Tensor log() { return Elementwise.unary(UnaryOp.LOG, 0, 0, this); }
    public Tensor sqrt() { return Elementwise.unary(UnaryOp.SQRT, 0, 0, this); }
    public Tensor rsqrt() { return Elementwise.unary(UnaryOp.RSQRT, 0, 0, this); }
    public Tensor reciprocal() { return Elementwise.unary(UnaryOp.RECIPROCAL, 0, 0, this); }
    public Tensor abs() { return Elementwise.unary(UnaryOp.ABS, 0, 0, this); }
    public Tensor sign() { return Elementwise.unary(UnaryOp.SIGN, 0, 0, this); }
    public Tensor relu() { return Elementwise.unary(UnaryOp.RELU, 0, 0, this); }
    public Tensor sigmoid() { return Elementwise.unary(UnaryOp.SIGMOID, 0, 0, this); }
    public Tensor tanh() { return Elementwise.unary(UnaryOp.TANH, 0, 0, this); }

    // out= forms (PyTorch's torch.add(a, b, out=c)): the result is written into an existing tensor of the
    // result's shape, which saves allocating (and the JVM zero-filling) a new array; no autograd, so they
    // refuse arguments that require grad while grad mode is on. out may be an input itself.

    /** out = this + o (broadcast); returns out. */
    public Tensor addOut(Tensor o, Tensor out) { return Elementwise.binaryOut(BinaryOp.ADD, this, o, out); }
    /** out = this − o (broadcast); returns out. */
    public Tensor subOut(Tensor o, Tensor out) { return Elementwise.binaryOut(BinaryOp.SUB, this, o, out); }
    /** out = this · o (broadcast); returns out. */
    public Tensor mulOut(Tensor o, Tensor out) { return Elementwise.binaryOut(BinaryOp.MUL, this, o, out); }
    /** out = this / o (broadcast); returns out. */
    public Tensor divOut(Tensor o, Tensor out) { return Elementwise.binaryOut(BinaryOp.DIV, this, o, out); }
    /** out = this + s; returns out. */
    public Tensor addOut(float s, Tensor out) { return Elementwise.unaryOut(UnaryOp.ADD_SCALAR, s, 0, this, out); }
    /** out = this · s; returns out. */
    public Tensor mulOut(float s, Tensor out) { return Elementwise.unaryOut(UnaryOp.MUL_SCALAR, s, 0, this, out); }
    /** out = max(this, 0); returns out. */
    public Tensor reluOut(Tensor out) { return Elementwise.unaryOut(UnaryOp.RELU, 0, 0, this, out); }
    /** out = e^this; returns out. */
    public Tensor expOut(Tensor out) { return Elementwise.unaryOut(UnaryOp.EXP, 0, 0, this, out); }

    /** Negative inputs are scaled by slope (PyTorch's default is 0.01). */
    public Tensor leakyRelu(float slope) { return Elementwise.unary(UnaryOp.LEAKY_RELU, slope, 0, this); }

    /** alpha·(exp(x) − 1) for x ≤ 0 (PyTorch's default alpha is 1). */
    public Tensor elu(float alpha) { return Elementwise.unary(UnaryOp.ELU, alpha, 0, this); }

    /** GELU with the exact normal CDF. */
    public Tensor gelu() { return Elementwise.unary(UnaryOp.GELU, 0, 0, this); }

    /** GELU; approximate "none" (exact) or "tanh", as in PyTorch. */
    public Tensor gelu(String approximate) {
        if ("none".equals(approximate)) return gelu();
        if ("tanh".equals(approximate)) return Elementwise.unary(UnaryOp.GELU_TANH, 0, 0, this);
        throw new IllegalArgumentException("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
    }

    /** log(1 + exp(x)) with PyTorch's defaults beta = 1, threshold = 20. */
    public Tensor softplus() { return softplus(1f, 20f); }

    public Tensor softplus(float beta, float threshold) {
        if (!(beta != 0f) || Float.isNaN(beta)) throw new IllegalArgumentException("softplus: beta must be non-zero, got " + beta);
        return Elementwise.unary(UnaryOp.SOFTPLUS, beta, threshold, this);
    }

    /** Limits values to [min, max]; pass ±infinity for a one-sided clamp. */
    public Tensor clamp(float min, float max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        return Elementwise.unary(UnaryOp.CLAMP, min, max, this);
    }

    public Tensor clampMin(float min) { return clamp(min, Float.POSITIVE_INFINITY); }
    public Tensor clampMax(float max) { return clamp(Float.NEGATIVE_INFINITY, max); }

    /** cond != 0 ? a : b, broadcasting all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Elementwise.where(cond, a, b);
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (a rank-0 tensor). */
    public Tensor sum() { return Reductions.sum(this, null, false); }
    /** Sum over dims (negative dims count from the end). */
    public Tensor sum(int[] dims, boolean keepdim) { return Reductions.sum(this, dims, keepdim); }
    public Tensor sum(int dim) { return Reductions.sum(this, new int[] {dim}, false); }
    public Tensor mean() { return Reductions.mean(this, null, false); }
    public Tensor mean(int[] dims, boolean keepdim) { return Reductions.mean(this, dims, keepdim); }
    public Tensor mean(int dim) { return Reductions.mean(this, new int[] {dim}, false); }
    /** Unbiased variance (correction 1), as torch.var. */
    public Tensor var() { return Reductions.var(this, null, 1, false); }
    /** Variance with Bessel's correction: divide by N − correction. */
    public Tensor var(int[] dims, int correction, boolean keepdim) { return Reductions.var(this, dims, correction, keepdim); }
    public Tensor std() { return Reductions.std(var()); }
    public Tensor std(int[] dims, int correction, boolean keepdim) { return Reductions.std(var(dims, correction, keepdim)); }
    /** Largest element; the gradient is shared evenly among ties, as torch.max() does. */
    public Tensor max() { return Reductions.extreme(this, true); }
    public Tensor min() { return Reductions.extreme(this, false); }
    /** Largest value along dim; the gradient flows to the index argmax picks, as torch.max(dim) does. */
    public Tensor max(int dim, boolean keepdim) { return Reductions.extremeAlong(this, dim, keepdim, true); }
    public Tensor min(int dim, boolean keepdim) { return Reductions.extremeAlong(this, dim, keepdim, false); }
    /** Flat index of the first largest element. */
    public Tensor argmax() { return Reductions.argAll(this, true); }
    public Tensor argmin() { return Reductions.argAll(this, false); }
    public Tensor argmax(int dim, boolean keepdim) { return Reductions.argAlong(this, dim, keepdim, true); }
    public Tensor argmin(int dim, boolean keepdim) { return Reductions.argAlong(this, dim, keepdim, false); }
    /** log(sum(exp(x))) over dims, computed without overflow. */
    public Tensor logsumexp(int[] dims, boolean keepdim) { return Reductions.logsumexp(this, dims, keepdim); }
    public Tensor logsumexp(int dim) { return logsumexp(new int[] {dim}, false); }

    public Tensor softmax(int dim) { return Reductions.softmax(this, dim, false); }
    public Tensor logSoftmax(int dim) { return Reductions.softmax(this, dim, true); }

    // ---------------------------------------------------------------- linear algebra

    /** torch.matmul: dot, matrix-vector, matrix-matrix and batched products with broadcasting. */
    public Tensor matmul(Tensor other) { return Linalg.matmul(this, other); }

    // ---------------------------------------------------------------- views and shapes

    /** Same elements in a new shape (one dim may be -1); a view when strides allow, else a copy. */
    public Tensor reshape(int... shape) { return Views.reshape(this, shape, false); }
    /** Like reshape but never copies: an error when the strides do not allow a view. */
    public Tensor view(int... shape) { return Views.reshape(this, shape, true); }
    public Tensor flatten() { return reshape(-1); }
    /** Merges dims start..end (inclusive) into one. */
    public Tensor flatten(int start, int end) { return Views.flatten(this, start, end); }
    public Tensor transpose(int d0, int d1) { return Views.transpose(this, d0, d1); }
    /** Transpose of a matrix (rank ≤ 2). */
    public Tensor t() {
        if (rank() > 2) throw new IllegalArgumentException("t: expects a tensor of rank <= 2, got shape " + Shape.str(shape()));
        return rank() < 2 ? this : transpose(0, 1);
    }
    public Tensor permute(int... order) { return Views.permute(this, order); }
    public Tensor narrow(int dim, int start, int length) { return Views.narrow(this, dim, start, length); }
    /** Elements start, start+step, ... below end along dim (Python's a[start:end:step]); end is clipped. */
    public Tensor slice(int dim, int start, int end, int step) { return Views.slice(this, dim, start, end, step); }
    public Tensor slice(int dim, int start, int end) { return Views.slice(this, dim, start, end, 1); }
    /** Fixes dim at index, removing it. */
    public Tensor select(int dim, int index) { return Views.select(this, dim, index); }
    public Tensor squeeze() { return Views.squeeze(this, null); }
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }
    /** Broadcast view to a larger shape; -1 keeps a dim. */
    public Tensor expand(int... shape) { return Views.expand(this, shape); }
    /** This tensor if contiguous, else a contiguous copy (gradient flows through). */
    public Tensor contiguous() { return isContiguous() ? this : Views.copy(this, "contiguous"); }
    /** A copy with its own storage (gradient flows through). */
    public Tensor clone() { return Views.copy(this, "clone"); }

    // ---------------------------------------------------------------- joining, splitting, indexing

    public static Tensor cat(List<Tensor> tensors, int dim) { return Indexing.cat(tensors, dim); }
    public static Tensor stack(List<Tensor> tensors, int dim) { return Indexing.stack(tensors, dim); }
    /** Pieces of size along dim (the last may be smaller), as views. */
    public List<Tensor> split(int size, int dim) { return Indexing.split(this, size, dim); }
    /** Pieces of the given sizes along dim, as views. */
    public List<Tensor> split(int[] sizes, int dim) { return Indexing.split(this, sizes, dim); }
    /** Picks entries along dim by a 1-D index tensor. */
    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }
    /** out[..i..] = this[..index[..i..]..] along dim; index has this rank. */
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }
    /** A copy of this with src written at index along dim (last write wins on duplicates). */
    public Tensor scatter(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, false); }
    /** A copy of this with src added at index along dim. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, true); }
    /** Rows of the identity picked by whole-number labels: shape [..., numClasses]. */
    public static Tensor oneHot(Tensor labels, int numClasses) { return Indexing.oneHot(labels, numClasses); }

    // ---------------------------------------------------------------- text

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
