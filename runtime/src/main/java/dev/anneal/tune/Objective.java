package dev.anneal.tune;

/** The function a study optimizes: suggests parameters on the trial, trains/evaluates, returns the value. */
@FunctionalInterface
public interface Objective {
    double evaluate(Trial trial) throws Exception;
}
