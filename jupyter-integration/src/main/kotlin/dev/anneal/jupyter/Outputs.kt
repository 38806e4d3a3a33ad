package dev.anneal.jupyter

import dev.anneal.plot.TrainingCurves
import org.jetbrains.kotlinx.jupyter.api.MimeTypedResult
import org.jetbrains.letsPlot.Figure

/** A lets-plot figure as an `image/svg+xml` output: renders offline and stays in the saved notebook. */
fun svg(figure: Figure, caption: String = "plot"): MimeTypedResult = svg(TrainingCurves.svg(figure), caption)

/** SVG markup as an `image/svg+xml` output. */
fun svg(markup: String, caption: String = "plot"): MimeTypedResult =
    MimeTypedResult(mapOf("image/svg+xml" to markup, "text/plain" to caption))
