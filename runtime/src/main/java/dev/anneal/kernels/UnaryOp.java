package dev.anneal.kernels;

/** Elementwise functions of one tensor; some take one or two float parameters (a, b). */
public enum UnaryOp {
    NEG, ABS, SIGN, EXP, LOG, SQRT, RSQRT, RECIPROCAL,
    RELU,
    /** a = negative slope. */
    LEAKY_RELU,
    /** a = alpha. */
    ELU,
    SIGMOID, TANH,
    /** x·Φ(x) with the exact normal CDF. */
    GELU,
    /** The tanh approximation of GELU. */
    GELU_TANH,
    /** a = beta, b = threshold: (1/β)·log(1 + exp(βx)), or x where βx > threshold. */
    SOFTPLUS,
    /** a = min, b = max (either may be ±infinity). */
    CLAMP,
    /** a = exponent. */
    POW,
    /** x + a. */
    ADD_SCALAR,
    /** x · a. */
    MUL_SCALAR,
    /** a / x. */
    SCALAR_DIV,
    /** a ^ x. */
    SCALAR_POW,
    /** Standard normal CDF Φ(x); GELU's backward needs it. */
    NORMAL_CDF;

    /** The scalar definition: ground truth for every path. */
    public float apply(float x, float a, float b) {
        switch (this) {
            case NEG: return -x;
            case ABS: return Math.abs(x);
            case SIGN: return Math.signum(x);
            case EXP: return (float) Math.exp(x);
            case LOG: return (float) Math.log(x);
            case SQRT: return (float) Math.sqrt(x);
            case RSQRT: return (float) (1.0 / Math.sqrt(x));
            case RECIPROCAL: return 1f / x;
            case RELU: return x > 0f ? x : (x == x ? 0f : x);
            case LEAKY_RELU: return x > 0f ? x : x * a;
            case ELU: return x > 0f ? x : (float) (a * Math.expm1(x));
            case SIGMOID: return (float) (1.0 / (1.0 + Math.exp(-x)));
            case TANH: return (float) Math.tanh(x);
            case GELU: return (float) (x * SpecialFunctions.normalCdf(x));
            case GELU_TANH: {
                double u = SpecialFunctions.SQRT_2_OVER_PI * (x + 0.044715 * x * (double) x * x);
                return (float) (0.5 * x * (1.0 + Math.tanh(u)));
            }
            case SOFTPLUS: return x * a > b ? x : (float) (Math.log1p(Math.exp(x * (double) a)) / a);
            case CLAMP: return x != x ? x : Math.min(Math.max(x, a), b);
            case POW: return (float) SpecialFunctions.pow(x, a);
            case ADD_SCALAR: return x + a;
            case MUL_SCALAR: return x * a;
            case SCALAR_DIV: return a / x;
            case SCALAR_POW: return (float) SpecialFunctions.pow(a, x);
            case NORMAL_CDF: return (float) SpecialFunctions.normalCdf(x);
            default: throw new AssertionError(this);
        }
    }
}
