@file:JvmName("ParamGroups")

package dev.anneal.dsl

import dev.anneal.autograd.Tensor
import dev.anneal.nn.Module
import dev.anneal.optim.ParamGroup
import java.util.Collections
import java.util.IdentityHashMap

/**
 * Splits an optimizer's parameters into groups: `adamW(model) { group(model.weightsOnly()) { weightDecay = 0.01 };
 * rest { weightDecay = 0.0 } }`. Options a group does not set come from the optimizer's named arguments.
 */
@AnnealDsl
class ParamGroupsScope internal constructor(private val all: List<Tensor>) {
    internal val groups = ArrayList<ParamGroup>()
    private val taken: MutableSet<Tensor> = Collections.newSetFromMap(IdentityHashMap())

    /** A group of these parameters with the options the block sets. */
    fun group(params: List<Tensor>, options: GroupOptions.() -> Unit = {}) {
        val o = GroupOptions().apply(options)
        groups.add(ParamGroup(params, o.options))
        taken.addAll(params)
    }

    /** A group of a module's parameters. */
    fun group(module: Module, options: GroupOptions.() -> Unit = {}) = group(module.parameters(), options)

    /** All parameters the optimizer is built over. */
    val parameters: List<Tensor> get() = all

    /** The parameters of rank ≥ 2 (weights): `group(weightsOnly()) { weightDecay = 0.01 }`, also inside fit { }. */
    fun weightsOnly(): List<Tensor> = all.filter { it.rank() >= 2 }

    /** The parameters of rank < 2 (biases, normalization scales and shifts). */
    fun biasesAndNorms(): List<Tensor> = all.filter { it.rank() < 2 }

    /** A group of the parameters no earlier group took, in their original order. */
    fun rest(options: GroupOptions.() -> Unit = {}) {
        val left = all.filter { it !in taken }
        require(left.isNotEmpty()) { "rest { }: every parameter is already in a group" }
        group(left, options)
    }
}

/**
 * One group's options, by the Kotlin names of the optimizer builders' arguments; an option the optimizer does not
 * have is rejected by the optimizer (with the list of those it has). [set] takes any runtime option name.
 */
@AnnealDsl
class GroupOptions internal constructor() {
    internal val options = LinkedHashMap<String, Any>()

    private fun num(name: String) = options[name] as Double?

    /** Sets an option by its runtime name ("weight_decay", "beta1", ...). */
    operator fun set(name: String, value: Any) {
        options[name] = value
    }

    var lr: Double? get() = num("lr"); set(v) { put("lr", v) }
    var weightDecay: Double? get() = num("weight_decay"); set(v) { put("weight_decay", v) }
    var momentum: Double? get() = num("momentum"); set(v) { put("momentum", v) }
    var dampening: Double? get() = num("dampening"); set(v) { put("dampening", v) }
    var eps: Double? get() = num("eps"); set(v) { put("eps", v) }
    var alpha: Double? get() = num("alpha"); set(v) { put("alpha", v) }
    var rho: Double? get() = num("rho"); set(v) { put("rho", v) }
    var lrDecay: Double? get() = num("lr_decay"); set(v) { put("lr_decay", v) }
    var momentumDecay: Double? get() = num("momentum_decay"); set(v) { put("momentum_decay", v) }
    var nesterov: Boolean? get() = options["nesterov"] as Boolean?; set(v) { put("nesterov", v) }
    var betas: Pair<Double, Double>?
        get() = num("beta1")?.let { b1 -> num("beta2")?.let { b1 to it } }
        set(v) {
            put("beta1", v?.first)
            put("beta2", v?.second)
        }

    private fun put(name: String, v: Any?) {
        if (v == null) options.remove(name) else options[name] = v
    }
}

/** Builds a one-group optimizer, or one with the groups the block declares. */
internal fun <O> buildOptimizer(
    params: List<Tensor>,
    defaults: Map<String, Any>,
    groups: (ParamGroupsScope.() -> Unit)?,
    single: (List<Tensor>, Map<String, Any>) -> O,
    multi: (Map<String, Any>, List<ParamGroup>) -> O,
): O {
    if (groups == null) return single(params, defaults)
    val scope = ParamGroupsScope(params).apply(groups)
    require(scope.groups.isNotEmpty()) { "optimizer groups { }: no group declared; use group(...) or rest { }" }
    return multi(defaults, scope.groups)
}

/** Parameters of rank ≥ 2 (weight matrices, conv kernels, embeddings): the usual targets of weight decay. */
fun Module.weightsOnly(): List<Tensor> = parameters().filter { it.rank() >= 2 }

/** Parameters of rank < 2 (biases, normalization scales and shifts): usually left without weight decay. */
fun Module.biasesAndNorms(): List<Tensor> = parameters().filter { it.rank() < 2 }
