package dev.anneal.train.checkpoint;

import dev.anneal.autograd.Tensor;
import dev.anneal.nn.Module;
import dev.anneal.optim.OptimizerState;
import dev.anneal.optim.StatefulOptimizer;
import dev.anneal.optim.schedule.LRScheduler;
import dev.anneal.tensor.Generator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run needs to continue exactly: model weights, optimizer and scheduler state, the
 * model's random generators, the epoch and step counters. One safetensors file: the weights under
 * their module names (so PyTorch tooling can read them), optimizer tensors under
 * {@code optimizer.<position>.<name>}, and the rest as JSON strings in the metadata.
 * Loading checks everything and restores the previous model, optimizer, scheduler and generator
 * state if any part does not fit, so a bad checkpoint never leaves a half-loaded run.
 */
public final class Checkpoint {
    public static final String FORMAT = "anneal-checkpoint-1";
    private static final String MODEL = "model.";
    private static final String OPTIM = "optimizer.";

    private Checkpoint() {}

    /** Counters and free-form notes saved beside the state; {@code epoch} is the number of finished epochs. */
    public record Progress(int epoch, long globalStep, Map<String, String> notes) {
        public Progress {
            notes = notes == null ? Map.of() : Map.copyOf(notes);
        }
    }

    /** Writes atomically (temporary file, then rename). scheduler may be null. */
    public static void save(Path file, Module model, StatefulOptimizer optimizer, LRScheduler scheduler, Progress progress) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> tensors.put(MODEL + k, t));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("epoch", Integer.toString(progress.epoch()));
        meta.put("global_step", Long.toString(progress.globalStep()));
        if (optimizer != null) meta.put("optimizer", Json.write(encodeOptimizer(optimizer.stateDict(), tensors)));
        if (scheduler != null) meta.put("scheduler", Json.write(scheduler.stateDict()));
        Map<String, Object> gens = new LinkedHashMap<>();
        model.namedGenerators().forEach((k, g) -> gens.put(k, longs(g.getState())));
        meta.put("generators", Json.write(gens));
        meta.put("notes", Json.write(new LinkedHashMap<>(progress.notes())));
        Safetensors.write(file, tensors, meta);
    }

    /**
     * Restores model, optimizer, scheduler and generators from file and returns the saved
     * progress. Any mismatch is an IllegalArgumentException and leaves the model as it was.
     */
    public static Progress load(Path file, Module model, StatefulOptimizer optimizer, LRScheduler scheduler) {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        String where = "Checkpoint: " + file + ": ";
        if (!FORMAT.equals(meta.get("format")))
            throw new IllegalArgumentException(where + "not an anneal checkpoint (format " + meta.get("format") + ", expected " + FORMAT + ")");
        Map<String, Tensor> weights = new LinkedHashMap<>();
        c.tensors().forEach((k, t) -> {
            if (k.startsWith(MODEL)) weights.put(k.substring(MODEL.length()), t);
        });
        OptimizerState optState = null;
        if (optimizer != null) {
            if (!meta.containsKey("optimizer")) throw new IllegalArgumentException(where + "has no optimizer state");
            optState = decodeOptimizer(asMap(parse(where, meta.get("optimizer")), where + "optimizer"), c.tensors(), where);
        }
        Map<String, Object> schedState = null;
        if (scheduler != null) {
            if (!meta.containsKey("scheduler")) throw new IllegalArgumentException(where + "has no scheduler state");
            schedState = asMap(parse(where, meta.get("scheduler")), where + "scheduler");
        }
        Map<String, Object> gens = asMap(parse(where, meta.getOrDefault("generators", "{}")), where + "generators");
        Map<String, Generator> modelGens = model.namedGenerators();
        int epoch;
        long step;
        try {
            epoch = Integer.parseInt(meta.get("epoch"));
            step = Long.parseLong(meta.get("global_step"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + "bad epoch/global_step metadata", e);
        }
        Map<String, String> notes = new LinkedHashMap<>();
        asMap(parse(where, meta.getOrDefault("notes", "{}")), where + "notes").forEach((k, v) -> notes.put(k, String.valueOf(v)));

        // Everything parsed: now apply, undoing the model on failure (the optimizer and the
        // scheduler check their whole state before changing anything).
        Map<String, Tensor> before = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> before.put(k, t.clone()));
        List<long[]> genBefore = new ArrayList<>();
        modelGens.values().forEach(g -> genBefore.add(g.getState()));
        OptimizerState optBefore = optimizer == null ? null : optimizer.stateDict();
        Map<String, Object> schedBefore = scheduler == null ? null : scheduler.stateDict();
        try {
            model.loadStateDict(weights, true);
            if (!gens.keySet().equals(modelGens.keySet()))
                throw new IllegalArgumentException("saved generators " + gens.keySet() + " do not match the model's " + modelGens.keySet());
            if (optimizer != null) optimizer.loadStateDict(optState);
            if (scheduler != null) scheduler.loadStateDict(schedState);
            for (Map.Entry<String, Generator> e : modelGens.entrySet()) e.getValue().setState(toLongs(gens.get(e.getKey()), where));
        } catch (RuntimeException e) {
            model.loadStateDict(before, true);
            if (optimizer != null) optimizer.loadStateDict(optBefore);
            if (scheduler != null) scheduler.loadStateDict(schedBefore);
            int i = 0;
            for (Generator g : modelGens.values()) g.setState(genBefore.get(i++));
            throw new IllegalArgumentException(where + "does not fit this model/optimizer/scheduler: " + e.getMessage(), e);
        }
        return new Progress(epoch, step, notes);
    }

    private static Object parse(String where, String json) {
        try {
            return Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "corrupt metadata: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o, String what) {
        if (!(o instanceof Map<?, ?>)) throw new IllegalArgumentException(what + " is not a JSON object");
        return (Map<String, Object>) o;
    }

    private static List<Object> longs(long[] v) {
        List<Object> l = new ArrayList<>();
        for (long x : v) l.add(x);
        return l;
    }

    private static long[] toLongs(Object o, String where) {
        if (!(o instanceof List<?> l)) throw new IllegalArgumentException(where + "generator state is not a list");
        long[] v = new long[l.size()];
        for (int i = 0; i < v.length; i++) {
            if (!(l.get(i) instanceof Long x)) throw new IllegalArgumentException(where + "generator state holds " + l.get(i));
            v[i] = x;
        }
        return v;
    }

    /** OptimizerState as JSON-ready maps; tensors go to the tensor section and are referenced by name. */
    private static Map<String, Object> encodeOptimizer(OptimizerState s, Map<String, Tensor> tensors) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("optimizer", s.optimizer());
        out.put("groups", new ArrayList<>(s.groups()));
        Map<String, Object> state = new LinkedHashMap<>();
        for (Map.Entry<Integer, Map<String, Object>> e : s.state().entrySet()) {
            Map<String, Object> one = new LinkedHashMap<>();
            for (Map.Entry<String, Object> v : e.getValue().entrySet()) {
                if (v.getValue() instanceof Tensor t) {
                    String name = OPTIM + e.getKey() + "." + v.getKey();
                    tensors.put(name, t);
                    one.put(v.getKey(), Map.of("$tensor", name));
                } else {
                    one.put(v.getKey(), v.getValue());
                }
            }
            state.put(Integer.toString(e.getKey()), one);
        }
        out.put("state", state);
        return out;
    }

    private static OptimizerState decodeOptimizer(Map<String, Object> m, Map<String, Tensor> tensors, String where) {
        if (!(m.get("optimizer") instanceof String name) || !(m.get("groups") instanceof List<?> groupsL)
                || !(m.get("state") instanceof Map<?, ?> stateM))
            throw new IllegalArgumentException(where + "optimizer state lacks optimizer/groups/state");
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Object g : groupsL) {
            Map<String, Object> group = new LinkedHashMap<>(asMap(g, where + "optimizer group"));
            if (group.get("params") instanceof List<?> ps) {
                List<Integer> ints = new ArrayList<>();
                for (Object p : ps) {
                    if (!(p instanceof Long x)) throw new IllegalArgumentException(where + "optimizer group params hold " + p);
                    ints.add((int) (long) x);
                }
                group.put("params", ints);
            }
            groups.add(group);
        }
        Map<Integer, Map<String, Object>> state = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : stateM.entrySet()) {
            int pos;
            try {
                pos = Integer.parseInt((String) e.getKey());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(where + "optimizer state key " + e.getKey() + " is not a position");
            }
            Map<String, Object> one = new LinkedHashMap<>();
            for (Map.Entry<String, Object> v : asMap(e.getValue(), where + "optimizer state").entrySet()) {
                Object val = v.getValue();
                if (val instanceof Map<?, ?> ref && ref.get("$tensor") instanceof String tname) {
                    Tensor t = tensors.get(tname);
                    if (t == null) throw new IllegalArgumentException(where + "optimizer tensor " + tname + " is missing");
                    val = t;
                }
                one.put(v.getKey(), val);
            }
            state.put(pos, one);
        }
        return new OptimizerState(name, groups, state);
    }
}
