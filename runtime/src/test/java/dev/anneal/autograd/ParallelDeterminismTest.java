package dev.anneal.autograd;

import static dev.anneal.autograd.ForwardAsserts.assertClose;
import static dev.anneal.autograd.ForwardAsserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneal.kernels.Parallel;
import dev.anneal.tensor.Generator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParallelDeterminismTest {
    private static Tensor longVec, wide, rowVec, colVec, left, right, mask, narrow;

    @BeforeAll
    static void inputs() {
        longVec = Tensor.randn(new Generator(1), 300_007).mul(3f); // one long run: split into pieces
        wide = Tensor.randn(new Generator(2), 600, 301); // many rows: split over rows
        rowVec = Tensor.randn(new Generator(3), 301);
        colVec = Tensor.randn(new Generator(4), 600, 1);
        left = Tensor.randn(new Generator(5), 257, 190);
        right = Tensor.randn(new Generator(6), 190, 263);
        mask = Tensor.bernoulli(new Generator(7), 0.5f, 600, 301);
        narrow = Tensor.randn(new Generator(8), 5003, 10).mul(4f); // rows shorter than a vector: grouped across rows
    }

    private static Map<String, Supplier<Tensor>> ops() {
        Map<String, Supplier<Tensor>> m = new LinkedHashMap<>();
        m.put("exp", () -> longVec.exp());
        m.put("tanh", () -> longVec.tanh());
        m.put("sigmoid", () -> longVec.sigmoid());
        m.put("gelu", () -> longVec.gelu());
        m.put("relu", () -> longVec.relu());
        m.put("log", () -> longVec.abs().log());
        m.put("addScalar", () -> longVec.add(0.5f));
        m.put("add", () -> longVec.add(longVec));
        m.put("mulRow", () -> wide.mul(rowVec));
        m.put("divCol", () -> wide.div(colVec));
        m.put("subTransposed", () -> wide.t().sub(wide.t().mul(0.5f)));
        m.put("maximum", () -> wide.maximum(rowVec));
        m.put("gt", () -> wide.gt(colVec));
        m.put("where", () -> Tensor.where(mask, wide, rowVec));
        m.put("sumAll", () -> wide.sum());
        m.put("sumRows", () -> wide.sum(1));
        m.put("sumCols", () -> wide.sum(0));
        m.put("meanTransposed", () -> wide.t().mean(1));
        m.put("var", () -> wide.var(new int[] {1}, 1, false));
        m.put("maxRows", () -> wide.max(1, false));
        m.put("argmaxCols", () -> wide.argmax(0, false));
        m.put("logsumexp", () -> wide.logsumexp(1));
        m.put("softmaxRows", () -> wide.softmax(1));
        m.put("logSoftmaxCols", () -> wide.logSoftmax(0));
        m.put("softmaxShortRows", () -> narrow.softmax(1));
        m.put("logSoftmaxShortRows", () -> narrow.logSoftmax(1));
        m.put("matmul", () -> left.matmul(right));
        m.put("matmulTransposed", () -> right.t().matmul(left.t()));
        m.put("contiguousOfTranspose", () -> wide.t().contiguous());
        m.put("clone", () -> longVec.clone());
        return m;
    }

    private static float[] runWith(int threads, Supplier<Tensor> op) {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            return op.get().toArray();
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void oneThreadAndSeveralAgreeWithinRounding() {
        for (Map.Entry<String, Supplier<Tensor>> e : ops().entrySet()) {
            float[] one = runWith(1, e.getValue());
            for (int threads : new int[] {2, 3}) {
                float[] many = runWith(threads, e.getValue());
                try {
                    assertClose(one, many, 1e-6, 1e-6);
                } catch (AssertionError err) {
                    throw new AssertionError(e.getKey() + " with 1 vs " + threads + " threads: " + err.getMessage(), err);
                }
            }
        }
    }

    @Test
    void repeatedRunsWithTheSameThreadCountAreBitIdentical() {
        for (int threads : new int[] {1, 2, 3}) {
            for (Map.Entry<String, Supplier<Tensor>> e : ops().entrySet()) {
                float[] first = runWith(threads, e.getValue());
                for (int rep = 0; rep < 2; rep++)
                    assertArrayEquals(first, runWith(threads, e.getValue()), e.getKey() + " with " + threads + " threads, run " + (rep + 2));
            }
        }
    }

    @Test
    void reductionsAndMatmulDoNotDependOnTheThreadCount() {
        // every output element is computed by one thread in a fixed order, so these are bit-identical across counts
        for (String name : new String[] {"sumRows", "sumCols", "maxRows", "argmaxCols", "softmaxRows", "softmaxShortRows", "logSoftmaxShortRows", "matmul",
                "matmulTransposed", "add", "mulRow", "where", "contiguousOfTranspose"}) {
            Supplier<Tensor> op = ops().get(name);
            float[] one = runWith(1, op);
            assertArrayEquals(one, runWith(2, op), name + ": 1 vs 2 threads");
            assertArrayEquals(one, runWith(3, op), name + ": 1 vs 3 threads");
        }
    }

    @Test
    void threadCountIsRestoredAndValidated() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            assertEquals(2, Parallel.threads());
            assertThrowsWith(IllegalArgumentException.class, () -> Parallel.setThreads(0),
                    "Parallel.setThreads: expected a positive thread count, got 0");
            assertEquals(2, Parallel.threads());
        } finally {
            Parallel.setThreads(saved);
        }
        assertEquals(saved, Parallel.threads());
    }
}
