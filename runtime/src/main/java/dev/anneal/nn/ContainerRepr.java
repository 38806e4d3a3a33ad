package dev.anneal.nn;

import java.util.Map;

/** PyTorch's multi-line repr of a module with children: "Name(\n  (child): ...\n)". */
final class ContainerRepr {
    private ContainerRepr() {}

    static String of(String name, Map<String, Module> children) {
        if (children.isEmpty()) return name + "()";
        StringBuilder b = new StringBuilder(name).append("(\n");
        for (Map.Entry<String, Module> c : children.entrySet())
            b.append("  (").append(c.getKey()).append("): ").append(c.getValue().toString().replace("\n", "\n  ")).append('\n');
        return b.append(')').toString();
    }
}
