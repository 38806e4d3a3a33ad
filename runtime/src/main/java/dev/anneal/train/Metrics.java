package dev.anneal.train;

import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;

/** Classification metrics computed from logits [N, C] and whole-number class targets [N]. */
public final class Metrics {
    private Metrics() {}

    private static void check(String op, Tensor logits, Tensor targets) {
        if (logits.rank() != 2 || targets.rank() != 1 || logits.size(0) != targets.size(0))
            throw new IllegalArgumentException(op + ": expected logits [N, C] and targets [N], got " + Shape.str(logits.shape()) + " and "
                    + Shape.str(targets.shape()));
    }

    /** Number of rows whose largest logit is at the target class. */
    public static int correct(Tensor logits, Tensor targets) {
        return topKCorrect(logits, targets, 1);
    }

    /** Fraction of rows whose target is among the k largest logits (ties: earlier classes rank higher; NaN ranks highest, as torch.topk). */
    public static double topK(Tensor logits, Tensor targets, int k) {
        check("topK", logits, targets);
        return logits.size(0) == 0 ? Double.NaN : (double) topKCorrect(logits, targets, k) / logits.size(0);
    }

    public static double accuracy(Tensor logits, Tensor targets) {
        return topK(logits, targets, 1);
    }

    static int topKCorrect(Tensor logits, Tensor targets, int k) {
        check("topK", logits, targets);
        int n = logits.size(0), c = logits.size(1);
        if (k < 1 || k > c) throw new IllegalArgumentException("topK: k must be in [1, " + c + "], got " + k);
        float[] v = logits.toArray(), t = targets.toArray();
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int y = (int) t[i];
            if (y < 0 || y >= c || y != t[i])
                throw new IllegalArgumentException("topK: target " + t[i] + " at row " + i + " is not a class in 0.." + (c - 1));
            float ty = v[i * c + y];
            int above = 0;
            for (int j = 0; j < c && above < k; j++)
                if (ranksAbove(v[i * c + j], j, ty, y)) above++;
            if (above < k) hits++;
        }
        return hits;
    }

    /** Whether logit x of class j ranks above logit ty of class y: NaN above every number (as torch.topk/argmax), ties to the earlier class. */
    private static boolean ranksAbove(float x, int j, float ty, int y) {
        boolean xNaN = Float.isNaN(x), tNaN = Float.isNaN(ty);
        if (xNaN || tNaN) return xNaN && (!tNaN || j < y);
        return x > ty || (x == ty && j < y);
    }

    /** Row = true class, column = predicted class. */
    public static ConfusionMatrix confusion(Tensor logits, Tensor targets, int classes) {
        check("confusion", logits, targets);
        ConfusionMatrix m = new ConfusionMatrix(classes);
        m.add(logits, targets);
        return m;
    }
}
