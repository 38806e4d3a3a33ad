package dev.anneal.jupyter

import dev.anneal.autograd.Tensor
import java.util.Locale

/** An HTML table for a matrix small enough to read at a glance. */
object TensorTable {
    private const val MAX_CELLS = 400

    fun fits(t: Tensor): Boolean = t.rank() in 1..2 && t.numel() in 1..MAX_CELLS

    fun html(t: Tensor): String {
        val rows = if (t.rank() == 1) 1 else t.size(0)
        val cols = t.size(-1)
        val v = t.toArray()
        val sb = StringBuilder()
        sb.append("<table class=\"anneal-tensor\"><caption>Tensor ")
            .append(t.shape().joinToString(prefix = "[", postfix = "]"))
        t.gradFnName()?.let { sb.append(" · grad_fn=").append(it) }
        sb.append("</caption>")
        for (r in 0 until rows) {
            sb.append("<tr>")
            for (c in 0 until cols) sb.append("<td>").append(String.format(Locale.ROOT, "%.4f", v[r * cols + c])).append("</td>")
            sb.append("</tr>")
        }
        return sb.append("</table>").toString()
    }
}
