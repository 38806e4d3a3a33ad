package dev.anneal.nn;

import dev.anneal.autograd.GradCheck;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of every layer's backward, w.r.t. its input and its parameters. */
class LayersGradCheckTest {
    private final Generator gen = new Generator(42);

    private Tensor randn(int... shape) {
        return Tensor.randn(gen, shape).requiresGrad(true);
    }

    /** randn with every value at least 0.1 from zero, where the (leaky) ReLU kinks would break finite differences. */
    private Tensor awayFromZero(int... shape) {
        float[] v = Tensor.randn(gen, shape).toArray();
        for (int i = 0; i < v.length; i++) if (Math.abs(v[i]) < 0.1f) v[i] = v[i] < 0 ? v[i] - 0.1f : v[i] + 0.1f;
        return Tensor.of(v, shape).requiresGrad(true);
    }

    private static void checkInput(Supplier<Module> layer, Tensor x) {
        Module m = layer.get();
        GradCheck.check(in -> m.invoke(in[0]), x);
    }

    @Test
    void linearWrtInputWeightAndBias() {
        GradCheck.check(in -> new Linear(in[1], in[2]).invoke(in[0]), randn(2, 3), randn(4, 3), randn(4));
        GradCheck.check(in -> new Linear(in[1], null).invoke(in[0]), randn(2, 2, 3), randn(5, 3));
        GradCheck.check(in -> new Linear(in[1], in[2]).invoke(in[0]), randn(3), randn(2, 3), randn(2));
    }

    @Test
    void activations() {
        checkInput(ReLU::new, awayFromZero(2, 5));
        checkInput(LeakyReLU::new, awayFromZero(2, 5));
        checkInput(() -> new LeakyReLU(0.3f), awayFromZero(2, 5));
        checkInput(ELU::new, awayFromZero(2, 5));
        checkInput(() -> new ELU(0.5f), awayFromZero(2, 5));
        checkInput(GELU::new, randn(2, 5));
        checkInput(() -> new GELU("tanh"), randn(2, 5));
        checkInput(Tanh::new, randn(2, 5));
        checkInput(Sigmoid::new, randn(2, 5));
        checkInput(() -> new Softmax(1), randn(3, 4));
        checkInput(() -> new Softmax(0), randn(3, 4));
        checkInput(() -> new LogSoftmax(-1), randn(2, 3, 4));
    }

    @Test
    void shapeLayersAndIdentities() {
        checkInput(Flatten::new, randn(2, 3, 2));
        checkInput(() -> new Flatten(0, 1), randn(2, 3, 2));
        checkInput(Identity::new, randn(3, 2));
        checkInput(() -> new Dropout(0.0, new Generator(1)), randn(3, 4));
        checkInput(() -> new Dropout(0.5, new Generator(1)).eval(), randn(3, 4));
        checkInput(() -> new Dropout2d(0.5, new Generator(1)).eval(), randn(2, 3, 2, 2));
        checkInput(() -> new Dropout2d(0.0, new Generator(1)), randn(3, 2, 2));
    }

    @Test
    void embeddingWrtWeight() {
        Tensor idx = Tensor.of(new float[] {1, 0, 3, 1, 4, 0}, 2, 3);
        GradCheck.check(in -> Embedding.fromPretrained(in[0], false).invoke(idx), randn(5, 3));
        // with a padding row that is not looked up (the padding row's gradient is deliberately zero, so a
        // finite difference would disagree there; LayersReferenceTest and LayerBehaviourTest cover it)
        GradCheck.check(in -> Embedding.fromPretrained(in[0], false, 2).invoke(idx), randn(5, 3));
    }

    @Test
    void containers() {
        GradCheck.check(in -> new Sequential(new Linear(in[1], in[2]), new Tanh(), new Linear(in[3], in[4])).invoke(in[0]),
                randn(2, 3), randn(4, 3), randn(4), randn(2, 4), randn(2));
        GradCheck.check(in -> new Residual(new Sequential(new Linear(in[1], in[2]), new Sigmoid())).invoke(in[0]),
                randn(2, 3), randn(3, 3), randn(3));
        GradCheck.check(in -> new Residual(new Linear(in[1], null), new Linear(in[2], in[3])).invoke(in[0]),
                randn(2, 3), randn(2, 3), randn(2, 3), randn(2));
    }
}
