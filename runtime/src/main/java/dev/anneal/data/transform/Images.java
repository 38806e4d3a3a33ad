package dev.anneal.data.transform;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;

/** Shape checks shared by the image transforms. */
final class Images {
    private Images() {}

    static int[] checkNchw(String op, Tensor x) {
        if (x.rank() != 4)
            throw new IllegalArgumentException(op + ": expected images [N, C, H, W], got shape " + Shape.str(x.shape()));
        return x.shape();
    }
}
