package dev.anneal.nn.loss;

import java.util.Locale;

/** How a loss turns per-element values into its result, by PyTorch's names ("none", "mean", "sum", "batchmean"). */
public enum Reduction {
    /** Per-element losses, no reduction. */
    NONE,
    /** Mean over elements (for class-index losses: divided by the summed weights of the counted targets). */
    MEAN,
    /** Sum over elements. */
    SUM,
    /** Sum divided by the batch size (input dim 0); KL divergence only, as in PyTorch. */
    BATCHMEAN;

    /** PyTorch's spelling of this reduction. */
    public String pytorchName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "none", "mean", "sum" or "batchmean"; a clear error otherwise. */
    public static Reduction of(String name) {
        if (name != null)
            for (Reduction r : values())
                if (r.pytorchName().equals(name)) return r;
        throw new IllegalArgumentException("reduction: \"" + name + "\" is not a valid reduction; expected \"none\", \"mean\", \"sum\""
                + " or (for klDiv) \"batchmean\"");
    }

    /** Rejects null, and batchmean for every loss but KL divergence. */
    static Reduction check(String op, Reduction r, boolean batchmeanAllowed) {
        if (r == null) throw new IllegalArgumentException(op + ": reduction is null; expected NONE, MEAN or SUM");
        if (r == BATCHMEAN && !batchmeanAllowed)
            throw new IllegalArgumentException(op + ": reduction batchmean is only defined for klDiv; expected none, mean or sum");
        return r;
    }
}
