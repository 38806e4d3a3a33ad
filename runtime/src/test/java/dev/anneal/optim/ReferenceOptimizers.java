package dev.anneal.optim;

/**
 * Plain per-element implementations of each algorithm, one step over whole arrays, written from
 * the PyTorch 1.13 formulas (torch/optim/*.py, single-tensor path) in float32 with the roundings
 * torch's CPU kernels make: {@code a.add_(b, alpha=s)} is fma(b, s, a), {@code a.addcmul_(b, c, value=s)}
 * is fma(s·b, c, a), {@code a.addcdiv_(b, c, value=s)} is a + s·b/c, {@code s / t} for a Python
 * scalar s is (1/t)·s. Coefficients are computed in double and rounded to float, as Python does.
 */
final class ReferenceOptimizers {
    private ReferenceOptimizers() {}

    static float f(double x) {
        return (float) x;
    }

    static void sgd(float[] p, float[] grad, float[] buf, boolean first, double lr, double momentum, double dampening, double wd,
                    boolean nesterov, boolean maximize) {
        for (int i = 0; i < p.length; i++) {
            float dp = maximize ? -grad[i] : grad[i];
            if (wd != 0) dp = Math.fma(p[i], f(wd), dp);
            if (momentum != 0) {
                if (first) buf[i] = dp;
                else buf[i] = Math.fma(dp, f(1 - dampening), buf[i] * f(momentum));
                dp = nesterov ? Math.fma(buf[i], f(momentum), dp) : buf[i];
            }
            p[i] = Math.fma(dp, f(-lr), p[i]);
        }
    }

    static void adam(float[] p, float[] grad, float[] expAvg, float[] expAvgSq, float[] maxSq, long step, double lr, double beta1,
                     double beta2, double eps, double wd, boolean amsgrad, boolean maximize, boolean decoupled) {
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / bc1, bc2Sqrt = Math.sqrt(bc2);
        for (int i = 0; i < p.length; i++) {
            float gi = maximize ? -grad[i] : grad[i];
            if (decoupled) p[i] = p[i] * f(1 - lr * wd);
            else if (wd != 0) gi = Math.fma(p[i], f(wd), gi);
            expAvg[i] = Math.fma(gi, f(1 - beta1), expAvg[i] * f(beta1));
            expAvgSq[i] = Math.fma(f(1 - beta2) * gi, gi, expAvgSq[i] * f(beta2));
            float second = expAvgSq[i];
            if (amsgrad) {
                maxSq[i] = Math.max(maxSq[i], expAvgSq[i]);
                second = maxSq[i];
            }
            float denom = f(Math.sqrt(second)) / f(bc2Sqrt) + f(eps);
            p[i] = p[i] + f(-stepSize) * expAvg[i] / denom;
        }
    }

    static void adagrad(float[] p, float[] grad, float[] sum, long step, double lr, double lrDecay, double wd, double eps,
                        boolean maximize) {
        double clr = lr / (1 + (step - 1) * lrDecay);
        for (int i = 0; i < p.length; i++) {
            float gi = maximize ? -grad[i] : grad[i];
            if (wd != 0) gi = Math.fma(p[i], f(wd), gi);
            sum[i] = Math.fma(1f * gi, gi, sum[i]);
            float std = f(Math.sqrt(sum[i])) + f(eps);
            p[i] = p[i] + f(-clr) * gi / std;
        }
    }

    static void rmsprop(float[] p, float[] grad, float[] squareAvg, float[] gradAvg, float[] buf, double lr, double alpha, double eps,
                        double wd, double momentum, boolean centered, boolean maximize) {
        for (int i = 0; i < p.length; i++) {
            float gi = maximize ? -grad[i] : grad[i];
            if (wd != 0) gi = Math.fma(p[i], f(wd), gi);
            squareAvg[i] = Math.fma(f(1 - alpha) * gi, gi, squareAvg[i] * f(alpha));
            float avg;
            if (centered) {
                gradAvg[i] = Math.fma(gi, f(1 - alpha), gradAvg[i] * f(alpha));
                avg = f(Math.sqrt(Math.fma(-1f * gradAvg[i], gradAvg[i], squareAvg[i])));
            } else {
                avg = f(Math.sqrt(squareAvg[i]));
            }
            avg = avg + f(eps);
            if (momentum > 0) {
                buf[i] = buf[i] * f(momentum) + 1f * gi / avg;
                p[i] = Math.fma(buf[i], f(-lr), p[i]);
            } else {
                p[i] = p[i] + f(-lr) * gi / avg;
            }
        }
    }

    static void adadelta(float[] p, float[] grad, float[] squareAvg, float[] accDelta, double lr, double rho, double eps, double wd,
                         boolean maximize) {
        for (int i = 0; i < p.length; i++) {
            float gi = maximize ? -grad[i] : grad[i];
            if (wd != 0) gi = Math.fma(p[i], f(wd), gi);
            squareAvg[i] = Math.fma(f(1 - rho) * gi, gi, squareAvg[i] * f(rho));
            float std = f(Math.sqrt(squareAvg[i] + f(eps)));
            float delta = f(Math.sqrt(accDelta[i] + f(eps))) / std * gi;
            accDelta[i] = Math.fma(f(1 - rho) * delta, delta, accDelta[i] * f(rho));
            p[i] = Math.fma(delta, f(-lr), p[i]);
        }
    }

    static void adamax(float[] p, float[] grad, float[] expAvg, float[] expInf, long step, double lr, double beta1, double beta2,
                       double eps, double wd, boolean maximize) {
        double clr = lr / (1 - Math.pow(beta1, step));
        for (int i = 0; i < p.length; i++) {
            float gi = maximize ? -grad[i] : grad[i];
            if (wd != 0) gi = Math.fma(p[i], f(wd), gi);
            expAvg[i] = Math.fma(gi, f(1 - beta1), expAvg[i] * f(beta1));
            expInf[i] = Math.max(expInf[i] * f(beta2), Math.abs(gi) + f(eps));
            p[i] = p[i] + f(-clr) * expAvg[i] / expInf[i];
        }
    }

    /** Returns the new mu_product (a float32 tensor in torch). */
    static float nadam(float[] p, float[] grad, float[] expAvg, float[] expAvgSq, float muProduct, long step, double lr, double beta1,
                       double beta2, double eps, double wd, double momentumDecay) {
        double bc2 = 1 - Math.pow(beta2, step);
        double mu = beta1 * (1. - 0.5 * Math.pow(0.96, step * momentumDecay));
        double muNext = beta1 * (1. - 0.5 * Math.pow(0.96, (step + 1) * momentumDecay));
        muProduct = muProduct * f(mu);
        float muProductNext = muProduct * f(mu) * f(muNext);
        for (int i = 0; i < p.length; i++) {
            float gi = grad[i];
            if (wd != 0) gi = Math.fma(p[i], f(wd), gi);
            expAvg[i] = Math.fma(gi, f(1 - beta1), expAvg[i] * f(beta1));
            expAvgSq[i] = Math.fma(f(1 - beta2) * gi, gi, expAvgSq[i] * f(beta2));
            float denom = f(Math.sqrt(expAvgSq[i] / f(bc2))) + f(eps);
            p[i] = p[i] + f(-lr * (1. - mu) / (1. - muProduct)) * gi / denom;
            p[i] = p[i] + f(-lr * muNext / (1. - muProductNext)) * expAvg[i] / denom;
        }
        return muProduct;
    }

    static void radam(float[] p, float[] grad, float[] expAvg, float[] expAvgSq, long step, double lr, double beta1, double beta2,
                      double eps, double wd) {
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * step * Math.pow(beta2, step) / bc2;
        for (int i = 0; i < p.length; i++) {
            float gi = grad[i];
            if (wd != 0) gi = Math.fma(p[i], f(wd), gi);
            expAvg[i] = Math.fma(gi, f(1 - beta1), expAvg[i] * f(beta1));
            expAvgSq[i] = Math.fma(f(1 - beta2) * gi, gi, expAvgSq[i] * f(beta2));
            float corrected = expAvg[i] / f(bc1);
            if (rhoT > 5) {
                double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
                float adaptive = (1f / (f(Math.sqrt(expAvgSq[i])) + f(eps))) * f(Math.sqrt(bc2));
                p[i] = Math.fma(corrected * f(lr) * adaptive * f(rect), -1f, p[i]);
            } else {
                p[i] = Math.fma(corrected * f(lr), -1f, p[i]);
            }
        }
    }

    /** Lion, Chen et al. 2023 Algorithm 2 with decoupled weight decay. */
    static void lion(float[] p, float[] grad, float[] expAvg, double lr, double beta1, double beta2, double wd, boolean maximize) {
        for (int i = 0; i < p.length; i++) {
            float gi = maximize ? -grad[i] : grad[i];
            if (wd != 0) p[i] = p[i] * f(1 - lr * wd);
            float c = expAvg[i] * f(beta1) + gi * f(1 - beta1);
            float sign = c > 0 ? 1f : c < 0 ? -1f : c * 0f;
            p[i] = p[i] + f(-lr) * sign;
            expAvg[i] = expAvg[i] * f(beta2) + gi * f(1 - beta2);
        }
    }
}
