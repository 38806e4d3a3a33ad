package dev.anneal.train;

import dev.anneal.autograd.Tensor;

/** Counts of (true class, predicted class) pairs, accumulated over batches. */
public final class ConfusionMatrix {
    private final long[][] counts;

    public ConfusionMatrix(int classes) {
        if (classes < 1) throw new IllegalArgumentException("ConfusionMatrix: classes must be positive, got " + classes);
        counts = new long[classes][classes];
    }

    /** Adds the argmax predictions of logits [N, C] against targets [N]. */
    public void add(Tensor logits, Tensor targets) {
        int c = counts.length;
        if (logits.rank() != 2 || logits.size(1) != c)
            throw new IllegalArgumentException("ConfusionMatrix: expected logits [N, " + c + "], got " + dev.anneal.tensor.Shape.str(logits.shape()));
        float[] pred = logits.argmax(1, false).toArray(), t = targets.toArray();
        if (pred.length != t.length) throw new IllegalArgumentException("ConfusionMatrix: " + pred.length + " predictions, " + t.length + " targets");
        for (int i = 0; i < t.length; i++) {
            int y = (int) t[i];
            if (y < 0 || y >= c) throw new IllegalArgumentException("ConfusionMatrix: target " + t[i] + " is not a class in 0.." + (c - 1));
            counts[y][(int) pred[i]]++;
        }
    }

    public long count(int trueClass, int predicted) {
        return counts[trueClass][predicted];
    }

    public int classes() {
        return counts.length;
    }

    /** Fraction of class c's examples predicted as c (NaN if none). */
    public double recall(int c) {
        long row = 0;
        for (long v : counts[c]) row += v;
        return row == 0 ? Double.NaN : (double) counts[c][c] / row;
    }

    public double accuracy() {
        long hit = 0, all = 0;
        for (int i = 0; i < counts.length; i++)
            for (int j = 0; j < counts.length; j++) {
                all += counts[i][j];
                if (i == j) hit += counts[i][j];
            }
        return all == 0 ? Double.NaN : (double) hit / all;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("true\\pred");
        for (int j = 0; j < counts.length; j++) b.append(String.format("%7d", j));
        b.append('\n');
        for (int i = 0; i < counts.length; i++) {
            b.append(String.format("%9d", i));
            for (long v : counts[i]) b.append(String.format("%7d", v));
            b.append('\n');
        }
        return b.toString();
    }
}
