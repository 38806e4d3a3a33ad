package dev.anneal.examples;

import dev.anneal.autograd.GradMode;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.VectorSupport;
import dev.anneal.tensor.Generator;
import java.util.List;
import java.util.Locale;

/**
 * The project's end-to-end job until the training loop lands: classify two interleaved spirals
 * with a two-hidden-layer MLP, built from raw tensors, autograd and a hand-written SGD with
 * momentum. Prints the loss as it falls and the final accuracy; the same seed gives the same run.
 */
public final class TwoSpirals {
    private TwoSpirals() {}

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 7L;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
        System.out.println("anneal two-spirals demo: seed " + seed + ", " + steps + " steps, kernels: " + VectorSupport.describe());
        Generator gen = new Generator(seed);
        int perClass = 200, hidden = 64;
        Tensor[] data = spirals(gen, perClass);
        Tensor x = data[0], labels = data[1];
        Tensor targets = Tensor.oneHot(labels, 2);

        // Kaiming-uniform weights, as PyTorch's nn.Linear does: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
        Tensor w1 = uniform(gen, 1 / Math.sqrt(2), 2, hidden), b1 = uniform(gen, 1 / Math.sqrt(2), hidden);
        Tensor w2 = uniform(gen, 1 / Math.sqrt(hidden), hidden, hidden), b2 = uniform(gen, 1 / Math.sqrt(hidden), hidden);
        Tensor w3 = uniform(gen, 1 / Math.sqrt(hidden), hidden, 2), b3 = uniform(gen, 1 / Math.sqrt(hidden), 2);
        List<Tensor> params = List.of(w1, b1, w2, b2, w3, b3);
        Tensor[] velocity = params.stream().map(p -> Tensor.zeros(p.shape())).toArray(Tensor[]::new);
        float lr = 0.1f, momentum = 0.9f;

        long start = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            Tensor logits = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).tanh().matmul(w3).add(b3);
            // cross entropy: mean over samples of −log softmax at the true class
            Tensor loss = logits.logSoftmax(1).mul(targets).sum().neg().div((float) labels.numel());
            for (Tensor p : params) p.setGrad(null);
            loss.backward();
            try (GradMode.NoGrad ignored = GradMode.noGrad()) {
                for (int i = 0; i < params.size(); i++) {
                    Tensor p = params.get(i);
                    velocity[i].mulInPlace(momentum).addInPlace(p.grad());
                    p.addInPlace(velocity[i].mul(-lr));
                }
            }
            if (step == 1 || step % 250 == 0 || step == steps)
                System.out.printf(Locale.ROOT, "step %5d  loss %.4f  accuracy %.1f%%%n", step, loss.item(),
                        100 * accuracy(logits, labels));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Tensor logits;
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            logits = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).tanh().matmul(w3).add(b3);
        }
        double acc = accuracy(logits, labels);
        System.out.printf(Locale.ROOT, "final training accuracy %.1f%% after %d steps in %.2f s%n", 100 * acc, steps, seconds);
        if (acc < 0.9) {
            System.err.println("two-spirals demo: accuracy below 90% — something is wrong");
            System.exit(1);
        }
    }

    /** Two spirals of n points each, with a little noise; labels 0 and 1. */
    static Tensor[] spirals(Generator gen, int n) {
        float[] xy = new float[4 * n], label = new float[2 * n];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                double t = 0.5 + 3.5 * Math.PI * i / n; // angle along the arm
                double r = t / (4 * Math.PI) * 2;
                double sign = c == 0 ? 1 : -1;
                int k = c * n + i;
                xy[2 * k] = (float) (sign * r * Math.cos(t) + 0.02 * gen.nextGaussian());
                xy[2 * k + 1] = (float) (sign * r * Math.sin(t) + 0.02 * gen.nextGaussian());
                label[k] = c;
            }
        }
        return new Tensor[] {Tensor.of(xy, 2 * n, 2), Tensor.of(label, 2 * n)};
    }

    static Tensor uniform(Generator gen, double bound, int... shape) {
        return Tensor.rand(gen, shape).mul((float) (2 * bound)).sub((float) bound).requiresGrad(true);
    }

    static double accuracy(Tensor logits, Tensor labels) {
        return logits.detach().argmax(1, false).eq(labels).mean().item();
    }
}
