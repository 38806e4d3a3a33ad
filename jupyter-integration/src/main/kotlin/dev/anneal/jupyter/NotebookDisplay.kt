package dev.anneal.jupyter

import org.jetbrains.kotlinx.jupyter.api.KotlinKernelHost

/**
 * The kernel's display channel as seen from library code (a callback running inside a cell holds no
 * reference to the cell's script). [AnnealIntegration] binds it to the cells' handle provider (the
 * kernel's REPL), which hands out the host of whatever cell is executing; null outside a notebook.
 * (The host given to integration callbacks in kernel 0.11.0-398 drops displays, hence this route.)
 */
object NotebookDisplay {
    @Volatile
    private var provider: Any? = null

    /** Binds to a cell script's `userHandlesProvider`. */
    @JvmStatic
    fun bind(userHandlesProvider: Any) {
        provider = userHandlesProvider
    }

    /** Binds to the provider of a cell script instance, if it has one. */
    internal fun bindFromSnippet(snippet: Any?) {
        if (provider != null || snippet == null) return
        runCatching { snippet.javaClass.getMethod("getUserHandlesProvider").invoke(snippet) }.getOrNull()?.let { bind(it) }
    }

    private fun host(): KotlinKernelHost? {
        val p = provider ?: return null
        return runCatching { p.javaClass.getMethod("getHost").invoke(p) as KotlinKernelHost? }.getOrNull()
    }

    /** True when running inside a notebook kernel that loaded anneal. */
    val available: Boolean get() = host() != null

    /** Shows value as a new output that later [update] calls with the same id replace. */
    fun show(value: Any, id: String) {
        host()?.display(value, id)
    }

    /** Replaces the output shown under id. */
    fun update(value: Any, id: String) {
        host()?.updateDisplay(value, id)
    }
}
