package dev.anneal.jupyter

import dev.anneal.autograd.Tensor
import org.jetbrains.kotlinx.jupyter.api.HTML
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration

/**
 * Loaded by the Kotlin kernel when a cell depends on anneal's jar: brings the packages into scope
 * and shows small matrices as tables (everything else prints as text).
 */
class AnnealIntegration : JupyterIntegration() {
    override fun Builder.onLoaded() {
        import("dev.anneal.autograd.*", "dev.anneal.tensor.*", "dev.anneal.kernels.Parallel", "dev.anneal.dsl.*")
        render<Tensor> { t -> if (TensorTable.fits(t)) HTML(TensorTable.html(t)) else t.toString() }
    }
}
