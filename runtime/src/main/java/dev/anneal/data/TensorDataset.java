package dev.anneal.data;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;

/** Examples held in memory: row i of inputs with element i of targets. */
public final class TensorDataset implements Dataset {
    private final float[] inputs;
    private final float[] targets;
    private final int[] inputShape;
    private final int[] targetShape;
    private final int n;
    private final int inputRow;
    private final int targetRow;

    public TensorDataset(Tensor inputs, Tensor targets) {
        if (inputs.rank() == 0 || targets.rank() == 0)
            throw new IllegalArgumentException("TensorDataset: inputs and targets need a batch dim, got shapes "
                    + Shape.str(inputs.shape()) + " and " + Shape.str(targets.shape()));
        if (inputs.size(0) != targets.size(0))
            throw new IllegalArgumentException("TensorDataset: " + inputs.size(0) + " inputs but " + targets.size(0) + " targets");
        this.n = inputs.size(0);
        this.inputs = inputs.toArray();
        this.targets = targets.toArray();
        this.inputShape = inputs.shape();
        this.targetShape = targets.shape();
        this.inputRow = n == 0 ? 0 : this.inputs.length / n;
        this.targetRow = n == 0 ? 0 : this.targets.length / n;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public Batch batch(int[] indices) {
        float[] x = new float[indices.length * inputRow], y = new float[indices.length * targetRow];
        for (int i = 0; i < indices.length; i++) {
            int k = indices[i];
            if (k < 0 || k >= n) throw new IndexOutOfBoundsException("TensorDataset: index " + k + " out of range for " + n + " examples");
            System.arraycopy(inputs, k * inputRow, x, i * inputRow, inputRow);
            System.arraycopy(targets, k * targetRow, y, i * targetRow, targetRow);
        }
        int[] xs = inputShape.clone(), ys = targetShape.clone();
        xs[0] = indices.length;
        ys[0] = indices.length;
        return new Batch(Functions.wrap(x, xs), Functions.wrap(y, ys));
    }

    /** Shape of one input example (without the batch dim). */
    public int[] exampleShape() {
        return java.util.Arrays.copyOfRange(inputShape, 1, inputShape.length);
    }

    /** All inputs as one tensor (a copy). */
    public Tensor inputs() {
        return Functions.wrap(inputs.clone(), inputShape.clone());
    }

    /** All targets as one tensor (a copy). */
    public Tensor targets() {
        return Functions.wrap(targets.clone(), targetShape.clone());
    }
}
