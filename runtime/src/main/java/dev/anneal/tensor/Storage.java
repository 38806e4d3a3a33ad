package dev.anneal.tensor;

/**
 * The float buffer shared by a tensor and all its views, with a version counter that in-place
 * writes bump so autograd can tell when a value it saved was overwritten.
 */
public final class Storage {
    private final float[] data;
    private int version;

    public Storage(float[] data) {
        this.data = data;
    }

    public Storage(int size) {
        this(new float[size]);
    }

    public float[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    public int version() {
        return version;
    }

    public void bumpVersion() {
        version++;
    }
}
