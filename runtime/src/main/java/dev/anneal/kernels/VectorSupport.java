package dev.anneal.kernels;

import java.util.logging.Logger;

/**
 * Decides once per JVM whether kernels take the Vector API path or the plain-Java scalar path.
 *
 * <p>The Vector API lives in the incubator module {@code jdk.incubator.vector}, which the JVM only
 * resolves when started with {@code --add-modules jdk.incubator.vector}. Classes that mention
 * vector types are only touched when this says the module is present, so the scalar path never
 * loads them. {@code -Danneal.kernels=scalar} forces the scalar path even when the module is there.
 */
public final class VectorSupport {
    private static final boolean ENABLED = decide();
    private static final String PATH = ENABLED ? "vector" : "scalar";

    static {
        Logger.getLogger("dev.anneal.kernels").info(() -> "anneal kernels: " + describe());
        if (ENABLED && warmUpWanted()) {
            long t0 = System.nanoTime();
            try {
                JitWarmup.run();
                Logger.getLogger("dev.anneal.kernels").fine(() -> "anneal kernels: warm-up " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            } catch (RuntimeException e) { // a failed warm-up must not take the kernels down with it
                Logger.getLogger("dev.anneal.kernels").warning("anneal kernels: warm-up failed: " + e);
            }
        }
    }

    private VectorSupport() {}

    /** False when started with {@code -Danneal.warmup=false}, which skips the JIT warm-up (see {@link JitWarmup}). */
    static boolean warmUpWanted() {
        return !"false".equals(System.getProperty("anneal.warmup"));
    }

    private static boolean decide() {
        if ("scalar".equalsIgnoreCase(System.getProperty("anneal.kernels", ""))) return false;
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** True when the Vector API path is in use. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** "vector" or "scalar". */
    public static String path() {
        return PATH;
    }

    /** One line naming the path in use, and why when it is the scalar one. */
    public static String describe() {
        if (ENABLED) return "Vector API path (" + VectorWidth.floatLanes() + " float lanes)";
        if ("scalar".equalsIgnoreCase(System.getProperty("anneal.kernels", "")))
            return "scalar path (forced by -Danneal.kernels=scalar)";
        return "scalar path (start the JVM with --add-modules jdk.incubator.vector for the Vector API path)";
    }
}
