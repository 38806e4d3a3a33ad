package dev.anneal.nn.init;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.SpecialFunctions;
import dev.anneal.tensor.Generator;
import dev.anneal.tensor.Shape;
import java.util.Locale;

/**
 * Weight initialisation as torch.nn.init: each method overwrites a tensor in place (without
 * recording a graph) and returns it. Fans follow PyTorch: for a weight of shape
 * [out, in, k...] (Linear [out, in], Conv [out, in/groups, kh, kw]) fan_in = in·∏k and
 * fan_out = out·∏k.
 *
 * <p>Layers built without an explicit {@link Generator} draw from one process-wide
 * {@link #defaultGenerator()}, which {@link #manualSeed} reseeds like {@code torch.manual_seed}.
 * It starts from a fixed seed, so a program that never seeds is still reproducible; it is not
 * meant to be shared by threads building layers concurrently (give each its own Generator).
 */
public final class Init {
    /** PyTorch's default CPU seed, so an unseeded program is deterministic too. */
    private static final long INITIAL_SEED = 67280421310721L;
    private static final Generator DEFAULT = new Generator(INITIAL_SEED);

    private Init() {}

    // ---------------------------------------------------------------- default generator

    /** The generator layers use when none is given; reseed it with {@link #manualSeed}. */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    /** Restarts the default generator from seed (torch.manual_seed). */
    public static void manualSeed(long seed) {
        synchronized (DEFAULT) {
            DEFAULT.manualSeed(seed);
        }
    }

    // ---------------------------------------------------------------- gains and fans

    /** The recommended gain for a nonlinearity, as torch.nn.init.calculate_gain (leaky_relu slope defaults to 0.01). */
    public static double calculateGain(String nonlinearity, Double param) {
        if (nonlinearity == null) throw new IllegalArgumentException("calculateGain: nonlinearity is null");
        switch (nonlinearity) {
            case "linear": case "conv1d": case "conv2d": case "conv3d":
            case "conv_transpose1d": case "conv_transpose2d": case "conv_transpose3d": case "sigmoid":
                return 1.0;
            case "tanh":
                return 5.0 / 3;
            case "relu":
                return Math.sqrt(2.0);
            case "leaky_relu": {
                double slope = param == null ? 0.01 : param;
                if (Double.isNaN(slope)) throw new IllegalArgumentException("calculateGain: negative_slope " + slope + " is not a valid number");
                return Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu":
                return 3.0 / 4; // chosen in PyTorch to keep the variance of SELU networks close to 1
            default:
                throw new IllegalArgumentException("calculateGain: unsupported nonlinearity '" + nonlinearity + "' (expected linear, conv1d, "
                        + "conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, sigmoid, tanh, relu, leaky_relu or selu)");
        }
    }

    /** calculateGain without a parameter. */
    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, null);
    }

    /** {fan_in, fan_out} of a weight of rank ≥ 2: dim 1 resp. dim 0 times the receptive field ∏ shape[2:]. */
    public static int[] fanInAndFanOut(Tensor t) {
        int[] s = t.shape();
        if (s.length < 2)
            throw new IllegalArgumentException("Init: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions, got shape "
                    + Shape.str(s));
        long receptive = 1;
        for (int i = 2; i < s.length; i++) receptive *= s[i];
        return new int[] {(int) (s[1] * receptive), (int) (s[0] * receptive)};
    }

    /** fan_in or fan_out by mode name ("fan_in" or "fan_out", any case). */
    public static int fan(Tensor t, String mode) {
        String m = mode == null ? "" : mode.toLowerCase(Locale.ROOT);
        if (!m.equals("fan_in") && !m.equals("fan_out"))
            throw new IllegalArgumentException("Init: mode '" + mode + "' not supported, use one of [fan_in, fan_out]");
        int[] f = fanInAndFanOut(t);
        return m.equals("fan_in") ? f[0] : f[1];
    }

    // ---------------------------------------------------------------- plain fills

    /** Fills t with value. */
    public static Tensor constant(Tensor t, double value) {
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            t.fill((float) value);
        }
        return t;
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /** Uniform on [a, b). */
    public static Tensor uniform(Tensor t, double a, double b, Generator gen) {
        requireGenerator("uniform", gen);
        if (!(a <= b)) throw new IllegalArgumentException("Init.uniform: expected a <= b, got a=" + a + ", b=" + b);
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (a + (b - a) * gen.nextDouble());
        return write(t, v);
    }

    /** Normal with the given mean and standard deviation. */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        requireGenerator("normal", gen);
        if (!(std >= 0)) throw new IllegalArgumentException("Init.normal: expected std >= 0, got " + std);
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (mean + std * gen.nextGaussian());
        return write(t, v);
    }

    // ---------------------------------------------------------------- scaled by fans

    /** U(−a, a) with a = gain·√(6 / (fan_in + fan_out)) (Glorot and Bengio, 2010). */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        double std = xavierStd("xavierUniform", t, gain);
        double a = Math.sqrt(3.0) * std;
        return uniform(t, -a, a, gen);
    }

    /** xavierUniform with gain 1. */
    public static Tensor xavierUniform(Tensor t, Generator gen) {
        return xavierUniform(t, 1, gen);
    }

    /** N(0, std²) with std = gain·√(2 / (fan_in + fan_out)) (Glorot and Bengio, 2010). */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        return normal(t, 0, xavierStd("xavierNormal", t, gain), gen);
    }

    /** xavierNormal with gain 1. */
    public static Tensor xavierNormal(Tensor t, Generator gen) {
        return xavierNormal(t, 1, gen);
    }

    private static double xavierStd(String op, Tensor t, double gain) {
        int[] f = fanInAndFanOut(t);
        if (f[0] + f[1] == 0)
            throw new IllegalArgumentException("Init." + op + ": fan_in + fan_out is 0 for shape " + Shape.str(t.shape()));
        return gain * Math.sqrt(2.0 / (f[0] + f[1]));
    }

    /**
     * U(−bound, bound) with bound = gain·√(3 / fan) and gain = calculateGain(nonlinearity, a)
     * (He et al., 2015). A tensor with no elements is returned unchanged, as in PyTorch.
     */
    public static Tensor kaimingUniform(Tensor t, double a, String mode, String nonlinearity, Generator gen) {
        if (t.numel() == 0) return t;
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform(t, -bound, bound, gen);
    }

    /** kaimingUniform with PyTorch's defaults a = 0, "fan_in", "leaky_relu". */
    public static Tensor kaimingUniform(Tensor t, Generator gen) {
        return kaimingUniform(t, 0, "fan_in", "leaky_relu", gen);
    }

    /** N(0, std²) with std = gain/√fan, gain = calculateGain(nonlinearity, a) (He et al., 2015). */
    public static Tensor kaimingNormal(Tensor t, double a, String mode, String nonlinearity, Generator gen) {
        if (t.numel() == 0) return t;
        return normal(t, 0, kaimingStd(t, a, mode, nonlinearity), gen);
    }

    /** kaimingNormal with PyTorch's defaults a = 0, "fan_in", "leaky_relu". */
    public static Tensor kaimingNormal(Tensor t, Generator gen) {
        return kaimingNormal(t, 0, "fan_in", "leaky_relu", gen);
    }

    private static double kaimingStd(Tensor t, double a, String mode, String nonlinearity) {
        int fan = fan(t, mode);
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }

    // ---------------------------------------------------------------- structured

    /**
     * A (semi-)orthogonal matrix times gain, from the QR decomposition of a standard normal
     * matrix with R's diagonal made positive (Saxe et al., 2013), as torch.nn.init.orthogonal_;
     * dims after the first are flattened.
     */
    public static Tensor orthogonal(Tensor t, double gain, Generator gen) {
        if (t.rank() < 2)
            throw new IllegalArgumentException("Init.orthogonal: only tensors with 2 or more dimensions are supported, got shape "
                    + Shape.str(t.shape()));
        requireGenerator("orthogonal", gen);
        if (t.numel() == 0) return t;
        int rows = t.size(0), cols = t.numel() / rows;
        double[] normal = new double[rows * cols];
        for (int i = 0; i < normal.length; i++) normal[i] = (float) gen.nextGaussian(); // float like the matrix PyTorch factors
        float[] q = orthogonalize(normal, rows, cols);
        for (int i = 0; i < q.length; i++) q[i] = (float) (q[i] * gain);
        return write(t, q);
    }

    public static Tensor orthogonal(Tensor t, Generator gen) {
        return orthogonal(t, 1, gen);
    }

    /**
     * The rows×cols matrix with orthonormal columns (or rows, when wider than tall) that QR
     * assigns to the row-major matrix m with a positive diagonal of R.
     */
    static float[] orthogonalize(double[] m, int rows, int cols) {
        boolean wide = rows < cols;
        int tall = wide ? cols : rows, narrow = wide ? rows : cols;
        double[] a = new double[tall * narrow];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                if (wide) a[j * narrow + i] = m[i * cols + j];
                else a[i * narrow + j] = m[i * cols + j];
        double[] q = HouseholderQR.positiveQ(a, tall, narrow);
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) out[i * cols + j] = (float) (wide ? q[j * narrow + i] : q[i * narrow + j]);
        return out;
    }

    /**
     * N(mean, std²) restricted to [a, b], by inverting the normal CDF on a uniform draw between
     * Φ((a−mean)/std) and Φ((b−mean)/std), as torch.nn.init.trunc_normal_.
     */
    public static Tensor truncNormal(Tensor t, double mean, double std, double a, double b, Generator gen) {
        requireGenerator("truncNormal", gen);
        if (!(std > 0)) throw new IllegalArgumentException("Init.truncNormal: expected std > 0, got " + std);
        if (!(a <= b)) throw new IllegalArgumentException("Init.truncNormal: expected a <= b, got a=" + a + ", b=" + b);
        double lo = SpecialFunctions.normalCdf((a - mean) / std), hi = SpecialFunctions.normalCdf((b - mean) / std);
        float fa = (float) a, fb = (float) b;
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) {
            double p = lo + (hi - lo) * gen.nextDouble();
            float x = (float) (mean + std * NormalQuantile.of(p));
            v[i] = Math.min(Math.max(x, fa), fb);
        }
        return write(t, v);
    }

    /** truncNormal with PyTorch's defaults mean 0, std 1, a = −2, b = 2. */
    public static Tensor truncNormal(Tensor t, Generator gen) {
        return truncNormal(t, 0, 1, -2, 2, gen);
    }

    // ---------------------------------------------------------------- helpers

    private static Tensor write(Tensor t, float[] values) {
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            t.copyFrom(Functions.wrap(values, t.shape()));
        }
        return t;
    }

    private static void requireGenerator(String op, Generator gen) {
        if (gen == null)
            throw new IllegalArgumentException("Init." + op + ": a Generator is required (use Init.defaultGenerator() for the process-wide one)");
    }
}
