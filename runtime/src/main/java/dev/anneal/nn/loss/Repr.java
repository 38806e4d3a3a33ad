package dev.anneal.nn.loss;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a loss's text: PyTorch's repr ({@code CrossEntropyLoss()}) followed by the options that
 * differ from PyTorch's defaults in its keyword spelling, e.g. {@code CrossEntropyLoss(label_smoothing=0.1)}.
 */
final class Repr {
    private final String name;
    private final List<String> parts = new ArrayList<>();

    Repr(String name) {
        this.name = name;
    }

    Repr tensor(String key, Tensor t) {
        if (t != null) parts.add(key + "=<tensor " + Shape.str(t.shape()) + ">");
        return this;
    }

    Repr number(String key, float value, float byDefault) {
        if (Float.compare(value, byDefault) != 0) parts.add(key + "=" + value);
        return this;
    }

    Repr integer(String key, int value, int byDefault) {
        if (value != byDefault) parts.add(key + "=" + value);
        return this;
    }

    Repr flag(String key, boolean value, boolean byDefault) {
        if (value != byDefault) parts.add(key + "=" + (value ? "True" : "False"));
        return this;
    }

    Repr reduction(Reduction r, Reduction byDefault) {
        if (r != byDefault) parts.add("reduction='" + r.pytorchName() + "'");
        return this;
    }

    @Override
    public String toString() {
        return name + "(" + String.join(", ", parts) + ")";
    }
}
