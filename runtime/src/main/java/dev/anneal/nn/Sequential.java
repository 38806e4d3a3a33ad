package dev.anneal.nn;

import dev.anneal.autograd.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Applies its children in order, each to the previous one's output; children are named "0", "1", .... */
public final class Sequential extends Module implements Iterable<Module> {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a layer (named by its position) and returns this. */
    public Sequential add(Module module) {
        if (module == null) throw new IllegalArgumentException("Sequential: layer " + layers.size() + " is null");
        registerModule(String.valueOf(layers.size()), module);
        layers.add(module);
        return this;
    }

    /** The layer at index i; negative i counts from the end. */
    public Module get(int i) {
        int n = layers.size();
        if (i < -n || i >= n)
            throw new IndexOutOfBoundsException("Sequential: index " + i + " is out of range for " + n + " layers");
        return layers.get(i < 0 ? i + n : i);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Iterator<Module> iterator() {
        return java.util.Collections.unmodifiableList(layers).iterator();
    }

    /**
     * Runs the layers in order. Two pairs run as one fused op with the same values: ReLU followed
     * by Dropout (one pass each way instead of two), and Linear followed by ReLU when the ReLU is
     * not the last layer (the activation applied in place to the Linear's fresh output, whose
     * backward then reads it: an intermediate result nobody else can change in place).
     */
    @Override
    public Tensor forward(Tensor x) {
        int n = layers.size();
        boolean fuse = !SummaryRecorder.active();
        for (int i = 0; i < n; i++) {
            Module m = layers.get(i);
            Module next = i + 1 < n ? layers.get(i + 1) : null;
            if (fuse && m instanceof ReLU && next instanceof Dropout d) {
                x = d.forward(x, true);
                i++;
            } else if (fuse && m instanceof Linear lin && next instanceof ReLU && i + 2 < n) {
                x = lin.forward(x, true);
                i++;
            } else {
                x = m.invoke(x);
            }
        }
        return x;
    }

    @Override
    public String toString() {
        return ContainerRepr.of("Sequential", namedChildren());
    }
}
