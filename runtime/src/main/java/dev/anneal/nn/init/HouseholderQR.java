package dev.anneal.nn.init;

/** Thin QR of a tall matrix by Householder reflections, in double (Golub and Van Loan, §5.2). */
final class HouseholderQR {
    private HouseholderQR() {}

    /**
     * Q (m×n, orthonormal columns) of the row-major m×n matrix a (m ≥ n, overwritten) with each
     * column multiplied by the sign of R's diagonal entry, which makes the factorisation unique
     * and equal to torch.linalg.qr's after PyTorch's sign correction.
     */
    static double[] positiveQ(double[] a, int m, int n) {
        double[][] v = new double[n][];
        double[] rDiag = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) norm += a[i * n + k] * a[i * n + k];
            norm = Math.sqrt(norm);
            double x0 = a[k * n + k];
            double alpha = x0 >= 0 ? -norm : norm; // reflect away from x0 to avoid cancellation
            rDiag[k] = alpha;
            double[] vk = new double[m - k];
            for (int i = k; i < m; i++) vk[i - k] = a[i * n + k];
            vk[0] -= alpha;
            double vn = 0;
            for (double e : vk) vn += e * e;
            if (vn == 0) continue; // column already zero below the diagonal: no reflection
            double inv = 1 / Math.sqrt(vn);
            for (int i = 0; i < vk.length; i++) vk[i] *= inv;
            v[k] = vk;
            for (int j = k; j < n; j++) reflect(vk, a, k, j, n);
        }
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) q[j * n + j] = 1;
        for (int k = n - 1; k >= 0; k--)
            if (v[k] != null)
                for (int j = 0; j < n; j++) reflect(v[k], q, k, j, n);
        for (int j = 0; j < n; j++) {
            double s = Math.signum(rDiag[j]);
            for (int i = 0; i < m; i++) q[i * n + j] *= s;
        }
        return q;
    }

    /** Column j of the row-major matrix x (n columns), rows k.., becomes (I − 2vvᵀ) times itself. */
    private static void reflect(double[] v, double[] x, int k, int j, int n) {
        double dot = 0;
        for (int i = 0; i < v.length; i++) dot += v[i] * x[(k + i) * n + j];
        dot *= 2;
        for (int i = 0; i < v.length; i++) x[(k + i) * n + j] -= dot * v[i];
    }
}
