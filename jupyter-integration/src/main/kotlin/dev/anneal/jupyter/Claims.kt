package dev.anneal.jupyter

/**
 * The line notebooks/run checks in every chapter: `CLAIM <name>: PASS <details>` or `... FAIL ...`.
 * A chapter prints at least one; the runner fails the notebook on a FAIL or when none is printed.
 */
fun claim(name: String, holds: Boolean, details: String): String {
    require(name.isNotBlank() && ':' !in name && '\n' !in name) { "claim: the name must be non-blank, one line, without ':', got '$name'" }
    return "CLAIM $name: ${if (holds) "PASS" else "FAIL"} ${details.replace('\n', ' ')}"
}
