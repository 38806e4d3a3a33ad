package dev.anneal.data;

import dev.anneal.tensor.Generator;
import java.util.ArrayList;
import java.util.List;

/** Seeded random splits and permutations of datasets. */
public final class Splits {
    private Splits() {}

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    public static int[] permutation(int n, Generator gen) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = gen.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Disjoint random subsets of the given sizes, which must add up to the dataset size. */
    public static List<Subset> randomSplit(Dataset d, int[] sizes, Generator gen) {
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("randomSplit: sizes must be non-negative, got " + java.util.Arrays.toString(sizes));
            sum += s;
        }
        if (sum != d.size())
            throw new IllegalArgumentException("randomSplit: sizes " + java.util.Arrays.toString(sizes) + " add up to " + sum
                    + ", the dataset has " + d.size() + " examples");
        int[] p = permutation(d.size(), gen);
        List<Subset> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            out.add(new Subset(d, java.util.Arrays.copyOfRange(p, at, at + s)));
            at += s;
        }
        return out;
    }

    /** A train/validation split with validFraction of the examples (rounded down) held out. */
    public static List<Subset> trainValid(Dataset d, double validFraction, Generator gen) {
        if (!(validFraction >= 0 && validFraction < 1))
            throw new IllegalArgumentException("trainValid: validFraction must be in [0, 1), got " + validFraction);
        int valid = (int) Math.floor(d.size() * validFraction);
        return randomSplit(d, new int[] {d.size() - valid, valid}, gen);
    }
}
