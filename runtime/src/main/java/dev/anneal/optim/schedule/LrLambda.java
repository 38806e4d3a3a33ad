package dev.anneal.optim.schedule;

/** A learning-rate factor as a function of the step index, for LambdaLR and MultiplicativeLR. */
@FunctionalInterface
public interface LrLambda {
    double factor(int epoch);
}
