package dev.anneal.autograd;

/** Whether operations on this thread record a graph for backward. */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /**
     * Turns recording off until the returned scope is closed:
     * {@code try (NoGrad scope = GradMode.noGrad()) { ... }}. Scopes nest.
     */
    public static NoGrad noGrad() {
        boolean[] flag = ENABLED.get();
        NoGrad scope = new NoGrad(flag, flag[0]);
        flag[0] = false;
        return scope;
    }

    /** A scope in which no graph is recorded; closing it restores the previous mode. */
    public static final class NoGrad implements AutoCloseable {
        private final boolean[] flag;
        private final boolean previous;
        private boolean closed;

        private NoGrad(boolean[] flag, boolean previous) {
            this.flag = flag;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                flag[0] = previous;
                closed = true;
            }
        }
    }
}
