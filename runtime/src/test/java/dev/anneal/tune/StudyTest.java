package dev.anneal.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyTest {
    @TempDir
    Path dir;

    /** An objective with a conditional parameter, intermediate values and a per-trial sleep that scrambles finish order. */
    static final Objective CONDITIONAL = t -> {
        String opt = t.suggestCategorical("optimizer", List.of("sgd", "adam"));
        double lr = t.suggestFloat("lr", 1e-4, 1e-1, true);
        double m = opt.equals("sgd") ? t.suggestFloat("momentum", 0.0, 0.99) : 0;
        int units = t.suggestInt("units", 8, 64, 8);
        double v = Math.abs(Math.log10(lr) + 2) + m + units / 64.0;
        for (int step = 0; step < 3; step++) t.report(v + 1.0 / (step + 1), step);
        Thread.sleep((t.number() * 7) % 5);
        return v;
    };

    static List<String> summary(Study s) {
        List<String> out = new ArrayList<>();
        for (FrozenTrial t : s.trials())
            out.add(t.number() + " " + t.state() + " " + t.value() + " " + t.params() + " " + t.intermediateValues() + " " + t.error());
        return out;
    }

    @Test
    void conditionalParametersAppearOnlyWhenTheirConditionHolds() {
        Study s = Study.builder().sampler(new RandomSampler(1)).pruner(new NopPruner()).build();
        s.optimize(CONDITIONAL, 20);
        int sgd = 0;
        for (FrozenTrial t : s.trials()) {
            boolean isSgd = t.params().get("optimizer").equals("sgd");
            assertEquals(isSgd, t.params().containsKey("momentum"));
            assertEquals(isSgd ? 4 : 3, t.distributions().size());
            if (isSgd) sgd++;
        }
        assertTrue(sgd > 0 && sgd < 20);
        FrozenTrial best = s.bestTrial();
        for (FrozenTrial t : s.trials()) if (t.state() == TrialState.COMPLETE) assertTrue(best.value() <= t.value());
        String table = s.trialsTable();
        assertTrue(table.startsWith("number  state     value"), table);
        assertTrue(table.contains("params_momentum"), table);
        assertEquals(21, table.split("\n").length);
    }

    @Test
    void failingTrialsAreRecordedAndTheStudyGoesOn() {
        Study s = Study.builder().direction(Direction.MAXIMIZE).sampler(new RandomSampler(2)).pruner(new NopPruner()).build();
        s.optimize(t -> {
            double x = t.suggestFloat("x", 0, 1);
            if (t.number() == 1) throw new IllegalStateException("boom in trial 1");
            if (t.number() == 2) return Double.NaN;
            if (t.number() == 3) t.suggestInt("x", 0, 5); // same name, other distribution
            if (t.number() == 4) {
                t.report(0.25, 0);
                t.report(0.75, 3);
                throw new TrialPruned();
            }
            assertEquals(x, t.suggestFloat("x", 0, 1)); // asking again returns the same value
            return x;
        }, 6);
        List<FrozenTrial> ts = s.trials();
        assertEquals(6, ts.size());
        assertEquals(TrialState.FAIL, ts.get(1).state());
        assertEquals("java.lang.IllegalStateException: boom in trial 1", ts.get(1).error());
        assertTrue(Double.isNaN(ts.get(1).value()));
        assertEquals(TrialState.FAIL, ts.get(2).state());
        assertEquals("the objective returned NaN", ts.get(2).error());
        assertEquals(TrialState.FAIL, ts.get(3).state());
        assertTrue(ts.get(3).error().contains("parameter 'x' was suggested from FloatDistribution"), ts.get(3).error());
        assertEquals(TrialState.PRUNED, ts.get(4).state());
        assertEquals(0.75, ts.get(4).value()); // a pruned trial keeps its last intermediate value, as Optuna
        assertEquals(TrialState.COMPLETE, ts.get(5).state());
        assertNull(ts.get(5).error());
        double best = Math.max(ts.get(0).value(), ts.get(5).value());
        assertEquals(best, s.bestValue());
        assertThrows(IllegalStateException.class, () -> {
            Study e = Study.builder().build();
            e.optimize(t -> {
                throw new RuntimeException("always");
            }, 2);
            e.bestTrial();
        });
    }

    @Test
    void parallelRunsEqualSequentialForRandomAndGrid() {
        Study seq = Study.builder().sampler(new RandomSampler(9)).pruner(new NopPruner()).build();
        seq.optimize(CONDITIONAL, 16);
        Study par = Study.builder().sampler(new RandomSampler(9)).pruner(new NopPruner()).build();
        par.optimize(CONDITIONAL, RunOptions.trials(16).withWorkers(2));
        assertEquals(summary(seq), summary(par));

        Map<String, List<?>> grid = new LinkedHashMap<>();
        grid.put("optimizer", List.of("sgd", "adam"));
        grid.put("lr", List.of(1e-3, 1e-2));
        grid.put("momentum", List.of(0.0, 0.9));
        grid.put("units", List.of(8, 64));
        Study gs = Study.builder().sampler(new GridSampler(grid)).build();
        gs.optimize(CONDITIONAL, 100);
        Study gp = Study.builder().sampler(new GridSampler(grid)).build();
        gp.optimize(CONDITIONAL, RunOptions.trials(100).withWorkers(2));
        assertEquals(16, gp.trials().size());
        assertEquals(summary(gs), summary(gp));
    }

    @Test
    void deterministicParallelTpeWithPrunerRepeatsExactly() {
        List<List<String>> runs = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Study s = Study.builder().sampler(TPESampler.builder(4).nStartupTrials(4).build()).pruner(new MedianPruner(2, 0, 1)).build();
            s.optimize(t -> {
                double v = CONDITIONAL.evaluate(t);
                if (t.shouldPrune()) throw new TrialPruned();
                return v;
            }, RunOptions.trials(14).withWorkers(2).withDeterministic(true));
            runs.add(summary(s));
        }
        assertEquals(14, runs.get(0).size());
        assertEquals(runs.get(0), runs.get(1));
        // with one worker the deterministic mode is the ordinary sequential run
        Study a = Study.builder().sampler(new TPESampler(4)).build(), b = Study.builder().sampler(new TPESampler(4)).build();
        a.optimize(CONDITIONAL, 12);
        b.optimize(CONDITIONAL, RunOptions.trials(12).withDeterministic(true));
        assertEquals(summary(a), summary(b));
    }

    @Test
    void storageRoundTripsAndResumesSeamlessly() throws IOException {
        Path file = dir.resolve("runs/tpe.jsonl");
        // an uninterrupted 16-trial TPE study...
        Study whole = Study.builder().name("s").sampler(TPESampler.builder(3).nStartupTrials(5).build()).pruner(new NopPruner()).build();
        whole.optimize(CONDITIONAL, 16);
        // ...equals one stopped after 7 trials and resumed from its file for 9 more
        Study first = Study.builder().name("s").sampler(TPESampler.builder(3).nStartupTrials(5).build()).pruner(new NopPruner()).storage(file).build();
        first.optimize(CONDITIONAL, 7);
        List<String> lines = Files.readAllLines(file);
        assertEquals(8, lines.size());
        assertTrue(lines.get(0).startsWith("{\"type\": \"study\", \"format\": \"anneal-study/1\", \"name\": \"s\", \"direction\": \"MINIMIZE\""), lines.get(0));
        Study resumed = Study.builder().name("s").sampler(TPESampler.builder(3).nStartupTrials(5).build()).pruner(new NopPruner()).storage(file).build();
        assertEquals(summary(first), summary(resumed));
        resumed.optimize(CONDITIONAL, 9);
        assertEquals(summary(whole), summary(resumed));
        assertEquals(17, Files.readAllLines(file).size());
        // durations and categorical choices survive too
        Study again = Study.builder().name("s").sampler(new TPESampler(3)).storage(file).build();
        for (int i = 0; i < 16; i++) assertEquals(resumed.trials().get(i).durationSeconds(), again.trials().get(i).durationSeconds());
        assertEquals("sgd".equals(again.trials().get(0).params().get("optimizer")), again.trials().get(0).params().containsKey("momentum"));
        // a study file keeps its identity
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Study.builder().name("s").direction(Direction.MAXIMIZE).storage(file).build());
        assertTrue(e.getMessage().contains("holds study 's' (MINIMIZE)"), e.getMessage());
    }

    @Test
    void prunerStateAndFailuresArePersisted() {
        Path file = dir.resolve("sh.jsonl");
        Study s = Study.builder().sampler(new RandomSampler(0)).pruner(new SuccessiveHalvingPruner(1, 2, 0, 0)).storage(file).build();
        s.optimize(t -> {
            double x = t.suggestFloat("x", 0, 1);
            if (t.number() == 2) throw new ArithmeticException("no");
            for (int step = 0; step < 4; step++) {
                t.report(x + step, step);
                if (t.shouldPrune()) throw new TrialPruned();
            }
            return x;
        }, 6);
        Study r = Study.builder().sampler(new RandomSampler(0)).storage(file).build();
        assertEquals(summary(s), summary(r));
        assertEquals(s.trials().get(0).systemAttrs(), r.trials().get(0).systemAttrs());
        assertEquals(s.trials().get(0).intermediateValues().get(1), r.trials().get(0).systemAttrs().get("completed_rung_0"));
        assertEquals("java.lang.ArithmeticException: no", r.trials().get(2).error());
        boolean anyPruned = false;
        for (FrozenTrial t : r.trials()) anyPruned |= t.state() == TrialState.PRUNED;
        assertTrue(anyPruned);
    }

    @Test
    void corruptOrTruncatedFilesNameTheLine() throws IOException {
        Path file = dir.resolve("c.jsonl");
        Study s = Study.builder().sampler(new RandomSampler(0)).storage(file).build();
        s.optimize(t -> t.suggestFloat("x", 0, 1), 3);
        List<String> lines = Files.readAllLines(file);
        // a crash in the middle of a write leaves a truncated last line
        Files.writeString(file, String.join("\n", lines.subList(0, 3)) + "\n" + lines.get(3).substring(0, 40) + "\n", StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Study.builder().storage(file).build());
        assertTrue(e.getMessage().contains("c.jsonl line 4 is corrupt or truncated"), e.getMessage());
        // a parameter outside its recorded distribution
        Files.writeString(file, lines.get(0) + "\n" + lines.get(1).replaceFirst("\"x\": [0-9.E-]+", "\"x\": 7.0") + "\n", StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class, () -> Study.builder().storage(file).build());
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("'x' = 7.0 does not fit"), e.getMessage());
        // not a study file at all
        Files.writeString(file, "{\"hello\": 1}\n", StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class, () -> Study.builder().storage(file).build());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void timeoutEndsTheRunAndOptionsAreChecked() {
        Study s = Study.builder().sampler(new RandomSampler(0)).build();
        s.optimize(t -> {
            Thread.sleep(20);
            return t.suggestFloat("x", 0, 1);
        }, RunOptions.timeout(Duration.ofMillis(150)).withWorkers(2));
        int n = s.trials().size();
        assertTrue(n >= 2 && n < 1000, "trials: " + n);
        for (FrozenTrial t : s.trials()) assertEquals(TrialState.COMPLETE, t.state());
        assertThrows(IllegalArgumentException.class, () -> s.optimize(t -> 0, new RunOptions(RunOptions.UNLIMITED, null, 1, false)));
        assertThrows(IllegalArgumentException.class, () -> RunOptions.trials(0));
        assertThrows(IllegalArgumentException.class, () -> RunOptions.trials(1).withWorkers(0));
        assertFalse(s.trials().isEmpty());
    }
}
