package dev.anneal.kernels;

/**
 * Elementwise functions of two tensors; comparisons give 1 where true and 0 where false.
 * MASK_POSITIVE is x where y &gt; 0, else 0: the ReLU gradient (x = dL/dout, y = out) in one pass,
 * a select as in PyTorch's threshold_backward (a NaN gradient where y ≤ 0 gives 0).
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE, MASK_POSITIVE;

    /** The scalar definition: ground truth for every path. */
    public float apply(float x, float y) {
        switch (this) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            case DIV: return x / y;
            case POW: return (float) SpecialFunctions.pow(x, y);
            case MAXIMUM: return Math.max(x, y);
            case MINIMUM: return Math.min(x, y);
            case EQ: return x == y ? 1f : 0f;
            case NE: return x != y ? 1f : 0f;
            case LT: return x < y ? 1f : 0f;
            case LE: return x <= y ? 1f : 0f;
            case GT: return x > y ? 1f : 0f;
            case GE: return x >= y ? 1f : 0f;
            case MASK_POSITIVE: return y > 0f ? x : 0f;
            default: throw new AssertionError(this);
        }
    }
}
