package dev.anneal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Generator;
import dev.anneal.testing.Approx;
import dev.anneal.testing.Reference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Forward values, input gradients and parameter gradients of each layer against PyTorch 1.13 (layers.txt). */
class LayersReferenceTest {
    private static final Reference REF = Reference.load("layers.txt");
    private static final double RTOL = 1e-5;
    /** Sums of O(1) float32 products leave an absolute error of about one ulp of 1, whatever the size of the result. */
    private static final double ATOL = 2e-7;

    static Stream<Arguments> cases() {
        Generator g = new Generator(1);
        Map<String, Supplier<Module>> c = new LinkedHashMap<>();
        c.put("linear_7_17_b5", () -> new Linear(7, 17, g));
        c.put("linear_17_7_b1", () -> new Linear(17, 7, g));
        c.put("linear_nobias_rank3", () -> new Linear(7, 5, false, g));
        c.put("linear_vector", () -> new Linear(4, 3, g));
        c.put("act_relu", ReLU::new);
        c.put("act_leaky_relu", LeakyReLU::new);
        c.put("act_leaky_relu_0.2", () -> new LeakyReLU(0.2f));
        c.put("act_elu", ELU::new);
        c.put("act_elu_0.5", () -> new ELU(0.5f));
        c.put("act_gelu", GELU::new);
        c.put("act_gelu_tanh", () -> new GELU("tanh"));
        c.put("act_tanh", Tanh::new);
        c.put("act_sigmoid", Sigmoid::new);
        c.put("act_softmax_1", () -> new Softmax(1));
        c.put("act_softmax_0", () -> new Softmax(0));
        c.put("act_log_softmax_1", () -> new LogSoftmax(1));
        c.put("act_log_softmax_0", () -> new LogSoftmax(0));
        c.put("act_softmax_b1_17", () -> new Softmax(-1));
        c.put("act_log_softmax_b1_17", () -> new LogSoftmax(-1));
        c.put("embedding_pad2", () -> new Embedding(10, 4, 2, g));
        c.put("embedding_pad_neg1", () -> new Embedding(6, 3, -1, g));
        c.put("embedding_nopad", () -> new Embedding(5, 17, g));
        c.put("mlp", () -> new Sequential(new Linear(7, 17, g), new Tanh(), new Linear(17, 3, g)));
        c.put("residual", () -> new Residual(new Linear(7, 7, g)));
        c.put("residual_shortcut", () -> new Residual(new Sequential(new Linear(7, 5, g), new ReLU()), new Linear(7, 5, g)));
        return c.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, Supplier<Module> factory) {
        Module m = factory.get();
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String key : REF.names())
            if (key.startsWith(name + "/param/")) params.put(key.substring((name + "/param/").length()), REF.get(key));
        m.loadStateDict(params, true); // strict: every parameter of the layer has a PyTorch twin of the same name and shape

        boolean indices = name.startsWith("embedding");
        Tensor x = REF.get(name + "/x").clone().detach().requiresGrad(!indices);
        Tensor out = m.invoke(x);
        Approx.assertClose(name + " out", REF.get(name + "/out"), out, RTOL, ATOL);
        out.backward(REF.get(name + "/cot"));
        if (indices) assertNull(x.grad(), name + ": index input gets no gradient");
        else Approx.assertClose(name + " grad_x", REF.get(name + "/grad_x"), x.grad(), RTOL, ATOL);
        int checked = 0;
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
            Approx.assertClose(name + " grad_" + p.getKey(), REF.get(name + "/grad_" + p.getKey()), p.getValue().grad(), RTOL, ATOL);
            checked++;
        }
        assertEquals(params.size(), checked, name + ": parameter count");
    }
}
