package dev.anneal.kernels;

/**
 * Fused optimizer updates: each call updates one contiguous parameter block in a single pass that
 * reads the parameter, its gradient and the state once and writes them once.
 *
 * <p>Parameter and gradient are read at offsets {@code po}/{@code go}; state arrays start at 0 and
 * hold {@code n} elements. Coefficients arrive as float because PyTorch rounds its Python scalars
 * to the tensor's dtype; the per-element float operations follow PyTorch 1.13's single-tensor
 * code step by step (coefficients such as 1 − β are computed in double by the caller, as in
 * Python, then rounded), with one fused multiply-add wherever its CPU kernel has one ({@code add_}
 * with alpha is {@code fma(b, alpha, a)}, {@code addcmul_} is {@code fma(value*b, c, a)}), so
 * results agree with torch to the last bit or one rounding. The {@code *Range} methods are the
 * scalar reference loops; the Vector API bodies in {@code OptimizerKernelsVector} compute the
 * same operations in the same order and agree with them bit for bit.
 */
public final class OptimizerKernels {
    /** Elements per parallel chunk: below this a tensor is updated on the calling thread. */
    public static final int GRAIN = 1 << 16;

    private OptimizerKernels() {}

    private static boolean vector() {
        return VectorSupport.enabled();
    }

    // ------------------------------------------------------------------ SGD

    /**
     * SGD with optional L2 decay, momentum (keep = 1 − dampening, Nesterov) and maximize. With
     * momentum, a first step copies the decayed gradient into buf as torch does; buf is unused without momentum.
     */
    public static void sgd(float[] p, int po, float[] g, int go, float[] buf, int n, float lr, float wd, float momentum,
                           float keep, boolean nesterov, boolean maximize, boolean first) {
        boolean vec = vector();
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (vec) OptimizerKernelsVector.sgd(p, po, g, go, buf, from, to, lr, wd, momentum, keep, nesterov, maximize, first);
            else sgdRange(p, po, g, go, buf, from, to, lr, wd, momentum, keep, nesterov, maximize, first);
        });
    }

    public static void sgdRange(float[] p, int po, float[] g, int go, float[] buf, int from, int to, float lr, float wd,
                                float momentum, float keep, boolean nesterov, boolean maximize, boolean first) {
        float negLr = -lr;
        for (int i = from; i < to; i++) {
            float w = p[po + i], d = maximize ? -g[go + i] : g[go + i];
            if (wd != 0f) d = Math.fma(w, wd, d);
            if (momentum != 0f) {
                float b = first ? d : Math.fma(d, keep, buf[i] * momentum);
                buf[i] = b;
                d = nesterov ? Math.fma(b, momentum, d) : b;
            }
            p[po + i] = Math.fma(d, negLr, w);
        }
    }

    // ------------------------------------------------------------------ Adam / AdamW

    /**
     * Adam and AdamW. {@code decay} multiplies the parameter first (AdamW's 1 − lr·wd, else 1);
     * {@code wd} is Adam's L2 term added to the gradient (0 for AdamW). {@code vmax} is used when
     * amsgrad. {@code negStepSize} = −lr / (1 − β1^t), {@code bc2Sqrt} = √(1 − β2^t).
     */
    public static void adam(float[] p, int po, float[] g, int go, float[] m, float[] v, float[] vmax, int n, float decay,
                            float wd, float beta1, float c1, float beta2, float c2, float negStepSize, float bc2Sqrt, float eps, boolean amsgrad,
                            boolean maximize) {
        boolean vec = vector();
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (vec) OptimizerKernelsVector.adam(p, po, g, go, m, v, vmax, from, to, decay, wd, beta1, c1, beta2, c2, negStepSize, bc2Sqrt, eps,
                    amsgrad, maximize);
            else adamRange(p, po, g, go, m, v, vmax, from, to, decay, wd, beta1, c1, beta2, c2, negStepSize, bc2Sqrt, eps, amsgrad, maximize);
        });
    }

    public static void adamRange(float[] p, int po, float[] g, int go, float[] m, float[] v, float[] vmax, int from, int to,
                                 float decay, float wd, float beta1, float c1, float beta2, float c2, float negStepSize, float bc2Sqrt, float eps,
                                 boolean amsgrad, boolean maximize) {
        for (int i = from; i < to; i++) {
            float w = p[po + i], d = maximize ? -g[go + i] : g[go + i];
            if (decay != 1f) w = w * decay;
            if (wd != 0f) d = Math.fma(w, wd, d);
            float mi = Math.fma(d, c1, m[i] * beta1);
            float vi = Math.fma(c2 * d, d, v[i] * beta2);
            m[i] = mi;
            v[i] = vi;
            if (amsgrad) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            p[po + i] = w + negStepSize * mi / denom;
        }
    }

    // ------------------------------------------------------------------ Adagrad

    /** Adagrad: sum += g²; p −= clr·g / (√sum + eps), with {@code negClr} = −lr / (1 + (t−1)·lr_decay). */
    public static void adagrad(float[] p, int po, float[] g, int go, float[] sum, int n, float negClr, float wd, float eps,
                               boolean maximize) {
        boolean vec = vector();
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (vec) OptimizerKernelsVector.adagrad(p, po, g, go, sum, from, to, negClr, wd, eps, maximize);
            else adagradRange(p, po, g, go, sum, from, to, negClr, wd, eps, maximize);
        });
    }

    public static void adagradRange(float[] p, int po, float[] g, int go, float[] sum, int from, int to, float negClr, float wd,
                                    float eps, boolean maximize) {
        for (int i = from; i < to; i++) {
            float w = p[po + i], d = maximize ? -g[go + i] : g[go + i];
            if (wd != 0f) d = Math.fma(w, wd, d);
            float s = Math.fma(d, d, sum[i]);
            sum[i] = s;
            p[po + i] = w + negClr * d / ((float) Math.sqrt(s) + eps);
        }
    }

    // ------------------------------------------------------------------ RMSprop

    /** RMSprop; gAvg is used when centered, buf when momentum &gt; 0. */
    public static void rmsprop(float[] p, int po, float[] g, int go, float[] sq, float[] gAvg, float[] buf, int n, float lr,
                               float alpha, float c, float eps, float wd, float momentum, boolean centered, boolean maximize) {
        boolean vec = vector();
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (vec) OptimizerKernelsVector.rmsprop(p, po, g, go, sq, gAvg, buf, from, to, lr, alpha, c, eps, wd, momentum, centered, maximize);
            else rmspropRange(p, po, g, go, sq, gAvg, buf, from, to, lr, alpha, c, eps, wd, momentum, centered, maximize);
        });
    }

    public static void rmspropRange(float[] p, int po, float[] g, int go, float[] sq, float[] gAvg, float[] buf, int from, int to,
                                    float lr, float alpha, float c, float eps, float wd, float momentum, boolean centered, boolean maximize) {
        float negLr = -lr;
        for (int i = from; i < to; i++) {
            float w = p[po + i], d = maximize ? -g[go + i] : g[go + i];
            if (wd != 0f) d = Math.fma(w, wd, d);
            float s = Math.fma(c * d, d, sq[i] * alpha);
            sq[i] = s;
            float avg;
            if (centered) {
                float ga = Math.fma(d, c, gAvg[i] * alpha);
                gAvg[i] = ga;
                avg = (float) Math.sqrt(Math.fma(-ga, ga, s));
            } else {
                avg = (float) Math.sqrt(s);
            }
            avg += eps;
            if (momentum > 0f) {
                float b = buf[i] * momentum + d / avg;
                buf[i] = b;
                p[po + i] = Math.fma(b, negLr, w);
            } else {
                p[po + i] = w + negLr * d / avg;
            }
        }
    }

    // ------------------------------------------------------------------ Adadelta

    public static void adadelta(float[] p, int po, float[] g, int go, float[] sq, float[] acc, int n, float lr, float rho, float c,
                                float eps, float wd, boolean maximize) {
        boolean vec = vector();
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (vec) OptimizerKernelsVector.adadelta(p, po, g, go, sq, acc, from, to, lr, rho, c, eps, wd, maximize);
            else adadeltaRange(p, po, g, go, sq, acc, from, to, lr, rho, c, eps, wd, maximize);
        });
    }

    public static void adadeltaRange(float[] p, int po, float[] g, int go, float[] sq, float[] acc, int from, int to, float lr,
                                     float rho, float c, float eps, float wd, boolean maximize) {
        float negLr = -lr;
        for (int i = from; i < to; i++) {
            float w = p[po + i], d = maximize ? -g[go + i] : g[go + i];
            if (wd != 0f) d = Math.fma(w, wd, d);
            float s = Math.fma(c * d, d, sq[i] * rho);
            sq[i] = s;
            float std = (float) Math.sqrt(s + eps);
            float delta = (float) Math.sqrt(acc[i] + eps) / std * d;
            acc[i] = Math.fma(c * delta, delta, acc[i] * rho);
            p[po + i] = Math.fma(delta, negLr, w);
        }
    }

    // ------------------------------------------------------------------ Adamax

    /** Adamax with {@code negClr} = −lr / (1 − β1^t). */
    public static void adamax(float[] p, int po, float[] g, int go, float[] m, float[] u, int n, float negClr, float beta1, float c1,
                              float beta2, float c2, float eps, float wd, boolean maximize) {
        boolean vec = vector();
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (vec) OptimizerKernelsVector.adamax(p, po, g, go, m, u, from, to, negClr, beta1, c1, beta2, c2, eps, wd, maximize);
            else adamaxRange(p, po, g, go, m, u, from, to, negClr, beta1, c1, beta2, c2, eps, wd, maximize);
        });
    }

    public static void adamaxRange(float[] p, int po, float[] g, int go, float[] m, float[] u, int from, int to, float negClr,
                                   float beta1, float c1, float beta2, float c2, float eps, float wd, boolean maximize) {
        for (int i = from; i < to; i++) {
            float w = p[po + i], d = maximize ? -g[go + i] : g[go + i];
            if (wd != 0f) d = Math.fma(w, wd, d);
            float mi = Math.fma(d, c1, m[i] * beta1);
            m[i] = mi;
            float ui = Math.max(u[i] * beta2, Math.abs(d) + eps);
            u[i] = ui;
            p[po + i] = w + negClr * mi / ui;
        }
    }

    // ------------------------------------------------------------------ NAdam

    /** NAdam: p += cGrad·g/denom, then p += cAvg·m/denom, denom = √(v / bc2) + eps (two roundings of p, as torch). */
    public static void nadam(float[] p, int po, float[] g, int go, float[] m, float[] v, int n, float beta1, float c1, float beta2, float c2,
                             float bc2, float eps, float wd, float cGrad, float cAvg) {
        boolean vec = vector();
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (vec) OptimizerKernelsVector.nadam(p, po, g, go, m, v, from, to, beta1, c1, beta2, c2, bc2, eps, wd, cGrad, cAvg);
            else nadamRange(p, po, g, go, m, v, from, to, beta1, c1, beta2, c2, bc2, eps, wd, cGrad, cAvg);
        });
    }

    public static void nadamRange(float[] p, int po, float[] g, int go, float[] m, float[] v, int from, int to, float beta1, float c1,
                                  float beta2, float c2, float bc2, float eps, float wd, float cGrad, float cAvg) {
        for (int i = from; i < to; i++) {
            float w = p[po + i], d = g[go + i];
            if (wd != 0f) d = Math.fma(w, wd, d);
            float mi = Math.fma(d, c1, m[i] * beta1);
            float vi = Math.fma(c2 * d, d, v[i] * beta2);
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi / bc2) + eps;
            w = w + cGrad * d / denom;
            p[po + i] = w + cAvg * mi / denom;
        }
    }

    // ------------------------------------------------------------------ RAdam

    /**
     * RAdam. When {@code rectify}: p −= ((m/bc1)·lr·(1/(√v+eps))·√bc2)·rect, else p −= (m/bc1)·lr —
     * torch computes {@code s / t} for a Python scalar s as {@code reciprocal(t)·s}, kept here.
     */
    public static void radam(float[] p, int po, float[] g, int go, float[] m, float[] v, int n, float lr, float beta1, float c1, float beta2, float c2,
                             float bc1, float bc2Sqrt, float eps, float wd, boolean rectify, float rect) {
        boolean vec = vector();
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (vec) OptimizerKernelsVector.radam(p, po, g, go, m, v, from, to, lr, beta1, c1, beta2, c2, bc1, bc2Sqrt, eps, wd, rectify, rect);
            else radamRange(p, po, g, go, m, v, from, to, lr, beta1, c1, beta2, c2, bc1, bc2Sqrt, eps, wd, rectify, rect);
        });
    }

    public static void radamRange(float[] p, int po, float[] g, int go, float[] m, float[] v, int from, int to, float lr,
                                  float beta1, float c1, float beta2, float c2, float bc1, float bc2Sqrt, float eps, float wd, boolean rectify, float rect) {
        for (int i = from; i < to; i++) {
            float w = p[po + i], d = g[go + i];
            if (wd != 0f) d = Math.fma(w, wd, d);
            float mi = Math.fma(d, c1, m[i] * beta1);
            float vi = Math.fma(c2 * d, d, v[i] * beta2);
            m[i] = mi;
            v[i] = vi;
            float corrected = mi / bc1;
            if (rectify) {
                float adaptive = 1f / ((float) Math.sqrt(vi) + eps) * bc2Sqrt;
                p[po + i] = w - corrected * lr * adaptive * rect;
            } else {
                p[po + i] = w - corrected * lr;
            }
        }
    }

    // ------------------------------------------------------------------ Lion

    /**
     * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", Alg. 2):
     * p ← p·(1 − lr·wd); p ← p − lr·sign(β1·m + (1−β1)·g); m ← β2·m + (1−β2)·g. No fused
     * multiply-adds, so a NumPy float32 reference reproduces it exactly.
     */
    public static void lion(float[] p, int po, float[] g, int go, float[] m, int n, float lr, float decay, float beta1, float c1,
                            float beta2, float c2, boolean maximize) {
        boolean vec = vector();
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (vec) OptimizerKernelsVector.lion(p, po, g, go, m, from, to, lr, decay, beta1, c1, beta2, c2, maximize);
            else lionRange(p, po, g, go, m, from, to, lr, decay, beta1, c1, beta2, c2, maximize);
        });
    }

    public static void lionRange(float[] p, int po, float[] g, int go, float[] m, int from, int to, float lr, float decay,
                                 float beta1, float c1, float beta2, float c2, boolean maximize) {
        float negLr = -lr;
        for (int i = from; i < to; i++) {
            float w = p[po + i], d = maximize ? -g[go + i] : g[go + i], mi = m[i];
            if (decay != 1f) w = w * decay;
            float c = mi * beta1 + d * c1;
            p[po + i] = w + negLr * sign(c);
            m[i] = mi * beta2 + d * c2;
        }
    }

    /** torch.sign: −1, 0 or 1 (NaN stays NaN). */
    static float sign(float x) {
        return x > 0f ? 1f : x < 0f ? -1f : x * 0f;
    }
}
