package dev.anneal.data;

/** Some examples of another dataset, in a given order. */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    public Subset(Dataset base, int[] indices) {
        for (int i : indices)
            if (i < 0 || i >= base.size())
                throw new IllegalArgumentException("Subset: index " + i + " is out of range for a dataset of " + base.size());
        this.base = base;
        this.indices = indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Batch batch(int[] positions) {
        int[] mapped = new int[positions.length];
        for (int i = 0; i < positions.length; i++) mapped[i] = indices[positions[i]];
        return base.batch(mapped);
    }

    public int[] indices() {
        return indices.clone();
    }
}
