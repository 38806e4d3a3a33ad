package dev.anneal.dsl

import dev.anneal.autograd.Tensor
import dev.anneal.data.TensorDataset
import dev.anneal.tensor.Generator
import dev.anneal.tune.Direction
import dev.anneal.tune.MedianPruner
import dev.anneal.tune.SearchSpace
import dev.anneal.tune.Study
import dev.anneal.tune.TPESampler
import dev.anneal.tune.TrialState
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import kotlin.math.abs
import kotlin.math.log10

class StudiesTest {
    /** A smooth score peaking at lr = 10^-2.5, dropout 0.1, batch 64; the "epochs" approach it from below. */
    private fun score(lr: Double, batchSize: Int, dropout: Double): Double {
        val d = log10(lr) + 2.5
        return 1.0 - d * d / 4 - (dropout - 0.1) * (dropout - 0.1) - (if (batchSize == 64) 0.0 else 0.05)
    }

    private fun issueExample() = study {
        direction = maximize; sampler = tpe(seed = 1); pruner = median()
        space { lr(logUniform(1e-4, 1e-1)); batchSize(choice(32, 64, 128)); dropout(uniform(0.0, 0.5)) }
    }

    @Test
    fun issueExampleGivesTheJavaBuildersTrials() {
        val s = issueExample()
        s.optimize(trials = 16) { trial ->
            val v = score(trial.lr, trial.batchSize, trial.dropout)
            for (epoch in 0 until 3) trial.report(v * (epoch + 1) / 3, epoch)
            v
        }
        val space = SearchSpace().add("lr", SearchSpace.logUniform(1e-4, 1e-1)).add("batchSize", SearchSpace.choice(32, 64, 128))
            .add("dropout", SearchSpace.uniform(0.0, 0.5))
        val java = Study.builder().direction(Direction.MAXIMIZE).sampler(TPESampler(1)).pruner(MedianPruner()).build()
        java.optimize({ t ->
            val p = space.suggest(t)
            val v = score(p["lr"] as Double, p["batchSize"] as Int, p["dropout"] as Double)
            for (epoch in 0 until 3) {
                t.report(v * (epoch + 1) / 3, epoch)
                if (t.shouldPrune()) throw dev.anneal.tune.TrialPruned()
            }
            v
        }, 16)
        assertEquals(16, s.trials.size)
        assertEquals(java.trials().map { it.params() }, s.trials.map { it.params() })
        assertEquals(java.trials().map { it.state() }, s.trials.map { it.state() })
        assertEquals(java.bestValue(), s.bestValue)
        assertEquals(Direction.MAXIMIZE, s.direction)
        assertTrue(s.bestParams.keys == setOf("lr", "batchSize", "dropout"))
    }

    @Test
    fun medianPrunerStopsTrialsWhoseIntermediateValuesAreWorse() {
        val s = study {
            direction = maximize
            sampler = random(seed = 3)
            pruner = median(startupTrials = 3)
            space { "quality"(uniform(0.0, 1.0)) }
        }
        val stepsRun = HashMap<Int, Int>()
        s.optimize(trials = 20) { trial ->
            val q = trial.double("quality")
            var last = 0.0
            for (step in 0 until 5) {
                stepsRun[trial.number] = step + 1
                last = q * (step + 1)
                trial.report(last, step)
            }
            last
        }
        val pruned = s.trials.filter { it.state() == TrialState.PRUNED }
        assertTrue(pruned.isNotEmpty(), "no trial was pruned")
        for (t in pruned) {
            // a pruned trial stopped at its last report, and its value there was below the median of earlier trials
            assertEquals(t.lastStep() + 1, stepsRun[t.number()])
            val earlier = s.trials.filter { it.number() < t.number() && it.state() == TrialState.COMPLETE }
                .map { it.intermediateValues()[t.lastStep()]!! }.sorted()
            val median = if (earlier.size % 2 == 1) earlier[earlier.size / 2] else (earlier[earlier.size / 2 - 1] + earlier[earlier.size / 2]) / 2
            assertTrue(t.intermediateValues()[t.lastStep()]!! < median, "trial ${t.number()} pruned above the median $median")
        }
        assertEquals(20, s.trials.size)
    }

    @Test
    fun conditionalParametersAppearOnlyWhenTheirConditionHolds() {
        val s = study {
            sampler = random(seed = 7); pruner = none()
            space {
                optimizer(choice("adam", "sgd"))
                onlyWhen("optimizer", "sgd") { momentum(uniform(0.5, 0.99)) }
                "hidden"(ints(64..256 step 64))
            }
        }
        val seen = ArrayList<String>()
        s.optimize(trials = 20) { trial ->
            seen += trial.optimizer
            assertEquals(trial.optimizer == "sgd", trial.has("momentum"))
            val h = trial.int("hidden")
            assertTrue(h in listOf(64, 128, 192, 256), "hidden $h")
            // define-by-run conditional, inside the objective
            val wd = if (trial.optimizer == "adam") trial.float("adamWd", 1e-5, 1e-2, log = true) else 0.0
            if (trial.has("momentum")) trial.momentum + wd else wd
        }
        assertTrue("adam" in seen && "sgd" in seen, "both branches taken: $seen")
        for (t in s.trials) {
            val sgd = t.params()["optimizer"] == "sgd"
            assertEquals(sgd, "momentum" in t.params())
            assertEquals(!sgd, "adamWd" in t.params())
            if (sgd) assertTrue((t.params()["momentum"] as Double) in 0.5..0.99)
        }

        // a grid skips the inactive branch: adam alone, sgd with 2 momentum values
        val g = study {
            sampler = grid(pointsPerFloat = 2)
            space { optimizer(choice("adam", "sgd")); onlyWhen("optimizer", "sgd") { momentum(uniform(0.5, 0.9)) } }
        }
        g.optimize { trial -> if (trial.has("momentum")) trial.momentum else 0.0 }
        assertEquals(listOf(mapOf("optimizer" to "adam"), mapOf("optimizer" to "sgd", "momentum" to 0.5), mapOf("optimizer" to "sgd", "momentum" to 0.9)),
            g.trials.map { it.params() })
    }

    @Test
    fun gridCoversEveryPointOnceWithLogSpacedFloats() {
        val s = study {
            direction = maximize
            sampler = grid(pointsPerFloat = 3)
            space { lr(logUniform(1e-4, 1e-2)); batchSize(choice(32, 64)) }
        }
        s.optimize(trials = 100) { trial -> -abs(log10(trial.lr) + 3) + trial.batchSize / 1000.0 }
        assertEquals(6, s.trials.size, "the grid ends the study")
        val lrs = s.trials.map { it.params()["lr"] as Double }.distinct()
        assertEquals(3, lrs.size)
        for ((got, want) in lrs.zip(listOf(1e-4, 1e-3, 1e-2))) assertEquals(want, got, want * 1e-12)
        assertEquals(mapOf("lr" to lrs[1], "batchSize" to 64), s.bestParams)

        val explicit = study { sampler = grid("a" to listOf(1, 2), "b" to listOf("x", "y", "z")); space { "a"(choice(1, 2)); "b"(choice("x", "y", "z")) } }
        explicit.optimize { trial -> trial.int("a") }
        assertEquals(listOf("x", "y", "z", "x", "y", "z"), explicit.trials.map { it.params()["b"] })
    }

    @Test
    fun parallelRandomStudyEqualsSequentialOneAndResumesFromItsFile(@TempDir dir: Path) {
        fun run(workers: Int, file: Path?): TuningStudy {
            val s = study {
                sampler = random(seed = 11); pruner = none(); trials = 12; this.workers = workers
                storage = file
                space { lr(logUniform(1e-5, 1.0)); dropout(uniform(0.0, 0.5, 0.1)) }
            }
            return s.optimize { trial -> (log10(trial.lr) + 3).let { it * it } + trial.dropout }
        }
        val seq = run(1, null)
        val par = run(2, null)
        assertEquals(seq.trials.map { it.params() }, par.trials.map { it.params() })
        assertEquals(seq.trials.map { it.value() }, par.trials.map { it.value() })
        for (t in seq.trials) (t.params()["dropout"] as Double).let { assertEquals(Math.round(it * 10) / 10.0, it, 1e-12) }

        val file = dir.resolve("s.jsonl")
        val first = study { sampler = random(seed = 11); space { lr(logUniform(1e-5, 1.0)) }; storage(file.toString()) }
        first.optimize(trials = 4) { it.lr }
        val resumed = study { sampler = random(seed = 11); space { lr(logUniform(1e-5, 1.0)) }; storage = file }
        assertEquals(4, resumed.trials.size)
        resumed.optimize(trials = 2) { it.lr }
        assertEquals((0 until 6).toList(), resumed.trials.map { it.number() })
        val straight = study { sampler = random(seed = 11); space { lr(logUniform(1e-5, 1.0)) } }.optimize(trials = 6) { it.lr }
        assertEquals(straight.trials.map { it.params() }, resumed.trials.map { it.params() })
    }

    @Test
    fun failingTrialsAreRecordedAndTheStudyGoesOn() {
        val s = study { sampler = random(seed = 2); space { "x"(uniform(0.0, 1.0)) } }
        s.optimize(trials = 6) { trial -> if (trial.number % 2 == 0) error("boom ${trial.number}") else trial.double("x") }
        assertEquals(listOf(TrialState.FAIL, TrialState.COMPLETE, TrialState.FAIL, TrialState.COMPLETE, TrialState.FAIL, TrialState.COMPLETE),
            s.trials.map { it.state() })
        assertTrue(s.trials[0].error()!!.contains("boom 0"))
    }

    @Test
    fun badInputGivesClearErrors() {
        val noLr = study { sampler = random(seed = 1); space { dropout(uniform(0.0, 0.5)) } }
        noLr.optimize(trials = 1) { trial ->
            val e = assertThrows<IllegalArgumentException> { trial.lr }
            assertTrue(e.message!!.contains("no parameter 'lr'") && e.message!!.contains("dropout"), e.message)
            val f = assertThrows<IllegalArgumentException> { trial.int("dropout") }
            assertTrue(f.message!!.contains("not an integer"), f.message)
            0.0
        }
        assertEquals(TrialState.COMPLETE, noLr.trials.single().state())

        val dup = assertThrows<IllegalArgumentException> { study { space { lr(uniform(0.0, 1.0)); lr(uniform(0.0, 1.0)) } } }
        assertTrue(dup.message!!.contains("'lr' is declared twice"), dup.message)
        val parent = assertThrows<IllegalArgumentException> { study { space { onlyWhen("optimizer", "sgd") { momentum(uniform(0.0, 1.0)) } } } }
        assertTrue(parent.message!!.contains("needs 'optimizer' declared before it"), parent.message)
        val value = assertThrows<IllegalArgumentException> {
            study { space { optimizer(choice("adam", "sgd")); onlyWhen("optimizer", "rmsprop") { momentum(uniform(0.0, 1.0)) } } }
        }
        assertTrue(value.message!!.contains("rmsprop is not a value"), value.message)
        val log = assertThrows<IllegalArgumentException> { study { space { lr(logUniform(0.0, 1.0)) } } }
        assertTrue(log.message!!.contains("log needs low > 0"), log.message)
        val unbounded = assertThrows<IllegalArgumentException> { study { space { lr(uniform(0.0, 1.0)) } }.optimize { 0.0 } }
        assertTrue(unbounded.message!!.contains("would never stop"), unbounded.message)
        val floats = assertThrows<IllegalArgumentException> { study { sampler = grid(pointsPerFloat = 0) } }
        assertTrue(floats.message!!.contains("pointsPerFloat must be at least 1"), floats.message)
        val twice = assertThrows<IllegalStateException> { study { space { }; space { } } }
        assertTrue(twice.message!!.contains("space { } is given twice"), twice.message)
    }

    @Test
    fun pruneWithStopsAFitThroughThePruner() {
        val data = blobs(150, 1)
        val s = study {
            direction = maximize
            sampler = grid("lr" to listOf(0.05, 1e-7))
            pruner = median(startupTrials = 1)
            space { lr(choice(0.05, 1e-7)) }
        }
        val epochsRun = ArrayList<Int>()
        s.optimize { trial ->
            val model = sequential(seed = 4) { linear(4, 16); relu(); linear(3) }
            var epochs = 0
            val result = try {
                fit(model, loader(data) { batchSize = 16; shuffle = true; seed = 3 }, loader(data) { batchSize = 150 }) {
                    this.epochs = 4
                    optimizer = adam(lr = trial.lr)
                    progress = false
                    callbacks += object : dev.anneal.train.Callback {
                        override fun onEpochEnd(ctx: dev.anneal.train.TrainingContext, epoch: Int, logs: MutableMap<String, Double>) {
                            epochs++
                        }
                    }
                    pruneWith(trial, "val_accuracy")
                }
            } finally {
                epochsRun += epochs
            }
            result.history().last("val_accuracy")
        }
        assertEquals(listOf(TrialState.COMPLETE, TrialState.PRUNED), s.trials.map { it.state() })
        assertEquals(4, epochsRun[0])
        assertTrue(epochsRun[1] < 4, "pruned trial ran ${epochsRun[1]} epochs")
        val good = s.trials[0].intermediateValues()
        val bad = s.trials[1].intermediateValues()
        assertTrue(bad[bad.lastKey()]!! < good[bad.lastKey()]!!)
        assertFalse(s.trials[0].intermediateValues().isEmpty())

        // with one epoch there is nothing left to save: the poor trial is reported but completes
        val once = study {
            direction = maximize; sampler = grid("lr" to listOf(0.05, 1e-7)); pruner = median(startupTrials = 1)
            space { lr(choice(0.05, 1e-7)) }
        }
        once.optimize { trial ->
            val model = sequential(seed = 4) { linear(4, 16); relu(); linear(3) }
            fit(model, loader(data) { batchSize = 16 }, loader(data) { batchSize = 150 }) {
                epochs = 1; optimizer = adam(lr = trial.lr); progress = false; pruneWith(trial)
            }.history().last("val_accuracy")
        }
        assertEquals(listOf(TrialState.COMPLETE, TrialState.COMPLETE), once.trials.map { it.state() })
        assertTrue(once.trials[1].value() < once.trials[0].value())
        assertEquals(once.trials[1].value(), once.trials[1].intermediateValues()[0])
    }

    @Test
    fun samplersAndPrunersAreTheConfiguredRuntimeOnes() {
        val tpe = study { sampler = tpe(seed = 4, startupTrials = 3, multivariate = true, gamma = { n -> minOf(n, 2) }); pruner = hyperband(maxResource = 9) }
        assertEquals("TPESampler(seed=4, nStartupTrials=3, nEiCandidates=24, priorWeight=1.0, magicClip=true, endpoints=false, multivariate=true)",
            tpe.study.sampler().describe())
        assertEquals(3, (tpe.study.pruner() as dev.anneal.tune.HyperbandPruner).numBrackets())
        assertTrue(study { pruner = successiveHalving(minResource = 1) }.study.pruner() is dev.anneal.tune.SuccessiveHalvingPruner)
        assertTrue(study { pruner = percentile(25.0) }.study.pruner().describe().contains("25"))
        assertTrue(study { pruner = none() }.study.pruner() is dev.anneal.tune.NopPruner)
        assertEquals("RandomSampler(seed=8)", study { sampler = random(seed = 8) }.study.sampler().describe())
        assertEquals("GridSampler(6 points)", study { sampler = grid(); space { lr(uniform(0.0, 1.0)); batchSize(choice(1, 2)) } }.study.sampler().describe())
    }

    @Test
    fun aTimeoutEndsAnOtherwiseUnboundedStudy() {
        val s = study { sampler = random(seed = 1); timeout = java.time.Duration.ofMillis(200); space { lr(logUniform(1e-4, 1e-1)) } }
        s.optimize { trial -> Thread.sleep(20); trial.lr }
        assertTrue(s.trials.isNotEmpty() && s.trials.all { it.state() == TrialState.COMPLETE }, "${s.trials.size} trials")
    }
}
