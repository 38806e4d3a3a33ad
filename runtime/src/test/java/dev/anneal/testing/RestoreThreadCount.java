package dev.anneal.testing;

import dev.anneal.kernels.Parallel;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** JUnit extension that puts {@link Parallel#threads()} back after each test that changes it. */
public final class RestoreThreadCount implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RestoreThreadCount.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("threads", Parallel.threads());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Parallel.setThreads(context.getStore(NS).get("threads", Integer.class));
    }
}
