package dev.anneal.jupyter

import dev.anneal.autograd.Tensor
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class TensorTableTest {
    @Test
    fun smallMatrixBecomesATable() {
        val t = Tensor.of(floatArrayOf(1f, 2.5f, -3f, 4f), 2, 2)
        assertEquals(
            "<table class=\"anneal-tensor\"><caption>Tensor [2, 2]</caption>" +
                "<tr><td>1.0000</td><td>2.5000</td></tr><tr><td>-3.0000</td><td>4.0000</td></tr></table>",
            TensorTable.html(t),
        )
    }

    @Test
    fun onlySmallMatricesAndVectorsFit() {
        assertTrue(TensorTable.fits(Tensor.zeros(20, 20)))
        assertFalse(TensorTable.fits(Tensor.zeros(21, 20)))
        assertFalse(TensorTable.fits(Tensor.zeros(2, 2, 2)))
        assertFalse(TensorTable.fits(Tensor.scalar(1f)))
    }

    @Test
    fun descriptorNamesTheIntegrationClass() {
        val json = javaClass.getResource("/META-INF/kotlin-jupyter-libraries/libraries.json")!!.readText()
        assertTrue(json.contains("\"fqn\":\"dev.anneal.jupyter.AnnealIntegration\""), json)
        // the class must load and carry metadata the kernel (Kotlin 1.8.20 reader, up to 2.0) accepts
        val mv = Class.forName("dev.anneal.jupyter.AnnealIntegration").getAnnotation(Metadata::class.java).metadataVersion
        assertEquals(listOf(2, 0), mv.take(2))
    }
}
