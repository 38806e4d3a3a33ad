package dev.anneal.jupyter

import dev.anneal.autograd.Tensor
import dev.anneal.dsl.TuningStudy
import dev.anneal.nn.Module
import dev.anneal.plot.StudyPlots
import dev.anneal.plot.TrainingCurves
import dev.anneal.train.History
import dev.anneal.train.Trainer
import dev.anneal.tune.Study
import org.jetbrains.kotlinx.jupyter.api.HTML
import org.jetbrains.kotlinx.jupyter.api.MimeTypedResult
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration

/**
 * Loaded by the Kotlin kernel when a cell depends on anneal's jar: brings the packages into scope,
 * shows tensors, models and training histories as tables and plots, and gives library code (the
 * live-curves callback) the kernel's display channel.
 */
class AnnealIntegration : JupyterIntegration() {
    override fun Builder.onLoaded() {
        // Every user-facing package; kernels only through Parallel (its class names, e.g. Softmax, would
        // clash with the layers').
        import(
            "dev.anneal.tensor.*", "dev.anneal.kernels.Parallel", "dev.anneal.autograd.*",
            "dev.anneal.nn.*", "dev.anneal.nn.loss.*", "dev.anneal.nn.init.*",
            "dev.anneal.optim.*", "dev.anneal.optim.schedule.*",
            "dev.anneal.data.*", "dev.anneal.data.transform.*",
            "dev.anneal.train.*", "dev.anneal.train.callback.*", "dev.anneal.train.checkpoint.*",
            // tune's and tune.compress's class names (Study, Trial, Pruning, ...) clash with none of the packages above
            "dev.anneal.tune.*", "dev.anneal.tune.compress.*",
            "dev.anneal.dsl.*", "dev.anneal.jupyter.*", "dev.anneal.plot.TrainingCurves",
            "dev.anneal.plot.StudyPlots", "dev.anneal.plot.ParameterImportance",
            "org.jetbrains.letsPlot.*", "org.jetbrains.letsPlot.geom.*", "org.jetbrains.letsPlot.label.*",
            "org.jetbrains.letsPlot.scale.*",
        )
        afterCellExecution { snippetInstance, _ -> NotebookDisplay.bindFromSnippet(snippetInstance) }
        render<Tensor> { HTML(TensorTable.render(it)) }
        render<Module> { HTML(ModelSummary.html(it)) }
        render<History> { curves(it) }
        render<Trainer.Result> { curves(it.history()) }
        render<Study> { study(it) }
        render<TuningStudy> { study(it.study) }
    }

    companion object {
        /** A study as HTML (summary, history and importance plots, trials table); plain text fallback: the summary. */
        fun study(s: Study): MimeTypedResult = MimeTypedResult(mapOf(
            "text/html" to StudyPlots.html(s),
            "text/plain" to "Study '${s.name()}': ${s.trials().size} trials",
        ))

        /** A history's curves as an SVG output (plain text fallback: the last epoch's metrics). */
        fun curves(h: History, title: String = ""): MimeTypedResult = svg(
            TrainingCurves.figure(h, title),
            h.epochMetrics().joinToString(", ", "History(${h.epochCount()} epochs: ", ")") { "$it=${h.last(it)}" },
        )
    }
}
