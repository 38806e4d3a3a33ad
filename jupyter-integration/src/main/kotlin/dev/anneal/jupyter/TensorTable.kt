package dev.anneal.jupyter

import dev.anneal.autograd.Tensor
import dev.anneal.tensor.Shape
import java.util.Locale
import kotlin.math.sqrt

/** HTML views of a tensor: every value for a small matrix, shape, statistics and first values otherwise. */
object TensorTable {
    private const val MAX_CELLS = 400
    private const val HEAD = 10

    fun fits(t: Tensor): Boolean = t.rank() in 1..2 && t.numel() in 1..MAX_CELLS

    /** The table for a small tensor, the overview for anything else. */
    fun render(t: Tensor): String = if (fits(t)) html(t) else overview(t)

    fun html(t: Tensor): String {
        val rows = if (t.rank() == 1) 1 else t.size(0)
        val cols = t.size(-1)
        val v = t.toArray()
        val sb = StringBuilder()
        sb.append("<table class=\"anneal-tensor\"><caption>").append(caption(t)).append("</caption>")
        for (r in 0 until rows) {
            sb.append("<tr>")
            for (c in 0 until cols) sb.append("<td>").append(num(v[r * cols + c])).append("</td>")
            sb.append("</tr>")
        }
        return sb.append("</table>").toString()
    }

    /** Shape, min/max/mean/std (population), and the first rows (or values) of a large or high-rank tensor. */
    fun overview(t: Tensor): String {
        val v = t.toArray()
        val sb = StringBuilder("<div class=\"anneal-tensor\"><b>").append(caption(t)).append("</b>")
        if (v.isEmpty()) return sb.append(" (empty)</div>").toString()
        var min = Float.POSITIVE_INFINITY
        var max = Float.NEGATIVE_INFINITY
        var sum = 0.0
        var nan = 0
        for (x in v) {
            if (x.isNaN()) { nan++; continue }
            if (x < min) min = x
            if (x > max) max = x
            sum += x
        }
        val n = v.size - nan
        val mean = if (n == 0) Double.NaN else sum / n
        var sq = 0.0
        for (x in v) if (!x.isNaN()) sq += (x - mean) * (x - mean)
        val std = if (n == 0) Double.NaN else sqrt(sq / n)
        sb.append("<table><tr><th>numel</th><th>min</th><th>max</th><th>mean</th><th>std</th>")
        if (nan > 0) sb.append("<th>NaN</th>")
        sb.append("</tr><tr><td>").append(v.size).append("</td><td>").append(num(min)).append("</td><td>").append(num(max))
            .append("</td><td>").append(num(mean)).append("</td><td>").append(num(std)).append("</td>")
        if (nan > 0) sb.append("<td>").append(nan).append("</td>")
        sb.append("</tr></table>")
        // Head: the first rows of the last dimension, at most HEAD of them and HEAD values each.
        val cols = if (t.rank() == 0) 1 else t.size(-1)
        val rows = v.size / cols
        sb.append("<table><caption>first values</caption>")
        for (r in 0 until minOf(rows, HEAD)) {
            sb.append("<tr>")
            for (c in 0 until minOf(cols, HEAD)) sb.append("<td>").append(num(v[r * cols + c])).append("</td>")
            if (cols > HEAD) sb.append("<td>…</td>")
            sb.append("</tr>")
        }
        if (rows > HEAD) sb.append("<tr><td>…</td></tr>")
        return sb.append("</table></div>").toString()
    }

    private fun caption(t: Tensor): String {
        val s = StringBuilder("Tensor ").append(Shape.str(t.shape()))
        t.gradFnName()?.let { s.append(" · grad_fn=").append(it) }
        if (t.requiresGrad() && t.gradFnName() == null) s.append(" · requires_grad")
        return s.toString()
    }

    private fun num(x: Number): String = String.format(Locale.ROOT, "%.4f", x.toDouble())
}
