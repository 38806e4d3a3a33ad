@file:JvmName("CustomOptimizers")

package dev.anneal.dsl

import dev.anneal.autograd.Tensor
import dev.anneal.nn.Module
import dev.anneal.optim.Hyperparameters
import dev.anneal.optim.ParamGroup
import dev.anneal.optim.ParamUpdate
import dev.anneal.optim.StatefulOptimizer
import kotlin.properties.ReadOnlyProperty
import kotlin.properties.ReadWriteProperty
import kotlin.reflect.KProperty

/**
 * Defines an optimizer on the runtime's extension API ([StatefulOptimizer]): options and per-parameter state are
 * declared by delegated properties (named after the property), the update rule is given for one parameter.
 * ```
 * val signSgd = optimizer("SignSGD") {
 *     val lr by hyper(0.01, min = 0.0)
 *     val momentum by hyper(0.9, min = 0.0, max = 1.0)
 *     val buf by state()                       // a tensor shaped like the parameter, zeros at first
 *     update { p, g -> buf *= momentum; buf += g; p -= lr * buf.sign() }
 * }
 * val opt = signSgd(model, "lr" to 0.05)
 * ```
 * The optimizer validates its options, keeps the state and step count, and saves/restores them with
 * stateDict/loadStateDict like the built-in ones (so fit, checkpoints and resuming work unchanged).
 */
fun optimizer(name: String, define: OptimizerDefinition.() -> Unit): CustomOptimizer {
    val d = OptimizerDefinition(name)
    d.define()
    return d.finish()
}

/** The declarations of a custom optimizer; see [optimizer]. */
@AnnealDsl
class OptimizerDefinition internal constructor(private val name: String) {
    private val spec: Hyperparameters = Hyperparameters.of(name)
    private val current = ThreadLocal<ParamUpdate>()
    private var rule: (UpdateScope.(Tensor, Tensor) -> Unit)? = null
    private var finished = false

    private fun now(what: String): ParamUpdate =
        current.get() ?: throw IllegalStateException("$name: $what is only available inside update { } while the optimizer steps")

    private fun open(what: String) = check(!finished) { "$name: $what must be declared in the optimizer(\"$name\") { } block" }

    /** A number option with its default and valid range [min, max] (max excluded unless maxInclusive). */
    fun hyper(
        default: Double,
        min: Double = Double.NEGATIVE_INFINITY,
        max: Double = Double.POSITIVE_INFINITY,
        maxInclusive: Boolean = true,
        name: String? = null,
    ) = Declaration { prop ->
        val key = name ?: prop
        open("option '$key'")
        spec.number(key, default, min, max, maxInclusive)
        ReadOnlyProperty<Any?, Double> { _, _ -> now("option '$key'").option(key) }
    }

    /** A boolean option. */
    fun flag(default: Boolean, name: String? = null) = Declaration { prop ->
        val key = name ?: prop
        open("flag '$key'")
        spec.flag(key, default)
        ReadOnlyProperty<Any?, Boolean> { _, _ -> now("flag '$key'").flag(key) }
    }

    /** A state tensor per parameter, shaped like it, filled with initial when first read. */
    fun state(initial: Float = 0f, name: String? = null) = Declaration { prop ->
        val key = name ?: prop
        open("state '$key'")
        ReadOnlyProperty<Any?, Tensor> { _, _ -> now("state '$key'").state(key, initial) }
    }

    /** A number kept per parameter (initial until set): `var count by scalar(0.0)`. */
    fun scalar(initial: Double = 0.0, name: String? = null) = Declaration { prop ->
        val key = name ?: prop
        open("scalar '$key'")
        object : ReadWriteProperty<Any?, Double> {
            override fun getValue(thisRef: Any?, property: KProperty<*>) = now("scalar '$key'").scalar(key, initial)
            override fun setValue(thisRef: Any?, property: KProperty<*>, value: Double) = now("scalar '$key'").setScalar(key, value)
        }
    }

    /** A rule across options every group must satisfy, e.g. `rule("beta2 must exceed beta1") { it["beta2"] as Double > ... }`. */
    fun rule(message: String, holds: (Map<String, Any>) -> Boolean) {
        open("a rule")
        spec.rule(message) { holds(it) }
    }

    /** The update of one parameter p (change it in place: `p -= ...`) from a private copy of its gradient g. */
    fun update(rule: UpdateScope.(p: Tensor, g: Tensor) -> Unit) {
        open("update { }")
        check(this.rule == null) { "$name: update { } is given twice" }
        this.rule = rule
    }

    internal fun finish(): CustomOptimizer {
        val r = rule ?: throw IllegalStateException("$name: the definition has no update { p, g -> ... } rule")
        finished = true
        return CustomOptimizer(spec, current, r)
    }

    /** Registers an option or state under the property's name when it is declared with `by`. */
    class Declaration<D> internal constructor(private val register: (String) -> D) {
        operator fun provideDelegate(thisRef: Any?, property: KProperty<*>): D = register(property.name)
    }
}

/** What an update rule can use besides its parameter and gradient: the step count and in-place operators. */
@AnnealDsl
class UpdateScope internal constructor(private val u: ParamUpdate) {
    /** Updates of this parameter so far, this one included (1 on the first): for bias corrections. */
    val step: Long get() = u.step()

    /** The parameter's position across groups. */
    val position: Int get() = u.position()

    /** Any option of the group by name. */
    fun option(name: String): Double = u.option(name)

    operator fun Tensor.plusAssign(other: Tensor) {
        addInPlace(other)
    }

    operator fun Tensor.minusAssign(other: Tensor) {
        addInPlace(other.neg())
    }

    operator fun Tensor.timesAssign(factor: Double) {
        mulInPlace(factor.toFloat())
    }

    operator fun Tensor.timesAssign(factor: Float) {
        mulInPlace(factor)
    }

    /** Overwrites this state tensor or parameter with value. */
    infix fun Tensor.assign(value: Tensor) {
        copyFrom(value)
    }
}

/** A defined optimizer: call it on parameters or a model, with options as `"lr" to 0.1`, to get a runtime optimizer. */
class CustomOptimizer internal constructor(
    /** Names, defaults and ranges of the options. */
    val hyperparameters: Hyperparameters,
    private val current: ThreadLocal<ParamUpdate>,
    private val rule: UpdateScope.(Tensor, Tensor) -> Unit,
) {
    val name: String get() = hyperparameters.optimizer()

    operator fun invoke(
        params: List<Tensor>,
        vararg options: Pair<String, Any>,
        groups: (ParamGroupsScope.() -> Unit)? = null,
    ): StatefulOptimizer = buildOptimizer(params, linkedMapOf(*options), groups, { p, o -> Instance(p, o) }, { d, g -> Instance(d, g) })

    operator fun invoke(
        model: Module,
        vararg options: Pair<String, Any>,
        groups: (ParamGroupsScope.() -> Unit)? = null,
    ): StatefulOptimizer = invoke(model.parameters(), *options, groups = groups)

    override fun toString(): String = "optimizer(\"$name\", options ${hyperparameters.names()})"

    private inner class Instance : StatefulOptimizer {
        constructor(params: List<Tensor>, options: Map<String, Any>) : super(hyperparameters, params, options)
        constructor(defaults: Map<String, Any>, groups: List<ParamGroup>) : super(hyperparameters, defaults, groups)

        override fun update(u: ParamUpdate) {
            val outer = current.get()
            current.set(u)
            try {
                UpdateScope(u).rule(u.param(), u.grad())
            } finally {
                if (outer == null) current.remove() else current.set(outer)
            }
        }

        override fun toString(): String = "$name(${paramGroups().size} group(s), defaults ${defaults()})"
    }
}
