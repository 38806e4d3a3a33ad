package dev.anneal.kernels;

/**
 * Walks up to three operands that share one shape but have their own strides, handing the
 * innermost run to a loop body. Adjacent dims that are contiguous for every operand are merged
 * first, so a contiguous tensor becomes one long run and a broadcast bias becomes rows.
 */
final class StridedLoop {
    /** Elements per task below which splitting across threads costs more than it saves. */
    static final int GRAIN = 1 << 15;

    /** Inner loop: n elements, operand k starting at off[k] with stride st[k]. */
    interface Inner {
        void run(int n, int off0, int st0, int off1, int st1, int off2, int st2);
    }

    final int[] shape;
    final int[][] strides;
    final int[] offsets;

    /** Operands given as (strides, offset) pairs over a common shape. */
    StridedLoop(int[] shape, int[][] strides, int[] offsets) {
        int rank = shape.length, ops = strides.length;
        int[] s = new int[rank];
        int[][] st = new int[ops][rank];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 1) continue; // size-1 dims never move the index
            if (r > 0 && mergeable(s[r - 1], st, r - 1, strides, d, shape[d])) {
                s[r - 1] *= shape[d];
                for (int k = 0; k < ops; k++) st[k][r - 1] = strides[k][d];
                continue;
            }
            s[r] = shape[d];
            for (int k = 0; k < ops; k++) st[k][r] = strides[k][d];
            r++;
        }
        this.shape = java.util.Arrays.copyOf(s, r);
        this.strides = new int[ops][];
        for (int k = 0; k < ops; k++) this.strides[k] = java.util.Arrays.copyOf(st[k], r);
        this.offsets = offsets.clone();
    }

    private static boolean mergeable(int prevSize, int[][] merged, int prev, int[][] strides, int d, int size) {
        for (int k = 0; k < strides.length; k++)
            if ((long) merged[k][prev] != (long) strides[k][d] * size) return false;
        return true;
    }

    /** Number of elements. */
    long count() {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Runs body over outer positions [from, to) (outer = all dims but the last). */
    void run(long from, long to, Inner body) {
        int r = shape.length, ops = offsets.length;
        if (r == 0) {
            if (from == 0 && to > 0)
                body.run(1, offsets[0], 0, ops > 1 ? offsets[1] : 0, 0, ops > 2 ? offsets[2] : 0, 0);
            return;
        }
        int n = shape[r - 1];
        int s0 = strides[0][r - 1], s1 = ops > 1 ? strides[1][r - 1] : 0, s2 = ops > 2 ? strides[2][r - 1] : 0;
        int[] idx = new int[r - 1];
        long rem = from;
        for (int d = r - 2; d >= 0; d--) {
            idx[d] = (int) (rem % shape[d]);
            rem /= shape[d];
        }
        int o0 = offsets[0], o1 = ops > 1 ? offsets[1] : 0, o2 = ops > 2 ? offsets[2] : 0;
        for (int d = 0; d < r - 1; d++) {
            o0 += idx[d] * strides[0][d];
            if (ops > 1) o1 += idx[d] * strides[1][d];
            if (ops > 2) o2 += idx[d] * strides[2][d];
        }
        for (long p = from; p < to; p++) {
            body.run(n, o0, s0, o1, s1, o2, s2);
            for (int d = r - 2; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    o0 += strides[0][d];
                    if (ops > 1) o1 += strides[1][d];
                    if (ops > 2) o2 += strides[2][d];
                    break;
                }
                idx[d] = 0;
                o0 -= (shape[d] - 1) * strides[0][d];
                if (ops > 1) o1 -= (shape[d] - 1) * strides[1][d];
                if (ops > 2) o2 -= (shape[d] - 1) * strides[2][d];
            }
        }
    }

    /** Number of outer positions (product of all dims but the last). */
    long outer() {
        long n = 1;
        for (int d = 0; d < shape.length - 1; d++) n *= shape[d];
        return shape.length == 0 ? 1 : n;
    }

    int innerLength() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /** Splits the outer loop over the shared pool when there is enough work. */
    void runParallel(Inner body) {
        long outer = outer();
        int inner = innerLength();
        if (count() == 0) return;
        int grain = Math.max(1, GRAIN / Math.max(1, inner));
        if (outer > Integer.MAX_VALUE || outer == 1) {
            if (outer == 1 && inner >= 2 * GRAIN && Parallel.threads() > 1) {
                // one long run: split it into pieces
                int s0 = strides[0].length == 0 ? 0 : strides[0][shape.length - 1];
                int s1 = offsets.length > 1 && shape.length > 0 ? strides[1][shape.length - 1] : 0;
                int s2 = offsets.length > 2 && shape.length > 0 ? strides[2][shape.length - 1] : 0;
                int o0 = offsets[0], o1 = offsets.length > 1 ? offsets[1] : 0, o2 = offsets.length > 2 ? offsets[2] : 0;
                Parallel.forRange(inner, GRAIN, (a, b) ->
                        body.run(b - a, o0 + a * s0, s0, o1 + a * s1, s1, o2 + a * s2, s2));
                return;
            }
            run(0, outer, body);
            return;
        }
        Parallel.forRange((int) outer, grain, (a, b) -> run(a, b, body));
    }
}
