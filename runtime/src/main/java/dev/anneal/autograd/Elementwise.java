package dev.anneal.autograd;

import dev.anneal.kernels.Binary;
import dev.anneal.kernels.BinaryOp;
import dev.anneal.kernels.Unary;
import dev.anneal.kernels.UnaryOp;
import dev.anneal.tensor.Layout;
import dev.anneal.tensor.Shape;
import dev.anneal.tensor.Storage;

/** Elementwise ops and their gradient rules (PyTorch's derivatives.yaml formulas). */
final class Elementwise {
    private Elementwise() {}

    static Tensor unary(UnaryOp op, float a, float b, Tensor x) {
        float[] y = Unary.map(op, a, b, x.storageData(), x.layout());
        String name = op.name().toLowerCase();
        int[] shape = x.shape();
        Tensor[] in = {x};
        // rules that need the output read it through this holder; it is saved so that an
        // in-place change to the output before backward is caught too
        Storage storage = new Storage(y);
        Layout layout = Layout.contiguous(shape);
        Tensor[] out = {new Tensor(storage, layout, null)};
        Node.Rule rule = rule(op, a, b, x, out);
        boolean needsValues = op != UnaryOp.NEG && op != UnaryOp.ADD_SCALAR && op != UnaryOp.MUL_SCALAR && op != UnaryOp.SIGN;
        return needsValues
                ? Tensor.result(name, storage, layout, in, rule, x, out[0])
                : Tensor.result(name, storage, layout, in, rule);
    }

    private static Node.Rule rule(UnaryOp op, float a, float b, Tensor x, Tensor[] out) {
        switch (op) {
            case NEG: return g -> new Tensor[] {g.neg()};
            case ABS: return g -> new Tensor[] {g.mul(x.sign())};
            case SIGN: return g -> new Tensor[] {Tensor.zerosLike(g)};
            case EXP: return g -> new Tensor[] {g.mul(out[0])};
            case LOG: return g -> new Tensor[] {g.div(x)};
            case SQRT: return g -> new Tensor[] {g.div(out[0].mul(2f))};
            case RSQRT: return g -> new Tensor[] {g.mul(out[0].pow(3f)).mul(-0.5f)};
            case RECIPROCAL: return g -> new Tensor[] {g.mul(out[0].mul(out[0])).neg()};
            case RELU: return g -> new Tensor[] {binary(BinaryOp.MASK_POSITIVE, g, out[0])};
            case LEAKY_RELU: return g -> new Tensor[] {Tensor.where(x.gt(0f), g, g.mul(a))};
            case ELU: return g -> new Tensor[] {Tensor.where(x.gt(0f), g, g.mul(out[0].add(a)))};
            case SIGMOID: return g -> new Tensor[] {g.mul(out[0]).mul(out[0].rsub(1f))};
            case TANH: return g -> new Tensor[] {g.mul(out[0].mul(out[0]).rsub(1f))};
            case GELU: return g -> {
                // d/dx x·Φ(x) = Φ(x) + x·φ(x)
                Tensor pdf = x.mul(x).mul(-0.5f).exp().mul((float) (1.0 / Math.sqrt(2 * Math.PI)));
                return new Tensor[] {g.mul(unary(UnaryOp.NORMAL_CDF, 0, 0, x).add(x.mul(pdf)))};
            };
            case GELU_TANH: return g -> {
                float k = (float) Math.sqrt(2.0 / Math.PI), c = 0.044715f;
                Tensor x2 = x.mul(x);
                Tensor t = x.add(x2.mul(x).mul(c)).mul(k).tanh();
                Tensor left = t.add(1f).mul(0.5f);
                Tensor right = x.mul(0.5f).mul(t.mul(t).rsub(1f)).mul(x2.mul(3f * c).add(1f).mul(k));
                return new Tensor[] {g.mul(left.add(right))};
            };
            case SOFTPLUS: return g -> {
                Tensor z = x.mul(a).exp();
                return new Tensor[] {Tensor.where(x.mul(a).gt(b), g, g.mul(z).div(z.add(1f)))};
            };
            case CLAMP: return g -> new Tensor[] {g.mul(x.ge(a).mul(x.le(b)))};
            case POW: return g -> a == 0f ? new Tensor[] {Tensor.zerosLike(g)}
                    : new Tensor[] {g.mul(x.pow(a - 1f)).mul(a)};
            case ADD_SCALAR: return g -> new Tensor[] {g};
            case MUL_SCALAR: return g -> new Tensor[] {g.mul(a)};
            case SCALAR_DIV: return g -> new Tensor[] {g.mul(out[0]).div(x).neg()};
            case SCALAR_POW: return g -> new Tensor[] {g.mul(out[0]).mul((float) Math.log(a))};
            case NORMAL_CDF: return null;
            default: throw new AssertionError(op);
        }
    }

    static Tensor binary(BinaryOp op, Tensor x, Tensor y) {
        String name = op.name().toLowerCase();
        int[] shape = Shape.broadcast(name, x.shape(), y.shape());
        Layout lx = x.layout().expand(shape), ly = y.layout().expand(shape);
        float[] z = Binary.apply(op, x.storageData(), lx, y.storageData(), ly);
        int[] xs = x.shape(), ys = y.shape();
        Node.Rule rule;
        switch (op) {
            case ADD: rule = g -> new Tensor[] {sumTo(g, xs), sumTo(g, ys)}; break;
            case SUB: rule = g -> new Tensor[] {sumTo(g, xs), sumTo(g.neg(), ys)}; break;
            case MUL: rule = g -> new Tensor[] {
                    x.requiresGrad() ? sumTo(g.mul(y), xs) : null,
                    y.requiresGrad() ? sumTo(g.mul(x), ys) : null}; break;
            case DIV: rule = g -> new Tensor[] {
                    x.requiresGrad() ? sumTo(g.div(y), xs) : null,
                    y.requiresGrad() ? sumTo(g.mul(x).div(y.mul(y)).neg(), ys) : null}; break;
            case POW: rule = g -> new Tensor[] {
                    x.requiresGrad() ? sumTo(powBaseGrad(g, x, y), xs) : null,
                    y.requiresGrad() ? sumTo(powExponentGrad(g, x, y), ys) : null}; break;
            case MAXIMUM: case MINIMUM: {
                BinaryOp loses = op == BinaryOp.MAXIMUM ? BinaryOp.LT : BinaryOp.GT;
                // ties split the gradient in half, as PyTorch does
                rule = g -> {
                    Tensor half = Tensor.where(x.eq(y), g.mul(0.5f), g);
                    Tensor xLoses = binary(loses, x, y), yLoses = binary(loses, y, x);
                    return new Tensor[] {
                            sumTo(Tensor.where(xLoses, Tensor.scalar(0f), half), xs),
                            sumTo(Tensor.where(yLoses, Tensor.scalar(0f), half), ys)};
                };
                break;
            }
            default: rule = null; // comparisons are not differentiable
        }
        if (op == BinaryOp.ADD || op == BinaryOp.SUB || rule == null)
            return Tensor.result(name, z, shape, new Tensor[] {x, y}, rule);
        return Tensor.result(name, z, shape, new Tensor[] {x, y}, rule, x, y);
    }

    /** z = op(x, y) written into out (PyTorch's out= form): no graph, no new array. */
    static Tensor binaryOut(BinaryOp op, Tensor x, Tensor y, Tensor out) {
        String name = op.name().toLowerCase() + "Out";
        int[] shape = Shape.broadcast(name, x.shape(), y.shape());
        OutArgument.check(name, out, shape, x, y);
        Binary.into(op, x.storageData(), x.layout().expand(shape), y.storageData(), y.layout().expand(shape),
                out.storageData(), out.layout());
        out.storage().bumpVersion();
        return out;
    }

    /** y = op(x) written into out (PyTorch's out= form): no graph, no new array. */
    static Tensor unaryOut(UnaryOp op, float a, float b, Tensor x, Tensor out) {
        String name = op.name().toLowerCase() + "Out";
        OutArgument.check(name, out, x.shape(), x);
        Unary.mapInto(op, a, b, x.storageData(), x.layout(), out.storageData(), out.layout());
        out.storage().bumpVersion();
        return out;
    }

    private static Tensor powBaseGrad(Tensor g, Tensor x, Tensor y) {
        // d/dx x^y = y·x^(y−1); exponent 0 gives 0 even at x = 0
        Tensor d = y.mul(x.pow(y.sub(1f)));
        return g.mul(Tensor.where(y.eq(0f), Tensor.scalar(0f), d));
    }

    private static Tensor powExponentGrad(Tensor g, Tensor x, Tensor y) {
        // d/dy x^y = x^y·log x, defined as 0 where x = 0 and y ≥ 0
        Tensor d = x.pow(y).mul(x.log());
        return g.mul(Tensor.where(x.eq(0f).mul(y.ge(0f)), Tensor.scalar(0f), d));
    }

    static Tensor where(Tensor c, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", c.shape(), a.shape()), b.shape());
        float[] out = Binary.where(c.storageData(), c.layout().expand(shape), a.storageData(), a.layout().expand(shape),
                b.storageData(), b.layout().expand(shape));
        int[] as = a.shape(), bs = b.shape();
        Tensor zero = Tensor.scalar(0f);
        return Tensor.result("where", out, shape, new Tensor[] {null, a, b},
                g -> new Tensor[] {null,
                        a.requiresGrad() ? sumTo(where(c, g, zero), as) : null,
                        b.requiresGrad() ? sumTo(where(c, zero, g), bs) : null},
                c);
    }

    /** Sums a broadcast gradient back down to the shape of the input it came from. */
    static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (java.util.Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        int count = 0;
        int[] dims = new int[gs.length];
        for (int i = 0; i < gs.length; i++)
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) dims[count++] = i;
        Tensor s = count == 0 ? g : g.sum(java.util.Arrays.copyOf(dims, count), true);
        return s.reshape(shape);
    }
}
