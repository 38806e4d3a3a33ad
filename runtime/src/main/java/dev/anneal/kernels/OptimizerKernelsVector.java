package dev.anneal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API bodies of {@link OptimizerKernels}: the same float operations in the same order as
 * the scalar loops (fma where they use Math.fma), so both paths give identical bits; the tail
 * shorter than one vector runs the scalar loop.
 */
final class OptimizerKernelsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private OptimizerKernelsVector() {}

    private static int bound(int from, int to) {
        return from + S.loopBound(to - from);
    }

    private static FloatVector all(float x) {
        return FloatVector.broadcast(S, x);
    }

    private static FloatVector grad(float[] g, int at, boolean maximize) {
        FloatVector d = FloatVector.fromArray(S, g, at);
        return maximize ? d.neg() : d;
    }

    static void sgd(float[] p, int po, float[] g, int go, float[] buf, int from, int to, float lr, float wd, float momentum,
                    float keep, boolean nesterov, boolean maximize, boolean first) {
        int end = bound(from, to), i = from;
        float negLr = -lr;
        for (; i < end; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, po + i), d = grad(g, go + i, maximize);
            if (wd != 0f) d = w.fma(all(wd), d);
            if (momentum != 0f) {
                FloatVector b = first ? d : d.fma(all(keep), FloatVector.fromArray(S, buf, i).mul(momentum));
                b.intoArray(buf, i);
                d = nesterov ? b.fma(all(momentum), d) : b;
            }
            d.fma(all(negLr), w).intoArray(p, po + i);
        }
        OptimizerKernels.sgdRange(p, po, g, go, buf, i, to, lr, wd, momentum, keep, nesterov, maximize, first);
    }

    static void adam(float[] p, int po, float[] g, int go, float[] m, float[] v, float[] vmax, int from, int to, float decay,
                     float wd, float beta1, float c1, float beta2, float c2, float negStepSize, float bc2Sqrt, float eps,
                     boolean amsgrad, boolean maximize) {
        int end = bound(from, to), i = from;
        for (; i < end; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, po + i), d = grad(g, go + i, maximize);
            if (decay != 1f) w = w.mul(decay);
            if (wd != 0f) d = w.fma(all(wd), d);
            FloatVector mi = d.fma(all(c1), FloatVector.fromArray(S, m, i).mul(beta1));
            FloatVector vi = d.mul(c2).fma(d, FloatVector.fromArray(S, v, i).mul(beta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            if (amsgrad) {
                vi = FloatVector.fromArray(S, vmax, i).max(vi);
                vi.intoArray(vmax, i);
            }
            FloatVector denom = vi.sqrt().div(bc2Sqrt).add(eps);
            w.add(mi.mul(negStepSize).div(denom)).intoArray(p, po + i);
        }
        OptimizerKernels.adamRange(p, po, g, go, m, v, vmax, i, to, decay, wd, beta1, c1, beta2, c2, negStepSize, bc2Sqrt, eps, amsgrad,
                maximize);
    }

    static void adagrad(float[] p, int po, float[] g, int go, float[] sum, int from, int to, float negClr, float wd, float eps,
                        boolean maximize) {
        int end = bound(from, to), i = from;
        for (; i < end; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, po + i), d = grad(g, go + i, maximize);
            if (wd != 0f) d = w.fma(all(wd), d);
            FloatVector s = d.fma(d, FloatVector.fromArray(S, sum, i));
            s.intoArray(sum, i);
            w.add(d.mul(negClr).div(s.sqrt().add(eps))).intoArray(p, po + i);
        }
        OptimizerKernels.adagradRange(p, po, g, go, sum, i, to, negClr, wd, eps, maximize);
    }

    static void rmsprop(float[] p, int po, float[] g, int go, float[] sq, float[] gAvg, float[] buf, int from, int to, float lr,
                        float alpha, float c, float eps, float wd, float momentum, boolean centered, boolean maximize) {
        int end = bound(from, to), i = from;
        float negLr = -lr;
        for (; i < end; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, po + i), d = grad(g, go + i, maximize);
            if (wd != 0f) d = w.fma(all(wd), d);
            FloatVector s = d.mul(c).fma(d, FloatVector.fromArray(S, sq, i).mul(alpha));
            s.intoArray(sq, i);
            FloatVector avg;
            if (centered) {
                FloatVector ga = d.fma(all(c), FloatVector.fromArray(S, gAvg, i).mul(alpha));
                ga.intoArray(gAvg, i);
                avg = ga.neg().fma(ga, s).sqrt();
            } else {
                avg = s.sqrt();
            }
            avg = avg.add(eps);
            if (momentum > 0f) {
                FloatVector b = FloatVector.fromArray(S, buf, i).mul(momentum).add(d.div(avg));
                b.intoArray(buf, i);
                b.fma(all(negLr), w).intoArray(p, po + i);
            } else {
                w.add(d.mul(negLr).div(avg)).intoArray(p, po + i);
            }
        }
        OptimizerKernels.rmspropRange(p, po, g, go, sq, gAvg, buf, i, to, lr, alpha, c, eps, wd, momentum, centered, maximize);
    }

    static void adadelta(float[] p, int po, float[] g, int go, float[] sq, float[] acc, int from, int to, float lr, float rho,
                         float c, float eps, float wd, boolean maximize) {
        int end = bound(from, to), i = from;
        float negLr = -lr;
        for (; i < end; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, po + i), d = grad(g, go + i, maximize);
            if (wd != 0f) d = w.fma(all(wd), d);
            FloatVector s = d.mul(c).fma(d, FloatVector.fromArray(S, sq, i).mul(rho));
            s.intoArray(sq, i);
            FloatVector std = s.add(eps).sqrt();
            FloatVector a = FloatVector.fromArray(S, acc, i);
            FloatVector delta = a.add(eps).sqrt().div(std).mul(d);
            delta.mul(c).fma(delta, a.mul(rho)).intoArray(acc, i);
            delta.fma(all(negLr), w).intoArray(p, po + i);
        }
        OptimizerKernels.adadeltaRange(p, po, g, go, sq, acc, i, to, lr, rho, c, eps, wd, maximize);
    }

    static void adamax(float[] p, int po, float[] g, int go, float[] m, float[] u, int from, int to, float negClr, float beta1,
                       float c1, float beta2, float c2, float eps, float wd, boolean maximize) {
        int end = bound(from, to), i = from;
        for (; i < end; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, po + i), d = grad(g, go + i, maximize);
            if (wd != 0f) d = w.fma(all(wd), d);
            FloatVector mi = d.fma(all(c1), FloatVector.fromArray(S, m, i).mul(beta1));
            mi.intoArray(m, i);
            FloatVector ui = FloatVector.fromArray(S, u, i).mul(beta2).max(d.abs().add(eps));
            ui.intoArray(u, i);
            w.add(mi.mul(negClr).div(ui)).intoArray(p, po + i);
        }
        OptimizerKernels.adamaxRange(p, po, g, go, m, u, i, to, negClr, beta1, c1, beta2, c2, eps, wd, maximize);
    }

    static void nadam(float[] p, int po, float[] g, int go, float[] m, float[] v, int from, int to, float beta1, float c1,
                      float beta2, float c2, float bc2, float eps, float wd, float cGrad, float cAvg) {
        int end = bound(from, to), i = from;
        for (; i < end; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, po + i), d = FloatVector.fromArray(S, g, go + i);
            if (wd != 0f) d = w.fma(all(wd), d);
            FloatVector mi = d.fma(all(c1), FloatVector.fromArray(S, m, i).mul(beta1));
            FloatVector vi = d.mul(c2).fma(d, FloatVector.fromArray(S, v, i).mul(beta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.div(bc2).sqrt().add(eps);
            w = w.add(d.mul(cGrad).div(denom));
            w.add(mi.mul(cAvg).div(denom)).intoArray(p, po + i);
        }
        OptimizerKernels.nadamRange(p, po, g, go, m, v, i, to, beta1, c1, beta2, c2, bc2, eps, wd, cGrad, cAvg);
    }

    static void radam(float[] p, int po, float[] g, int go, float[] m, float[] v, int from, int to, float lr, float beta1, float c1,
                      float beta2, float c2, float bc1, float bc2Sqrt, float eps, float wd, boolean rectify, float rect) {
        int end = bound(from, to), i = from;
        for (; i < end; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, po + i), d = FloatVector.fromArray(S, g, go + i);
            if (wd != 0f) d = w.fma(all(wd), d);
            FloatVector mi = d.fma(all(c1), FloatVector.fromArray(S, m, i).mul(beta1));
            FloatVector vi = d.mul(c2).fma(d, FloatVector.fromArray(S, v, i).mul(beta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector corrected = mi.div(bc1);
            if (rectify) {
                FloatVector adaptive = FloatVector.broadcast(S, 1f).div(vi.sqrt().add(eps)).mul(bc2Sqrt);
                w.sub(corrected.mul(lr).mul(adaptive).mul(rect)).intoArray(p, po + i);
            } else {
                w.sub(corrected.mul(lr)).intoArray(p, po + i);
            }
        }
        OptimizerKernels.radamRange(p, po, g, go, m, v, i, to, lr, beta1, c1, beta2, c2, bc1, bc2Sqrt, eps, wd, rectify, rect);
    }

    static void lion(float[] p, int po, float[] g, int go, float[] m, int from, int to, float lr, float decay, float beta1, float c1,
                     float beta2, float c2, boolean maximize) {
        int end = bound(from, to), i = from;
        float negLr = -lr;
        FloatVector one = FloatVector.broadcast(S, 1f), minusOne = FloatVector.broadcast(S, -1f);
        for (; i < end; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, po + i), d = grad(g, go + i, maximize);
            FloatVector mi = FloatVector.fromArray(S, m, i);
            if (decay != 1f) w = w.mul(decay);
            FloatVector c = mi.mul(beta1).add(d.mul(c1));
            VectorMask<Float> pos = c.compare(VectorOperators.GT, 0f), neg = c.compare(VectorOperators.LT, 0f);
            FloatVector sign = c.mul(0f).blend(one, pos).blend(minusOne, neg);
            w.add(sign.mul(negLr)).intoArray(p, po + i);
            mi.mul(beta2).add(d.mul(c2)).intoArray(m, i);
        }
        OptimizerKernels.lionRange(p, po, g, go, m, i, to, lr, decay, beta1, c1, beta2, c2, maximize);
    }
}
