package dev.anneal.autograd;

import dev.anneal.tensor.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reverse-mode sweep: topological order without recursion, gradients summed per node, leaves' .grad accumulated. */
final class Engine {
    private Engine() {}

    static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad())
            throw new IllegalStateException("backward: the tensor does not require grad and has no grad_fn "
                    + "(no input of the computation had requiresGrad set, or it was computed under noGrad)");
        if (gradient == null) {
            if (root.numel() != 1)
                throw new IllegalArgumentException("backward: the output has shape " + Shape.str(root.shape())
                        + "; backward() without a gradient is only defined for a single-element output, pass a gradient of that shape");
            gradient = Tensor.onesLike(root);
        } else if (!java.util.Arrays.equals(gradient.shape(), root.shape())) {
            throw new IllegalArgumentException("backward: gradient shape " + Shape.str(gradient.shape())
                    + " does not match the output shape " + Shape.str(root.shape()));
        }
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            if (root.gradFn() == null) {
                accumulateLeaf(root, gradient);
                return;
            }
            List<Node> order = topologicalOrder(root.gradFn());
            Map<Node, Tensor> pending = new IdentityHashMap<>();
            pending.put(root.gradFn(), gradient);
            for (Node node : order) {
                Tensor g = pending.remove(node);
                if (g == null) continue;
                Tensor[] grads = node.backward(g);
                for (int i = 0; i < node.inputs.length; i++) {
                    Tensor in = node.inputs[i];
                    if (in == null || !in.requiresGrad() || grads[i] == null) continue;
                    if (!java.util.Arrays.equals(grads[i].shape(), in.shape()))
                        throw new IllegalStateException("backward of " + node.op + ": gradient for input " + i + " has shape "
                                + Shape.str(grads[i].shape()) + ", expected " + Shape.str(in.shape()) + " (internal error)");
                    if (in.gradFn() == null) {
                        accumulateLeaf(in, grads[i]);
                    } else {
                        pending.merge(in.gradFn(), grads[i], Tensor::add);
                    }
                }
                if (!retainGraph) node.release();
            }
        }
    }

    private static void accumulateLeaf(Tensor leaf, Tensor g) {
        if (leaf.grad() == null) {
            if (g.unshared) {
                g.unshared = false; // adopted once: a second leaf handed the same tensor copies it
                leaf.setGradUnchecked(g);
            } else {
                leaf.setGradUnchecked(g.contiguousCopy());
            }
        } else {
            leaf.grad().addInPlaceUnchecked(g);
        }
    }

    /** Nodes so that every node comes before the nodes of its inputs (reverse post-order of an explicit-stack DFS). */
    private static List<Node> topologicalOrder(Node root) {
        List<Node> post = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        seen.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Node n = (Node) frame[0];
            int next = (Integer) frame[1];
            if (next < n.inputs.length) {
                frame[1] = next + 1;
                Tensor in = n.inputs[next];
                Node child = in == null ? null : in.gradFn();
                if (child != null && seen.add(child)) stack.push(new Object[] {child, 0});
            } else {
                stack.pop();
                post.add(n);
            }
        }
        Collections.reverse(post);
        return post;
    }
}
