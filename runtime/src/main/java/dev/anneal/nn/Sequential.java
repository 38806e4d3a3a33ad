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

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : layers) x = m.invoke(x);
        return x;
    }

    @Override
    public String toString() {
        return ContainerRepr.of("Sequential", namedChildren());
    }
}
