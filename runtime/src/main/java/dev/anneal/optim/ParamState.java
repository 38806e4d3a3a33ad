package dev.anneal.optim;

import dev.anneal.autograd.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** One parameter's optimizer state: its update count and named tensors and numbers, all saved by stateDict. */
final class ParamState {
    long step;
    final Map<String, Tensor> tensors = new LinkedHashMap<>();
    final Map<String, Double> scalars = new LinkedHashMap<>();
}
