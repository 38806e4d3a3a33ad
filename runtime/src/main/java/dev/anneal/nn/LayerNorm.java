package dev.anneal.nn;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.functional.Norm;

/**
 * Layer normalization over the trailing dims given by normalizedShape (torch.nn.LayerNorm), with
 * an elementwise weight (ones) and bias (zeros) of that shape when elementwiseAffine.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final boolean elementwiseAffine;
    private final Tensor weight, bias;

    /** eps 1e-5, with weight and bias. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape == null || normalizedShape.length == 0)
            throw new IllegalArgumentException("LayerNorm: normalized shape must name at least one dim");
        for (int d : normalizedShape)
            if (d <= 0) throw new IllegalArgumentException("LayerNorm: normalized shape " + PyRepr.tuple(normalizedShape)
                    + " must have positive sizes");
        if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm: eps must be positive, got " + eps);
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        bias = elementwiseAffine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Norm.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    public Tensor weight() { return weight; }
    public Tensor bias() { return bias; }
    public int[] normalizedShape() { return normalizedShape.clone(); }

    /** As PyTorch: {@code LayerNorm((10,), eps=1e-05, elementwise_affine=True)}. */
    @Override
    public String toString() {
        return "LayerNorm(" + PyRepr.tuple(normalizedShape) + ", eps=" + PyRepr.floatRepr(eps) + ", elementwise_affine="
                + PyRepr.bool(elementwiseAffine) + ")";
    }
}
