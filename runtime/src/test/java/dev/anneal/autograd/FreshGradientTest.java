package dev.anneal.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The engine adopts a fresh gradient as a leaf's .grad only when that is safe. */
class FreshGradientTest {
    /** y = 3·a (elementwise), whose backward hands out a fresh gradient, captured for the test. */
    private static Tensor triple(Tensor a, Tensor[] handedOut) {
        float[] x = a.toArray(), y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = 3 * x[i];
        return Functions.custom("triple", y, a.shape(), new Tensor[] {a}, g -> {
            float[] gd = g.toArray();
            for (int i = 0; i < gd.length; i++) gd[i] *= 3;
            handedOut[0] = Functions.freshGradient(gd, a.shape());
            return new Tensor[] {handedOut[0]};
        });
    }

    @Test
    void aLeafWithoutGradAdoptsTheFreshTensorAndLaterBackwardsAddIntoIt() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor[] out = new Tensor[1];
        triple(a, out).sum().backward();
        assertSame(out[0], a.grad(), "adopted, not copied");
        assertArrayEquals(new float[] {3, 3, 3}, a.grad().toArray());
        triple(a, out).sum().backward();
        assertNotSame(out[0], a.grad(), "the second gradient is added into the first");
        assertArrayEquals(new float[] {6, 6, 6}, a.grad().toArray());
    }

    @Test
    void aFreshTensorHandedToTwoLeavesIsAdoptedOnceAndCopiedForTheOther() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {5, 7}, 2).requiresGrad(true);
        Tensor[] shared = new Tensor[1];
        Tensor y = Functions.custom("both", new float[] {6, 9}, new int[] {2}, new Tensor[] {a, b}, g -> {
            shared[0] = Functions.freshGradient(g.toArray(), 2);
            return new Tensor[] {shared[0], shared[0]};
        });
        y.backward(Tensor.of(new float[] {1, 10}, 2));
        assertSame(shared[0], a.grad());
        assertNotSame(a.grad(), b.grad(), "b must not share a's gradient");
        a.grad().toArray(); // (reading is fine) now change a's gradient in place through another backward
        y = a.mul(2f);
        y.backward(Tensor.of(new float[] {1, 1}, 2));
        assertArrayEquals(new float[] {3, 12}, a.grad().toArray());
        assertArrayEquals(new float[] {1, 10}, b.grad().toArray(), "b's gradient is untouched by a's accumulation");
    }

    @Test
    void aPlainWrappedGradientIsStillCopied() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor[] handed = new Tensor[1];
        Tensor y = Functions.custom("plain", new float[] {1, 2}, new int[] {2}, new Tensor[] {a}, g -> {
            handed[0] = Functions.wrap(g.toArray(), 2);
            return new Tensor[] {handed[0]};
        });
        y.backward(Tensor.of(new float[] {4, 5}, 2));
        assertNotSame(handed[0], a.grad());
        assertArrayEquals(new float[] {4, 5}, a.grad().toArray());
    }
}
