package dev.anneal.dsl

import dev.anneal.autograd.Tensor
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class TensorOperatorsTest {
    private val a = tensor(listOf(listOf(1f, 2f), listOf(3f, 4f)))
    private val b = tensor(floatArrayOf(10f, 20f, 30f, 40f), 2, 2)

    @Test
    fun arithmeticOperatorsMatchTheRuntimeOps() {
        assertArrayEquals(floatArrayOf(11f, 22f, 33f, 44f), (a + b).toArray())
        assertArrayEquals(floatArrayOf(-9f, -18f, -27f, -36f), (a - b).toArray())
        assertArrayEquals(floatArrayOf(10f, 40f, 90f, 160f), (a * b).toArray())
        assertArrayEquals(floatArrayOf(10f, 10f, 10f, 10f), (b / a).toArray())
        assertArrayEquals(floatArrayOf(-1f, -2f, -3f, -4f), (-a).toArray())
        assertArrayEquals(floatArrayOf(2f, 4f, 6f, 8f), (a * 2f).toArray())
        assertArrayEquals(floatArrayOf(0f, -1f, -2f, -3f), (1f - a).toArray())
        assertArrayEquals(floatArrayOf(12f, 6f, 4f, 3f), (12f / a).toArray(), 1e-6f)
    }

    @Test
    fun matmulAndIndexing() {
        // [[1,2],[3,4]] @ [[10,20],[30,40]] = [[70,100],[150,220]]
        assertArrayEquals(floatArrayOf(70f, 100f, 150f, 220f), (a matmul b).toArray())
        assertEquals(3f, a[1, 0].item())
        assertArrayEquals(floatArrayOf(3f, 4f), a[1].toArray())
        assertEquals(listOf(2, 2), a.dims)
        val c = a.clone()
        c[0, 1] = 9f
        assertEquals(9f, c.item(0, 1))
        assertEquals(2f, a.item(0, 1))
    }

    @Test
    fun doubleAndIntOperandsRangesAndMathFunctions() {
        assertArrayEquals(floatArrayOf(0.5f, 1f, 1.5f, 2f), (0.5 * a).toArray())
        assertArrayEquals(floatArrayOf(2f, 4f, 6f, 8f), (a * 2).toArray())
        assertArrayEquals(floatArrayOf(0f, 1f, 2f, 3f), (a - 1.0).toArray())
        assertArrayEquals(floatArrayOf(0.5f, 1f, 1.5f, 2f), (a / 2).toArray())
        assertArrayEquals(floatArrayOf(1f, 0f, -1f, -2f), (2.0 - a).toArray())
        assertArrayEquals(floatArrayOf(3f, 4f), a[1 until 2].toArray())
        assertEquals(listOf(1, 2), a[1 until 2].dims)
        assertArrayEquals(floatArrayOf(-1f, 0f, 1f), sign(tensor(-3f, 0f, 2f)).toArray())
        assertArrayEquals(floatArrayOf(1f, 2f), sqrt(tensor(1f, 4f)).toArray())
        assertArrayEquals(floatArrayOf(3f, 0f), abs(tensor(-3f, 0f)).toArray())
    }

    @Test
    fun noGradTurnsRecordingOff() {
        val w = tensor(1f, 2f).requiresGrad(true)
        val y = noGrad { w * 3f }
        assertFalse(y.requiresGrad())
        val z = (w * w).sum()
        z.backward()
        assertArrayEquals(floatArrayOf(2f, 4f), w.grad().toArray())
    }

    @Test
    fun raggedRowsAreRejected() {
        val e = assertThrows<IllegalArgumentException> { tensor(listOf(listOf(1f, 2f), listOf(3f))) }
        assertEquals("tensor: row 1 has 1 values, expected 2 like row 0", e.message)
    }

    @Test
    fun classesCarryMetadataTheNotebookKernelCanRead() {
        // the Kotlin kernel's embedded compiler reads kotlin.Metadata up to 2.0
        val mv = Class.forName("dev.anneal.dsl.TensorOperatorsKt").getAnnotation(Metadata::class.java).metadataVersion
        assertEquals(2, mv[0], "metadata major version ${mv.toList()}")
        assertEquals(0, mv[1], "metadata minor version ${mv.toList()}")
    }
}
