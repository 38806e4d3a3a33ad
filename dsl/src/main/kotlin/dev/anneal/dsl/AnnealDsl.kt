package dev.anneal.dsl

/** Marks anneal's builder scopes so that an inner block cannot call an outer block's builders by accident. */
@DslMarker
annotation class AnnealDsl
