package dev.anneal.dsl

import dev.anneal.autograd.GradMode
import dev.anneal.autograd.Tensor

// Kotlin operators over the Java tensor API; each one calls exactly one runtime op.
// (`a / b` and `a / 2f` need nothing here: Kotlin uses Tensor.div directly.)

operator fun Tensor.plus(other: Tensor): Tensor = add(other)
operator fun Tensor.minus(other: Tensor): Tensor = sub(other)
operator fun Tensor.times(other: Tensor): Tensor = mul(other)
operator fun Tensor.unaryMinus(): Tensor = neg()

operator fun Tensor.plus(s: Float): Tensor = add(s)
operator fun Tensor.minus(s: Float): Tensor = sub(s)
operator fun Tensor.times(s: Float): Tensor = mul(s)
operator fun Float.plus(t: Tensor): Tensor = t.add(this)
operator fun Float.minus(t: Tensor): Tensor = t.rsub(this)
operator fun Float.times(t: Tensor): Tensor = t.mul(this)
operator fun Float.div(t: Tensor): Tensor = t.rdiv(this)

/** `a matmul b` reads like `a @ b`. */
infix fun Tensor.matmul(other: Tensor): Tensor = this.matmul(other)

/** `t[i]` selects along dim 0 (a view); `t[i, j]` keeps selecting along the following dims. */
operator fun Tensor.get(vararg index: Int): Tensor {
    var t = this
    for (i in index) t = t.select(0, i)
    return t
}

/** `t[i, j] = v` for a full index. */
operator fun Tensor.set(vararg index: Int, value: Float) {
    set(value, *index)
}

/** Shape as a Kotlin list, handy in notebooks: `t.dims == listOf(2, 3)`. */
val Tensor.dims: List<Int> get() = shape().toList()

/** A tensor from nested Kotlin lists or a flat array: `tensor(1f, 2f, 3f)`. */
fun tensor(vararg values: Float): Tensor = Tensor.vector(*values)

/** A tensor of the given shape from a flat array of values. */
fun tensor(values: FloatArray, vararg shape: Int): Tensor = Tensor.of(values, *shape)

/** A 2-D tensor from rows of equal length. */
fun tensor(rows: List<List<Float>>): Tensor {
    require(rows.isNotEmpty()) { "tensor: expected at least one row" }
    val width = rows[0].size
    rows.forEachIndexed { i, r ->
        require(r.size == width) { "tensor: row $i has ${r.size} values, expected $width like row 0" }
    }
    return Tensor.of(rows.flatten().toFloatArray(), rows.size, width)
}

/** Runs block with autograd recording off. */
inline fun <T> noGrad(block: () -> T): T = GradMode.noGrad().use { block() }

// Double and Int operands, so `lr * g` works with a Double option; converted to float like PyTorch's float32 math.
operator fun Tensor.plus(s: Double): Tensor = add(s.toFloat())
operator fun Tensor.minus(s: Double): Tensor = sub(s.toFloat())
operator fun Tensor.times(s: Double): Tensor = mul(s.toFloat())
operator fun Tensor.div(s: Double): Tensor = div(s.toFloat())
operator fun Double.plus(t: Tensor): Tensor = t.add(toFloat())
operator fun Double.minus(t: Tensor): Tensor = t.rsub(toFloat())
operator fun Double.times(t: Tensor): Tensor = t.mul(toFloat())
operator fun Double.div(t: Tensor): Tensor = t.rdiv(toFloat())
operator fun Tensor.plus(s: Int): Tensor = add(s.toFloat())
operator fun Tensor.minus(s: Int): Tensor = sub(s.toFloat())
operator fun Tensor.times(s: Int): Tensor = mul(s.toFloat())
operator fun Tensor.div(s: Int): Tensor = div(s.toFloat())
operator fun Int.times(t: Tensor): Tensor = t.mul(toFloat())

/** `t[a until b]` slices dim 0 (a view). */
operator fun Tensor.get(range: IntRange): Tensor = slice(0, range.first, range.last + 1)

// Elementwise functions in math notation: `sign(g)`, `sqrt(v)`.
fun sign(t: Tensor): Tensor = t.sign()
fun sqrt(t: Tensor): Tensor = t.sqrt()
fun abs(t: Tensor): Tensor = t.abs()
fun exp(t: Tensor): Tensor = t.exp()
fun ln(t: Tensor): Tensor = t.log()
