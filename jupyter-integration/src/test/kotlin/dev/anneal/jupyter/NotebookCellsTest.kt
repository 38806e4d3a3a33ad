package dev.anneal.jupyter

import org.jetbrains.kotlinx.jupyter.EvalRequestData
import org.jetbrains.kotlinx.jupyter.ReplForJupyter
import org.jetbrains.kotlinx.jupyter.api.MimeTypedResult
import org.jetbrains.kotlinx.jupyter.defaultRepositoriesCoordinates
import org.jetbrains.kotlinx.jupyter.libraries.EmptyResolutionInfoProvider
import org.jetbrains.kotlinx.jupyter.repl.creating.createRepl
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import java.io.File
import java.nio.file.Files
import kotlin.script.experimental.jvm.util.classpathFromClassloader

/**
 * Cells run in process through the real Kotlin kernel's REPL (0.11.0-398) with anneal on its
 * classpath: the integration is found, its imports work in cells, and values render as the MIME
 * bundles a notebook shows. The kernel's embedded Kotlin 1.8.20 compiler does not run on Java 25,
 * so on newer JDKs the tests are skipped (reported as such); notebooks run on JDK 17.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotebookCellsTest {
    private lateinit var repl: ReplForJupyter
    private lateinit var home: File

    private val supported = Runtime.version().feature() < 25

    @BeforeAll
    fun startRepl() {
        if (!supported) return
        home = Files.createTempDirectory("anneal-kernel-home").toFile()
        // Cells compile against the kernel's stdlib (1.8.20, copied by the build), not the test's 2.4.
        val kernelStdlib = File(System.getProperty("anneal.kernelStdlib", "target/kernel-stdlib")).listFiles()!!.toList()
        val cp = classpathFromClassloader(javaClass.classLoader)!!.filterNot { it.name.matches(KOTLIN_RUNTIME) } + kernelStdlib
        repl = createRepl(EmptyResolutionInfoProvider, cp, home, defaultRepositoriesCoordinates)
        // Scan the REPL's own class loader (as @file:DependsOn does), so that the integration's renderers
        // see the same Tensor class as the cells.
        repl.eval { repl.librariesScanner.addLibrariesFromClassLoader(lastClassLoader, this, repl.notebook) }
    }

    /** Each test is reported as skipped (with the reason) where the kernel cannot run. */
    @BeforeEach
    fun kernelRunsOnThisJdk() {
        assumeTrue(supported, "the kernel's Kotlin 1.8.20 compiler does not run on Java ${Runtime.version().feature()}; notebooks run on JDK 17")
    }

    @AfterAll
    fun cleanUp() {
        if (::home.isInitialized) home.deleteRecursively()
    }

    private companion object {
        val KOTLIN_RUNTIME = Regex("kotlin-(stdlib|reflect|script-runtime)(-\\w+)?-[0-9].*\\.jar")
    }

    private fun rendered(code: String): Any? = repl.evalEx(EvalRequestData(code)).renderedValue

    private fun bundle(code: String): Map<String, Any?> {
        val v = rendered(code)
        assertTrue(v is MimeTypedResult, "expected a MIME bundle from `$code`, got ${v?.javaClass}: $v")
        return v as MimeTypedResult
    }

    @Test
    fun smallTensorRendersAsHtmlTable() {
        // Tensor, Generator and the dsl's tensor() come from the integration's imports.
        val html = bundle("tensor(listOf(listOf(1f, 2f), listOf(3f, 4.5f)))")["text/html"] as String
        assertEquals(
            "<table class=\"anneal-tensor\"><caption>Tensor [2, 2]</caption>" +
                "<tr><td>1.0000</td><td>2.0000</td></tr><tr><td>3.0000</td><td>4.5000</td></tr></table>",
            html,
        )
    }

    @Test
    fun largeTensorRendersShapeAndStatistics() {
        val html = bundle("Tensor.arange(0f, 1000f, 1f).reshape(10, 100)")["text/html"] as String
        assertTrue(html.startsWith("<div class=\"anneal-tensor\"><b>Tensor [10, 100]</b>"), html)
        // numel, min, max, mean, std (population) of 0..999
        assertTrue(html.contains("<td>1000</td><td>0.0000</td><td>999.0000</td><td>499.5000</td><td>288.6750</td>"), html)
    }

    @Test
    fun modelRendersLayerTable() {
        val html = bundle("Sequential(Flatten(), Linear(4, 3, Generator(1)), ReLU(), Linear(3, 2, Generator(2)))")["text/html"] as String
        // output shapes are known: the first layer with parameters is Linear(4, ...), so the input is [1, 4]
        assertTrue(html.contains("<td>1</td><td>Linear(in_features=4, out_features=3, bias=True)</td><td>[1, 3]</td><td>15</td>"), html)
        assertTrue(html.contains("<td>3</td><td>Linear(in_features=3, out_features=2, bias=True)</td><td>[1, 2]</td><td>8</td>"), html)
        assertTrue(html.contains("<b>23</b>"), html) // 4*3+3 + 3*2+2 parameters
    }

    @Test
    fun historyRendersAsSvgCurves() {
        val b = bundle(
            """
            val h = History()
            for (e in 1..3) { h.recordEpoch("loss", 1.0 / e); h.recordEpoch("val_loss", 1.2 / e) }
            h
            """.trimIndent(),
        )
        val svg = b["image/svg+xml"] as String
        assertTrue(svg.startsWith("<svg") && svg.trimEnd().endsWith("</svg>"), svg.take(200))
        assertTrue(svg.contains("val_loss"), "legend names the validation series")
        assertEquals("History(3 epochs: loss=0.3333333333333333, val_loss=0.39999999999999997)", b["text/plain"])
    }

    @Test
    fun claimLineHasTheRunnersFormat() {
        assertEquals("CLAIM a-b: PASS 2 > 1", rendered("claim(\"a-b\", 2 > 1, \"2 > 1\")"))
        assertEquals("CLAIM a-b: FAIL x", rendered("claim(\"a-b\", false, \"x\")"))
    }

    @Test
    fun studyRendersHistoryAndTrialsTable() {
        // study { } from the dsl, Direction from dev.anneal.tune.*: both imported by the integration
        val b = bundle(
            """
            val s = study { direction = maximize; sampler = random(seed = 1); pruner = none(); space { lr(logUniform(1e-4, 1e-1)) } }
            s.optimize(trials = 5) { trial -> -Math.abs(Math.log10(trial.lr) + 2.5) }
            check(s.direction == Direction.MAXIMIZE)
            s
            """.trimIndent(),
        )
        val html = b["text/html"] as String
        assertTrue(html.contains("Study 'study'") && html.contains("<svg"), html.take(300))
        assertEquals(6, Regex("<tr>").findAll(html).count(), "a header row and 5 trials")
        assertEquals("Study 'study': 5 trials", b["text/plain"])
    }
}
