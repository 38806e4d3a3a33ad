package dev.anneal.jupyter

import dev.anneal.nn.Linear
import dev.anneal.nn.Module
import java.util.Locale

/**
 * A model as an HTML table: each leaf layer, its output shape for one example (when the input shape
 * is given, or can be read off a leading Linear layer, see [guessInput]), and its parameter count.
 */
object ModelSummary {
    fun html(model: Module, vararg inputShape: Int): String {
        val shape = if (inputShape.isNotEmpty()) inputShape else guessInput(model)
        val rows = shape?.let { runCatching { fromSummary(model.summary(*it)) }.getOrNull() } ?: plainRows(model)
        val sb = StringBuilder("<table class=\"anneal-model\"><caption>").append(escape(model.javaClass.simpleName))
        if (shape != null && rows.any { it[2] != "-" }) sb.append(" · input ").append(shape.joinToString(", ", "[", "]"))
        sb.append("</caption><tr><th>name</th><th>layer</th><th>output shape</th><th>params</th></tr>")
        for (r in rows) sb.append("<tr>").append(r.joinToString("") { "<td>${escape(it)}</td>" }).append("</tr>")
        sb.append(String.format(Locale.ROOT, "<tr><td colspan=\"3\"><b>total</b> (trainable %,d)</td><td><b>%,d</b></td></tr>",
            model.parameterCount(true), model.parameterCount(false)))
        return sb.append("</table>").toString()
    }

    /**
     * One example's shape when the first layer with parameters is Linear (its in-features; the
     * parameter-free layers before it, such as Flatten, keep [1, n] as it is); null otherwise.
     */
    private fun guessInput(model: Module): IntArray? {
        val first = leaves(model).map { it.value }.firstOrNull { it.namedParameters().isNotEmpty() } ?: return null
        return if (first is Linear) intArrayOf(1, first.inFeatures()) else null
    }

    private fun leaves(model: Module) = model.namedModules().entries.filter { it.value.namedChildren().isEmpty() }

    private fun plainRows(model: Module): List<Array<String>> = leaves(model).map { (name, m) ->
        arrayOf(name, m.toString(), "-", String.format(Locale.ROOT, "%,d", m.namedParameters().values.sumOf { it.numel().toLong() }))
    }

    /** Rows of Module.summary's fixed-width text (columns found from the header's positions). */
    private fun fromSummary(text: String): List<Array<String>> {
        val lines = text.lines()
        val header = lines[0]
        val layerAt = header.indexOf("layer")
        val shapeAt = header.indexOf("output shape")
        val rows = mutableListOf<Array<String>>()
        for (line in lines.drop(2)) {
            if (line.startsWith("---")) break
            val rest = line.substring(shapeAt).trim()
            val params = rest.substringAfterLast(' ')
            rows += arrayOf(line.substring(0, layerAt).trim(), line.substring(layerAt, shapeAt).trim(),
                rest.substringBeforeLast(' ', "").trim().ifEmpty { "-" }, params)
        }
        return rows
    }

    private fun escape(s: String) = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
}
