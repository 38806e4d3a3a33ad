package dev.anneal.nn;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.nn.init.Init;
import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Shape;

/**
 * A lookup table: each whole-number index in the (float) input picks a row of weight
 * [numEmbeddings, embeddingDim], giving output shape input.shape + [embeddingDim]. The row at
 * paddingIdx, if any, receives no gradient.
 */
public final class Embedding extends Module {
    /** No padding row. */
    public static final int NO_PADDING = Integer.MIN_VALUE;

    private final int numEmbeddings, embeddingDim, paddingIdx;
    private final Tensor weight;

    /** Weight N(0, 1) from gen, with the padding row (if paddingIdx ≠ NO_PADDING; negative counts from the end) zeroed. */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx, Generator gen) {
        if (numEmbeddings < 0 || embeddingDim < 0)
            throw new IllegalArgumentException("Embedding: num_embeddings and embedding_dim must be non-negative, got " + numEmbeddings
                    + " and " + embeddingDim);
        if (gen == null) throw new IllegalArgumentException("Embedding: generator is null (omit it to use Init.defaultGenerator())");
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = resolvePadding(paddingIdx, numEmbeddings);
        this.weight = registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim));
        Init.normal(weight, 0, 1, gen);
        if (this.paddingIdx >= 0) Init.zeros(weight.select(0, this.paddingIdx));
    }

    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, Init.defaultGenerator());
    }

    public Embedding(int numEmbeddings, int embeddingDim, Generator gen) {
        this(numEmbeddings, embeddingDim, NO_PADDING, gen);
    }

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, NO_PADDING, Init.defaultGenerator());
    }

    private Embedding(Tensor weight, int paddingIdx, boolean freeze) {
        if (weight == null || weight.rank() != 2)
            throw new IllegalArgumentException("Embedding.fromPretrained: weight must be a matrix [num_embeddings, embedding_dim], got "
                    + (weight == null ? "null" : Shape.str(weight.shape())));
        this.numEmbeddings = weight.size(0);
        this.embeddingDim = weight.size(1);
        this.paddingIdx = resolvePadding(paddingIdx, numEmbeddings);
        this.weight = registerParameter("weight", weight);
        if (freeze) weight.requiresGrad(false);
    }

    /**
     * Uses the given leaf tensor itself as the table (its padding row is left as it is, as in
     * PyTorch's from_pretrained); freeze turns off its gradient.
     */
    public static Embedding fromPretrained(Tensor weight, boolean freeze, int paddingIdx) {
        return new Embedding(weight, paddingIdx, freeze);
    }

    public static Embedding fromPretrained(Tensor weight, boolean freeze) {
        return new Embedding(weight, NO_PADDING, freeze);
    }

    private static int resolvePadding(int paddingIdx, int n) {
        if (paddingIdx == NO_PADDING) return -1;
        if (paddingIdx >= n || paddingIdx < -n)
            throw new IllegalArgumentException("Embedding: padding_idx " + paddingIdx + " must be within num_embeddings = " + n
                    + " (from " + (-n) + " to " + (n - 1) + ")");
        return paddingIdx < 0 ? paddingIdx + n : paddingIdx;
    }

    @Override
    public Tensor forward(Tensor input) {
        float[] raw = input.toArray();
        int[] idx = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            float f = raw[i];
            if (f != Math.rint(f) || f < 0 || f >= numEmbeddings)
                throw new IllegalArgumentException("Embedding: index " + f + " at flat position " + i + " of input " + Shape.str(input.shape())
                        + " is not a whole number in [0, " + numEmbeddings + ")");
            idx[i] = (int) f;
        }
        int d = embeddingDim;
        // read the table in place when it is contiguous: a forward must not copy a large vocabulary
        float[] table = weight.isContiguous() ? weight.storageData() : weight.toArray();
        int base = weight.isContiguous() ? weight.layoutView().offset() : 0;
        float[] out = new float[idx.length * d];
        for (int i = 0; i < idx.length; i++) System.arraycopy(table, base + idx[i] * d, out, i * d, d);
        int[] inShape = input.shape();
        int[] outShape = java.util.Arrays.copyOf(inShape, inShape.length + 1);
        outShape[inShape.length] = d;
        int pad = paddingIdx, rows = numEmbeddings;
        return Functions.custom("embedding", out, outShape, new Tensor[] {weight}, g -> {
            float[] go = g.toArray();
            float[] gw = new float[rows * d];
            for (int i = 0; i < idx.length; i++) {
                if (idx[i] == pad) continue;
                int src = i * d, dst = idx[i] * d;
                for (int j = 0; j < d; j++) gw[dst + j] += go[src + j];
            }
            return new Tensor[] {Functions.wrap(gw, rows, d)};
        });
    }

    public Tensor weight() {
        return weight;
    }

    /** The padding row, or -1 when there is none. */
    public int paddingIdx() {
        return paddingIdx;
    }

    @Override
    public String toString() {
        return "Embedding(" + numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "") + ")";
    }
}
