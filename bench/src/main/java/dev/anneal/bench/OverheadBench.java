package dev.anneal.bench;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.kernels.Parallel;
import dev.anneal.nn.BatchNorm1d;
import dev.anneal.nn.Dropout;
import dev.anneal.nn.Flatten;
import dev.anneal.nn.Linear;
import dev.anneal.nn.ReLU;
import dev.anneal.nn.Sequential;
import dev.anneal.nn.loss.CrossEntropyLoss;
import dev.anneal.optim.AdamW;
import dev.anneal.tensor.Generator;
import java.util.Map;

/**
 * {@code op-overhead}: microseconds for forward + backward of tiny ops with autograd on, where the
 * fixed cost per op dominates: a.add(b) on two 10-element tensors, and Linear(10, 10) on a [1, 10]
 * input (gradients accumulate into .grad, as in PyTorch). {@code mlp-step}: one training step of
 * the Fashion-MNIST MLP (784-256-BN-ReLU-Dropout-128-BN-ReLU-Dropout-10, batch 128, AdamW,
 * cross entropy, zero_grad) on a fixed random batch, in milliseconds; an epoch of the main job is
 * about 430 such steps plus data loading and validation. bench/pytorch_overhead.py runs the same.
 */
public final class OverheadBench {
    private static final int[] THREADS = {1, 2};

    private OverheadBench() {}

    /**
     * Runs both benchmarks, mlp-step first: run after thousands of tiny ops, the MLP step measured
     * 3-5x slower in the same JVM (the JIT keeps code compiled for the tiny shapes' profile).
     */
    public static void run() {
        mlpStep();
        opOverhead();
    }

    /** The op-overhead benchmark alone. */
    public static void opOverhead() {
        Parallel.setThreads(1);
        Tensor a = Functions.wrap(Harness.random(10, 1), 10).requiresGrad(true);
        Tensor b = Functions.wrap(Harness.random(10, 2), 10).requiresGrad(true);
        Tensor g = Tensor.ones(10);
        double add = Harness.measure(() -> a.add(b).backward(g), 1.0, 1.0);
        Harness.emit("op-overhead", 1, 10, add * 1e6, "us", Map.of("op", "add fwd+bwd"));

        Linear lin = new Linear(10, 10, new Generator(3));
        Tensor x = Functions.wrap(Harness.random(10, 4), 1, 10);
        Tensor gy = Tensor.ones(1, 10);
        double linear = Harness.measure(() -> lin.invoke(x).backward(gy), 1.0, 1.0);
        Harness.emit("op-overhead", 1, "1x10", linear * 1e6, "us", Map.of("op", "linear(10,10) fwd+bwd"));
    }

    /** The mlp-step benchmark alone. */
    public static void mlpStep() {
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            Generator gen = new Generator(1);
            Sequential model = new Sequential(new Flatten(), new Linear(784, 256, gen), new BatchNorm1d(256), new ReLU(), new Dropout(0.2, gen),
                    new Linear(256, 128, gen), new BatchNorm1d(128), new ReLU(), new Dropout(0.2, gen), new Linear(128, 10, gen));
            model.train();
            AdamW opt = new AdamW(model.parameters(), Map.of("lr", 1e-3, "weight_decay", 0.01));
            CrossEntropyLoss loss = new CrossEntropyLoss();
            Tensor x = Functions.wrap(Harness.random(128 * 784, 5), 128, 1, 28, 28);
            float[] labels = new float[128];
            for (int i = 0; i < labels.length; i++) labels[i] = i % 10;
            Tensor y = Functions.wrap(labels, 128);
            double step = Harness.measure(() -> {
                opt.zeroGrad();
                loss.apply(model.invoke(x), y).backward();
                opt.step();
            }, 3.0, 3.0);
            Harness.emit("mlp-step", threads, 128, step * 1e3, "ms", Map.of("model", "mlp"));
        }
    }
}
