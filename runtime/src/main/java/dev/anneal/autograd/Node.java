package dev.anneal.autograd;

/**
 * One recorded operation: its inputs, and how to turn the gradient of its output into
 * gradients of its inputs. The backward closure holds the saved values; releasing it after
 * backward frees them.
 */
final class Node {
    /** Gradient rule: given dL/d(output), return dL/d(input i) for each input (null where not needed). */
    @FunctionalInterface
    interface Rule {
        Tensor[] apply(Tensor gradOutput);
    }

    final String op;
    final Tensor[] inputs;
    private Rule rule;
    private final Tensor[] saved;
    private final int[] savedVersions;
    final int[] outputShape;

    Node(String op, Tensor[] inputs, int[] outputShape, Rule rule, Tensor[] saved) {
        this.op = op;
        this.inputs = inputs;
        this.outputShape = outputShape;
        this.rule = rule;
        this.saved = saved;
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) savedVersions[i] = saved[i].storage().version();
    }

    Tensor[] backward(Tensor gradOutput) {
        if (rule == null)
            throw new IllegalStateException("backward through " + op + " a second time: the graph was freed by the first "
                    + "backward; call backward(gradient, true) (retainGraph) the first time to keep it");
        for (int i = 0; i < saved.length; i++) {
            int now = saved[i].storage().version();
            if (now != savedVersions[i])
                throw new IllegalStateException("backward of " + op + ": a tensor of shape " + dev.anneal.tensor.Shape.str(saved[i].shape())
                        + " that it saved was modified by an in-place operation (version " + savedVersions[i] + ", now " + now
                        + "); clone it before modifying, or modify it after backward");
        }
        return rule.apply(gradOutput);
    }

    void release() {
        rule = null;
        java.util.Arrays.fill(saved, null);
    }

    boolean released() {
        return rule == null;
    }
}
