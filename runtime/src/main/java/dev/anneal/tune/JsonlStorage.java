package dev.anneal.tune;

import dev.anneal.train.checkpoint.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A study file: one JSON object per line, first a header with the study's settings, then one record
 * per finished trial, appended and forced to disk as each trial ends (a crash loses only the trials
 * that were running). Reading checks every line and names the first bad one.
 */
public final class JsonlStorage {
    static final String FORMAT = "anneal-study/1";
    private final Path path;

    public JsonlStorage(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The header and the finished trials of a study file. */
    public record Contents(Map<String, Object> header, List<FrozenTrial> trials) {}

    public boolean exists() {
        return Files.exists(path);
    }

    /** Reads a study file; a malformed or truncated line is an IllegalArgumentException naming the file and line. */
    public Contents read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("JsonlStorage: cannot read " + path, e);
        }
        if (lines.isEmpty()) throw new IllegalArgumentException("JsonlStorage: " + path + " is empty; expected a study header on line 1");
        Map<String, Object> header = null;
        List<FrozenTrial> trials = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            try {
                Object o = Json.parse(line);
                if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException("not a JSON object");
                @SuppressWarnings("unchecked")
                Map<String, Object> rec = (Map<String, Object>) m;
                if (i == 0) {
                    if (!"study".equals(rec.get("type")) || !FORMAT.equals(rec.get("format")))
                        throw new IllegalArgumentException("expected a header with type \"study\" and format \"" + FORMAT + "\"");
                    header = rec;
                } else {
                    if (!"trial".equals(rec.get("type"))) throw new IllegalArgumentException("expected a record with type \"trial\"");
                    FrozenTrial t = trialFromJson(rec);
                    for (FrozenTrial u : trials)
                        if (u.number() == t.number()) throw new IllegalArgumentException("trial number " + t.number() + " appears twice");
                    trials.add(t);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("JsonlStorage: " + path + " line " + (i + 1) + " is corrupt or truncated: "
                        + e.getMessage(), e);
            }
        }
        trials.sort((a, b) -> Integer.compare(a.number(), b.number()));
        return new Contents(header, trials);
    }

    /** Starts a new study file with its header. */
    public void writeHeader(Map<String, Object> settings) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("type", "study");
        h.put("format", FORMAT);
        h.putAll(settings);
        try {
            if (path.getParent() != null) Files.createDirectories(path.getParent());
            Files.writeString(path, Json.write(h) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("JsonlStorage: cannot create " + path, e);
        }
    }

    /** Appends one finished trial and forces it to disk. */
    public void append(FrozenTrial t) {
        byte[] line = (Json.write(trialToJson(t)) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) ch.write(b);
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("JsonlStorage: cannot append trial " + t.number() + " to " + path, e);
        }
    }

    static Map<String, Object> trialToJson(FrozenTrial t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "trial");
        m.put("number", t.number());
        m.put("state", t.state().name());
        m.put("value", Double.isNaN(t.value()) ? null : t.value());
        m.put("params", t.params());
        Map<String, Object> d = new LinkedHashMap<>();
        t.distributions().forEach((k, v) -> d.put(k, v.toJson()));
        m.put("distributions", d);
        Map<String, Object> iv = new LinkedHashMap<>();
        t.intermediateValues().forEach((k, v) -> iv.put(Integer.toString(k), v));
        m.put("intermediate", iv);
        m.put("system_attrs", t.systemAttrs());
        m.put("error", t.error());
        m.put("duration", t.durationSeconds());
        return m;
    }

    static FrozenTrial trialFromJson(Map<String, Object> m) {
        int number = (int) number(m, "number");
        TrialState state;
        try {
            state = TrialState.valueOf(String.valueOf(m.get("state")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown state " + m.get("state"));
        }
        if (!state.finished()) throw new IllegalArgumentException("trial " + number + " is not finished (" + state + ")");
        double value = m.get("value") == null ? Double.NaN : number(m, "value");
        Map<String, Distribution> dists = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : object(m, "distributions").entrySet()) dists.put(e.getKey(), Distribution.fromJson(e.getValue()));
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : object(m, "params").entrySet()) {
            Distribution d = dists.get(e.getKey());
            if (d == null || !d.contains(e.getValue()))
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' = " + e.getValue() + " does not fit its distribution " + d);
            params.put(e.getKey(), d.toExternal(d.toInternal(e.getValue())));
        }
        TreeMap<Integer, Double> iv = new TreeMap<>();
        for (Map.Entry<String, Object> e : object(m, "intermediate").entrySet()) {
            if (!(e.getValue() instanceof Number n)) throw new IllegalArgumentException("intermediate value at step " + e.getKey() + " is not a number");
            iv.put(Integer.parseInt(e.getKey()), n.doubleValue());
        }
        Object err = m.get("error");
        return new FrozenTrial(number, state, value, params, dists, iv, object(m, "system_attrs"), err == null ? null : err.toString(),
                number(m, "duration"));
    }

    private static double number(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) throw new IllegalArgumentException("'" + key + "' is missing or not a number");
        return n.doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Map<?, ?> o)) throw new IllegalArgumentException("'" + key + "' is missing or not an object");
        return (Map<String, Object>) o;
    }
}
