package dev.anneal.kernels;

import dev.anneal.bench.Harness;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code short-rows-ceiling}: the compute ceiling of the short-row softmax kernels on one thread, all
 * data in L1: ns per row of 10 of a bare per-row max + exp + sum over data already in column layout
 * (16 rows a vector, the layout the kernels transpose into), of the same without the max (10
 * {@link ExpVector#expFlushed} and adds: the exp ceiling), and of {@link LogVector} per row. In the
 * kernels' package for its package-private exp and log. (A plain exp loop measured here after the
 * kernels' warm-up ran 2x slower than in a fresh JVM: exp was already compiled on its own and not
 * inlined, so it is not reported.)
 */
public final class ShortRowCeiling {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private ShortRowCeiling() {}

    public static void run() {
        // the kernels' start-up warm-up first: exp compiled on its own here before the kernels were
        // compiled was then not inlined into them (a vector crossing a call: boxed, 2-3x slower)
        if (!VectorSupport.enabled()) throw new IllegalStateException("short-rows-ceiling: needs --add-modules jdk.incubator.vector");
        Parallel.setThreads(1);
        int groups = 64, len = 10, rows = groups * L;
        float[] cols = new float[rows * len], m = new float[rows], s = new float[rows];
        for (int i = 0; i < cols.length; i++) cols[i] = (float) Math.sin(i);
        emit("max-exp-sum", "ns/row", Harness.measure(() -> maxExpSum(cols, groups, len, m, s, true), 0.5, 0.5) / rows);
        emit("exp-sum", "ns/row", Harness.measure(() -> maxExpSum(cols, groups, len, m, s, false), 0.5, 0.5) / rows);
        for (int i = 0; i < rows; i++) s[i] = 1f + i % 10;
        float[] lg = s.clone();
        emit("log", "ns/row", Harness.measure(() -> {
            System.arraycopy(s, 0, lg, 0, rows);
            LogVector.logInPlace(lg, 0, rows);
        }, 0.5, 0.5) / rows);
    }

    /** As the kernels' maxAndSum after the transpose: four max chains, then Σ exp(x − max) in column order. */
    private static void maxExpSum(float[] cols, int groups, int len, float[] m, float[] s, boolean max) {
        for (int g = 0; g < groups; g++) {
            int b = g * len * L;
            FloatVector mv;
            if (max) {
                FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
                int k = 0;
                for (; k + 4 <= len; k += 4) {
                    m0 = m0.max(FloatVector.fromArray(S, cols, b + k * L));
                    m1 = m1.max(FloatVector.fromArray(S, cols, b + k * L + L));
                    m2 = m2.max(FloatVector.fromArray(S, cols, b + k * L + 2 * L));
                    m3 = m3.max(FloatVector.fromArray(S, cols, b + k * L + 3 * L));
                }
                for (; k < len; k++) m0 = m0.max(FloatVector.fromArray(S, cols, b + k * L));
                mv = m0.max(m1).max(m2.max(m3));
                mv = mv.blend(0f, mv.eq(Float.NEGATIVE_INFINITY));
            } else {
                mv = FloatVector.fromArray(S, cols, b);
            }
            FloatVector sum = FloatVector.zero(S);
            for (int k = 0; k < len; k++) sum = sum.add(ExpVector.expFlushed(FloatVector.fromArray(S, cols, b + k * L).sub(mv)));
            mv.intoArray(m, g * L);
            sum.intoArray(s, g * L);
        }
    }

    private static void emit(String what, String unit, double seconds) {
        Harness.emit("short-rows-ceiling", 1, what, seconds * 1e9, unit, Map.of("op", what));
    }
}
