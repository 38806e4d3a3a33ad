package dev.anneal.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.tensor.Generator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The reverse-mode engine: seeding, accumulation, graph lifetime, grad mode, in-place safety. */
class AutogradEngineTest {

    private static void assertValues(float[] expected, Tensor actual, float tol) {
        float[] a = actual.toArray();
        assertEquals(expected.length, a.length, "element count");
        for (int i = 0; i < a.length; i++)
            assertEquals(expected[i], a[i], tol * Math.max(1f, Math.abs(expected[i])), "element " + i);
    }

    private static Tensor leaf(float[] values, int... shape) {
        return Tensor.of(values, shape).requiresGrad(true);
    }

    // ------------------------------------------------------------------ seeding backward

    @Test
    void backwardOnAScalar() {
        Tensor x = leaf(new float[] {1, -2, 3}, 3);
        Tensor y = x.mul(x).sum(); // d/dx = 2x
        assertArrayEquals(new int[0], y.shape());
        y.backward();
        assertValues(new float[] {2, -4, 6}, x.grad(), 0f);
        assertArrayEquals(new int[] {3}, x.grad().shape());
    }

    @Test
    void backwardOnAOneElementNonScalar() {
        Tensor x = leaf(new float[] {2, 5}, 2);
        Tensor y = x.mul(x).sum(new int[] {0}, true); // shape [1]
        y.backward();
        assertValues(new float[] {4, 10}, x.grad(), 0f);
    }

    @Test
    void backwardWithAGradientOnANonScalar() {
        Tensor x = leaf(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = x.mul(3f).add(1f);
        Tensor g = Tensor.of(new float[] {1, 0, -1, 2, 0.5f, 10}, 2, 3);
        y.backward(g);
        assertValues(new float[] {3, 0, -3, 6, 1.5f, 30}, x.grad(), 0f);
    }

    @Test
    void backwardWithANonContiguousGradient() {
        Tensor x = leaf(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = x.mul(x);
        Tensor g = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2).t(); // [[1,3,5],[2,4,6]]
        y.backward(g);
        assertValues(new float[] {2, 12, 30, 16, 40, 72}, x.grad(), 0f);
    }

    @Test
    void backwardOnANonScalarWithoutAGradientIsAClearError() {
        Tensor x = leaf(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = x.mul(2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("gradient"), e.getMessage());
        assertNull(x.grad());
        // the graph is still intact: a correct call works afterwards
        y.backward(Tensor.ones(2, 3));
        assertValues(new float[] {2, 2, 2, 2, 2, 2}, x.grad(), 0f);
    }

    @Test
    void backwardWithAGradientOfTheWrongShapeIsAnError() {
        Tensor x = leaf(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = x.exp();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3, 2)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(6)));
    }

    @Test
    void backwardOnATensorThatDoesNotRequireGradIsAnError() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2);
        assertThrows(IllegalStateException.class, () -> x.sum().backward());
        Tensor leafWithGrad = leaf(new float[] {1, 2}, 2);
        Tensor y;
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            y = leafWithGrad.mul(2f).sum();
        }
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void backwardOnALeafSetsItsGradient() {
        Tensor x = leaf(new float[] {1, 2, 3}, 3);
        Tensor g = Tensor.vector(4, 5, 6);
        x.backward(g);
        assertValues(new float[] {4, 5, 6}, x.grad(), 0f);
        // the stored gradient is a copy: changing g later does not change x.grad
        g.fill(0f);
        assertValues(new float[] {4, 5, 6}, x.grad(), 0f);
    }

    @Test
    void leafGradientDoesNotAliasTheIncomingGradient() {
        // add passes its gradient straight through; the leaf must still get its own storage
        Tensor x = leaf(new float[] {1, 2}, 2);
        Tensor g = Tensor.vector(3, 4);
        x.add(1f).backward(g);
        assertFalse(x.grad().sharesStorageWith(g));
        g.fill(-1f);
        assertValues(new float[] {3, 4}, x.grad(), 0f);
    }

    // ------------------------------------------------------------------ accumulation and routing

    @Test
    void gradientsAccumulateOverTwoBackwardCalls() {
        Tensor x = leaf(new float[] {1, 2, 3}, 3);
        x.mul(x).sum().backward(); // 2x
        Tensor first = x.grad();
        assertValues(new float[] {2, 4, 6}, first, 0f);
        x.mul(3f).sum().backward(); // + 3
        assertValues(new float[] {5, 7, 9}, x.grad(), 0f);
        x.exp().sum().backward(); // + exp(x)
        assertValues(new float[] {5 + (float) Math.exp(1), 7 + (float) Math.exp(2), 9 + (float) Math.exp(3)}, x.grad(), 1e-6f);
        // clearing starts over
        x.setGrad(null);
        x.mul(2f).sum().backward();
        assertValues(new float[] {2, 2, 2}, x.grad(), 0f);
    }

    @Test
    void broadcastDimsAreReducedInTheGradient() {
        Generator g = new Generator(5);
        Tensor w = Tensor.randn(g, 4, 3).requiresGrad(true);
        Tensor bias = Tensor.randn(g, 3).requiresGrad(true);
        Tensor col = Tensor.randn(g, 4, 1).requiresGrad(true);
        Tensor s = Tensor.randn(g).requiresGrad(true);
        Tensor upstream = Tensor.randn(g, 4, 3);
        w.add(bias).add(col).mul(s).backward(upstream);
        float[] up = upstream.toArray();
        float sv = s.item();
        float[] colSums = new float[3], rowSums = new float[4];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 3; j++) {
                colSums[j] += up[i * 3 + j] * sv;
                rowSums[i] += up[i * 3 + j] * sv;
            }
        assertArrayEquals(new int[] {3}, bias.grad().shape());
        assertValues(colSums, bias.grad(), 1e-5f);
        assertArrayEquals(new int[] {4, 1}, col.grad().shape());
        assertValues(rowSums, col.grad(), 1e-5f);
        float[] scaled = new float[12];
        for (int i = 0; i < 12; i++) scaled[i] = up[i] * sv;
        assertValues(scaled, w.grad(), 1e-6f);
        // ds = sum(upstream * (w + bias + col))
        float[] z = w.add(bias).add(col).toArray();
        double ds = 0;
        for (int i = 0; i < 12; i++) ds += up[i] * z[i];
        assertArrayEquals(new int[0], s.grad().shape());
        assertEquals(ds, s.grad().item(), 1e-4);
    }

    @Test
    void biasOfShape3AddedTo4x3GetsColumnSums() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 4, 3);
        Tensor bias = leaf(new float[] {0, 0, 0}, 3);
        Tensor gOut = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 4, 3);
        x.add(bias).backward(gOut);
        assertValues(new float[] {22, 26, 30}, bias.grad(), 0f);
        assertNull(x.grad(), "x does not require grad");
    }

    @Test
    void aTensorUsedTwiceGetsSummedGradients() {
        Tensor x = leaf(new float[] {1.5f, -2, 3}, 3);
        x.mul(x).backward(Tensor.ones(3));
        assertValues(new float[] {3, -4, 6}, x.grad(), 0f);

        Tensor y = leaf(new float[] {1.5f, -2, 3}, 3);
        y.add(y).backward(Tensor.vector(1, 2, 3));
        assertValues(new float[] {2, 4, 6}, y.grad(), 0f);

        // a diamond: a = exp(z); out = a*a + a, d/dz = (2a + 1)·a
        Tensor z = leaf(new float[] {0.1f, -0.3f}, 2);
        Tensor a = z.exp();
        a.mul(a).add(a).sum().backward();
        float[] zv = {0.1f, -0.3f};
        float[] expected = new float[2];
        for (int i = 0; i < 2; i++) {
            double e = Math.exp(zv[i]);
            expected[i] = (float) ((2 * e + 1) * e);
        }
        assertValues(expected, z.grad(), 1e-6f);

        // both inputs of one matmul are the same leaf: d/dM sum(M M^T) = 2 · (row sums broadcast)
        Tensor m = leaf(new float[] {1, 2, 3, 4}, 2, 2);
        m.matmul(m.t()).sum().backward();
        // d/dM_ij sum_kl sum_p M_kp M_lp = 2 · sum_l M_lj
        assertValues(new float[] {8, 12, 8, 12}, m.grad(), 0f);
    }

    @Test
    void gradientsRouteThroughSplitPiecesAndViews() {
        Tensor x = leaf(new float[] {1, 2, 3, 4, 5, 6}, 6);
        List<Tensor> p = x.split(2, 0);
        p.get(0).mul(10f).sum().add(p.get(2).mul(p.get(2)).sum()).backward();
        assertValues(new float[] {10, 10, 0, 0, 10, 12}, x.grad(), 0f);
        Tensor y = leaf(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        y.t().select(0, 1).mul(Tensor.vector(7, 8)).sum().backward();
        assertValues(new float[] {0, 7, 0, 0, 8, 0}, y.grad(), 0f);
    }

    @Test
    void inputsThatDoNotRequireGradGetNoGradient() {
        Tensor a = leaf(new float[] {1, 2}, 2);
        Tensor b = Tensor.vector(3, 4);
        Tensor y = a.mul(b);
        y.sum().backward();
        assertValues(new float[] {3, 4}, a.grad(), 0f);
        assertNull(b.grad());
        // intermediate (non-leaf) tensors keep no .grad, as in PyTorch
        assertNull(y.grad());
    }

    // ------------------------------------------------------------------ detach and noGrad

    @Test
    void detachCutsTheGraph() {
        Tensor x = leaf(new float[] {2, 3}, 2);
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        assertNull(d.gradFnName());
        assertTrue(d.sharesStorageWith(x));
        // y = x * detach(x): only the live factor contributes, grad = x (not 2x)
        x.mul(d).sum().backward();
        assertValues(new float[] {2, 3}, x.grad(), 0f);
        // a fully detached computation does not require grad at all
        Tensor z = x.exp().detach().mul(2f);
        assertFalse(z.requiresGrad());
        assertThrows(IllegalStateException.class, () -> z.sum().backward());
    }

    @Test
    void noGradScopeProducesTensorsWithoutGrad() {
        Tensor x = leaf(new float[] {1, 2, 3}, 3);
        assertTrue(GradMode.isEnabled());
        Tensor inside;
        try (GradMode.NoGrad outer = GradMode.noGrad()) {
            assertFalse(GradMode.isEnabled());
            inside = x.mul(2f).exp().sum();
            assertFalse(inside.requiresGrad());
            assertTrue(inside.isLeaf());
            assertNull(inside.gradFnName());
            try (GradMode.NoGrad inner = GradMode.noGrad()) {
                assertFalse(GradMode.isEnabled());
                assertFalse(x.add(x).requiresGrad());
            }
            // closing the inner scope keeps the outer one in force
            assertFalse(GradMode.isEnabled());
            assertFalse(x.matmul(x).requiresGrad());
        }
        assertTrue(GradMode.isEnabled());
        assertTrue(x.mul(2f).requiresGrad());
        assertEquals((float) (Math.exp(2) + Math.exp(4) + Math.exp(6)), inside.item(), 1e-3f);
    }

    @Test
    void noGradScopeClosedTwiceOrAfterAnExceptionRestoresProperly() {
        GradMode.NoGrad scope = GradMode.noGrad();
        scope.close();
        assertTrue(GradMode.isEnabled());
        GradMode.NoGrad outer = GradMode.noGrad();
        scope.close(); // a stale second close must not re-enable grad inside another scope
        assertFalse(GradMode.isEnabled());
        outer.close();
        assertTrue(GradMode.isEnabled());
        assertThrows(IllegalStateException.class, () -> {
            try (GradMode.NoGrad s = GradMode.noGrad()) {
                throw new IllegalStateException("boom");
            }
        });
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void gradModeIsPerThread() throws Exception {
        Tensor x = leaf(new float[] {1, 2}, 2);
        AtomicReference<Object[]> seen = new AtomicReference<>();
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            assertFalse(GradMode.isEnabled());
            Thread t = new Thread(() -> seen.set(new Object[] {GradMode.isEnabled(), x.mul(2f).requiresGrad()}));
            t.start();
            t.join();
            assertFalse(x.mul(2f).requiresGrad());
        }
        assertEquals(Boolean.TRUE, seen.get()[0], "another thread is not affected by this thread's noGrad");
        assertEquals(Boolean.TRUE, seen.get()[1]);
        // and the other way round: a noGrad scope on another thread leaves this one recording
        Thread t = new Thread(() -> {
            try (GradMode.NoGrad ignored = GradMode.noGrad()) {
                seen.set(new Object[] {GradMode.isEnabled(), x.mul(2f).requiresGrad()});
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        t.start();
        Thread.sleep(5);
        assertTrue(GradMode.isEnabled());
        t.join();
        assertEquals(Boolean.FALSE, seen.get()[0]);
        assertEquals(Boolean.FALSE, seen.get()[1]);
        assertTrue(x.mul(2f).requiresGrad());
    }

    @Test
    void backwardInsideNoGradStillComputesGradients() {
        Tensor x = leaf(new float[] {1, 2}, 2);
        Tensor y = x.mul(x).sum();
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            y.backward();
        }
        assertValues(new float[] {2, 4}, x.grad(), 0f);
        assertTrue(GradMode.isEnabled());
    }

    // ------------------------------------------------------------------ graph lifetime

    @Test
    void secondBackwardWithoutRetainGraphThrows() {
        Tensor x = leaf(new float[] {1, 2, 3}, 3);
        Tensor y = x.exp().mul(x).sum();
        y.backward();
        float[] first = x.grad().toArray();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
        // the failed call added nothing
        assertArrayEquals(first, x.grad().toArray());
    }

    @Test
    void backwardThroughAFreedSharedSubgraphThrows() {
        Tensor x = leaf(new float[] {1, 2, 3}, 3);
        Tensor a = x.exp();
        a.sum().backward();
        Tensor b = a.mul(2f).sum();
        IllegalStateException e = assertThrows(IllegalStateException.class, b::backward);
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackwardAndTheGradientDoubles() {
        Tensor x = leaf(new float[] {0.5f, -1, 2}, 3);
        Tensor y = x.mul(x).mul(x); // 3x^2
        Tensor g = Tensor.vector(1, 2, 3);
        y.backward(g, true);
        float[] once = {0.75f, 6f, 36f};
        assertValues(once, x.grad(), 1e-6f);
        y.backward(g, true);
        assertValues(new float[] {1.5f, 12f, 72f}, x.grad(), 1e-6f);
        // a last call without retainGraph still works, and frees the graph
        y.backward(g);
        assertValues(new float[] {2.25f, 18f, 108f}, x.grad(), 1e-6f);
        assertThrows(IllegalStateException.class, () -> y.backward(g));
    }

    // ------------------------------------------------------------------ in-place safety

    @Test
    void inPlaceOnALeafRequiringGradIsRefusedWhileRecording() {
        Tensor x = leaf(new float[] {1, 2, 3}, 3);
        for (Runnable op : List.<Runnable>of(
                () -> x.fill(0f), x::zero, () -> x.addInPlace(Tensor.ones(3)), () -> x.mulInPlace(2f),
                () -> x.copyFrom(Tensor.zeros(3)), () -> x.set(5f, 0))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, op::run);
            assertTrue(e.getMessage().contains("requires grad"), e.getMessage());
            assertTrue(e.getMessage().contains("noGrad"), e.getMessage());
        }
        assertValues(new float[] {1, 2, 3}, x, 0f);
        // a view of it requires grad too
        assertThrows(IllegalStateException.class, () -> x.narrow(0, 0, 2).fill(1f));
        assertValues(new float[] {1, 2, 3}, x, 0f);
    }

    @Test
    void inPlaceOnALeafIsAllowedInsideNoGrad() {
        Tensor x = leaf(new float[] {1, 2, 3}, 3);
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            x.mulInPlace(2f);
            x.addInPlace(Tensor.vector(1, 1, 1));
            x.set(-1f, 2);
        }
        assertValues(new float[] {3, 5, -1}, x, 0f);
        assertTrue(x.requiresGrad());
        assertTrue(x.isLeaf());
        // and the leaf still works as a parameter afterwards
        x.mul(x).sum().backward();
        assertValues(new float[] {6, 10, -2}, x.grad(), 0f);
    }

    @Test
    void modifyingASavedTensorMakesBackwardThrow() {
        Tensor a = leaf(new float[] {1, 2, 3}, 3);
        Tensor b = Tensor.vector(4, 5, 6);
        Tensor y = a.mul(b);
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            b.fill(0f);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("mul"), e.getMessage());
        assertTrue(e.getMessage().contains("in-place"), e.getMessage());
        assertTrue(GradMode.isEnabled(), "a failed backward restores grad mode");
    }

    @Test
    void modifyingASavedTensorThroughAViewOrWithoutNoGradIsCaughtToo() {
        // b does not require grad, so it may be changed without noGrad; a view of it shares the version
        Tensor a = leaf(new float[] {1, 2, 3}, 3);
        Tensor b = Tensor.vector(4, 5, 6);
        Tensor y = a.mul(b);
        b.narrow(0, 1, 1).fill(9f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.backward(Tensor.ones(3)));
        assertTrue(e.getMessage().contains("mul") && e.getMessage().contains("in-place"), e.getMessage());

        // a saved leaf that requires grad, changed inside noGrad (what an optimizer step does)
        Tensor w = leaf(new float[] {1, 2}, 2);
        Tensor z = w.exp();
        try (GradMode.NoGrad ignored = GradMode.noGrad()) {
            w.addInPlace(Tensor.ones(2));
        }
        e = assertThrows(IllegalStateException.class, () -> z.sum().backward());
        assertTrue(e.getMessage().contains("exp") && e.getMessage().contains("in-place"), e.getMessage());

        // a saved output changed in place (exp saves its result)
        Tensor v = leaf(new float[] {1, 2}, 2);
        Tensor out = v.exp();
        Tensor outAlias = out.detach();
        outAlias.fill(0f);
        assertThrows(IllegalStateException.class, () -> out.sum().backward());
    }

    @Test
    void modifyingATensorThatWasNotSavedIsHarmless() {
        // add does not need its inputs' values
        Tensor a = leaf(new float[] {1, 2}, 2);
        Tensor b = Tensor.vector(3, 4);
        Tensor y = a.add(b);
        b.fill(100f);
        y.backward(Tensor.vector(1, 2));
        assertValues(new float[] {1, 2}, a.grad(), 0f);
    }

    @Test
    void modifyingAScatterIndexBeforeBackwardIsCaught() {
        // scatter's gradient for src is grad.gather(dim, index): it needs the index as it was
        Tensor x = Tensor.zeros(2, 3);
        Tensor src = leaf(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor index = Tensor.of(new float[] {0, 2, 1, 0}, 2, 2);
        Tensor y = x.scatter(1, index, src);
        index.set(1f, 0, 0);
        assertThrows(IllegalStateException.class, () -> y.backward(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)));
    }

    // ------------------------------------------------------------------ deep graphs

    private static void runWithStack(long stackBytes, Runnable body) throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "deep-graph", stackBytes);
        t.start();
        t.join();
        if (failure.get() != null) throw failure.get();
    }

    @Test
    void aDeepChainOf100000OpsBackpropsWithoutStackOverflow() throws Throwable {
        // the test JVM runs with -Xss1m; a 512 KiB thread makes the point on any JVM settings
        runWithStack(512 * 1024, () -> {
            Tensor x = leaf(new float[] {0.5f, -1f}, 2);
            Tensor y = x;
            for (int i = 0; i < 100_000; i++) y = y.add(1f);
            y.sum().backward();
            assertValues(new float[] {100_000.5f, 99_999f}, y, 1e-6f);
            assertValues(new float[] {1, 1}, x.grad(), 0f);
        });
    }

    @Test
    void aDeepMultiplicativeChainGetsTheRightGradient() throws Throwable {
        runWithStack(512 * 1024, () -> {
            Tensor x = leaf(new float[] {1f, 2f}, 2);
            Tensor y = x;
            float k = 1.0001f;
            for (int i = 0; i < 100_000; i++) y = y.mul(k);
            y.sum().backward();
            double expected = Math.pow(k, 100_000); // about e^10
            float[] gx = x.grad().toArray();
            assertEquals(expected, gx[0], expected * 2e-3);
            assertEquals(expected, gx[1], expected * 2e-3);
        });
    }

    @Test
    void aDeepChainOfBinaryOpsWithSharedInputsBackprops() throws Throwable {
        runWithStack(512 * 1024, () -> {
            Tensor x = leaf(new float[] {0.25f}, 1);
            Tensor w = leaf(new float[] {1f}, 1);
            Tensor y = x;
            for (int i = 0; i < 50_000; i++) y = y.add(w.mul(0.5f)); // y = x + 25000 w
            y.sum().backward();
            assertValues(new float[] {1f}, x.grad(), 0f);
            assertValues(new float[] {25_000f}, w.grad(), 1e-6f);
        });
    }

    // ------------------------------------------------------------------ flags

    @Test
    void isLeafGradFnNameAndRequiresGradPropagate() {
        Tensor c = Tensor.vector(1, 2, 3);
        assertTrue(c.isLeaf());
        assertFalse(c.requiresGrad());
        assertNull(c.gradFnName());

        Tensor x = Tensor.vector(4, 5, 6);
        assertSame(x, x.requiresGrad(true));
        assertTrue(x.isLeaf());
        assertTrue(x.requiresGrad());
        assertNull(x.gradFnName());

        Tensor noGradResult = c.mul(c).exp();
        assertFalse(noGradResult.requiresGrad());
        assertTrue(noGradResult.isLeaf());
        assertNull(noGradResult.gradFnName());

        assertEquals("mul", x.mul(c).gradFnName());
        assertEquals("mul", c.mul(x).gradFnName());
        assertEquals("add", x.add(c).gradFnName());
        assertEquals("sub", c.sub(x).gradFnName());
        assertEquals("div", x.div(c).gradFnName());
        assertEquals("exp", x.exp().gradFnName());
        assertEquals("sum", x.sum().gradFnName());
        assertEquals("matmul", x.unsqueeze(0).matmul(c.unsqueeze(1)).gradFnName());
        assertEquals("std", x.std().gradFnName());
        assertEquals("transpose", x.unsqueeze(0).transpose(0, 1).gradFnName());
        assertEquals("cat", Tensor.cat(List.of(c, x), 0).gradFnName());
        assertEquals("where", Tensor.where(c.gt(2f), x, c).gradFnName());
        assertEquals("softmax", x.softmax(0).gradFnName());
        assertEquals("gather", x.gather(0, Tensor.vector(0, 0)).gradFnName());

        Tensor y = x.mul(c).relu();
        assertFalse(y.isLeaf());
        assertTrue(y.requiresGrad());
        Tensor z = y.reshape(3, 1).expand(3, 2).sum(new int[] {1}, false);
        assertTrue(z.requiresGrad());
        assertFalse(z.isLeaf());

        // comparisons are not differentiable: masks never require grad
        assertFalse(x.gt(c).requiresGrad());
        assertFalse(x.argmax().requiresGrad());
    }

    @Test
    void requiresGradFalseOnANonLeafIsAnError() {
        Tensor x = leaf(new float[] {1, 2}, 2);
        Tensor y = x.mul(2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("leaf"), e.getMessage());
        assertTrue(y.requiresGrad());
        assertSame(y, y.requiresGrad(true)); // asking for what it already has is fine
        // on a leaf it toggles
        x.requiresGrad(false);
        assertFalse(x.requiresGrad());
        assertFalse(x.mul(2f).requiresGrad());
        x.requiresGrad(true);
        assertTrue(x.mul(2f).requiresGrad());
    }

    @Test
    void setGradChecksTheShape() {
        Tensor x = leaf(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.setGrad(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.setGrad(Tensor.zeros(6)));
        assertNull(x.grad());
        Tensor g = Tensor.full(1f, 2, 3);
        x.setGrad(g);
        assertNotNull(x.grad());
        // backward accumulates onto a gradient set by hand
        x.mul(2f).backward(Tensor.ones(2, 3));
        assertValues(new float[] {3, 3, 3, 3, 3, 3}, x.grad(), 0f);
        x.setGrad(null);
        assertNull(x.grad());
    }

    // ------------------------------------------------------------------ PyTorch's conventions at kinks and ties

    @Test
    void tiesAndKinksFollowPyTorch() {
        // max(): the gradient is shared evenly among tied maxima
        Tensor a = leaf(new float[] {1, 3, 3, -2}, 4);
        a.max().backward();
        assertValues(new float[] {0, 0.5f, 0.5f, 0}, a.grad(), 0f);
        Tensor a2 = leaf(new float[] {-1, -1, -1, 0}, 2, 2);
        a2.min().backward();
        assertValues(new float[] {1 / 3f, 1 / 3f, 1 / 3f, 0}, a2.grad(), 1e-7f);
        // max(dim): all of it to the index argmax picks (the first)
        Tensor b = leaf(new float[] {2, 5, 5, 1, 1, 0}, 2, 3);
        b.max(1, false).backward(Tensor.vector(1, 2));
        assertValues(new float[] {0, 1, 0, 2, 0, 0}, b.grad(), 0f);
        // maximum/minimum: ties split in half
        Tensor x = leaf(new float[] {1, 2, 3}, 3), y = leaf(new float[] {1, 0, 3}, 3);
        x.maximum(y).backward(Tensor.vector(2, 2, 2));
        assertValues(new float[] {1, 2, 1}, x.grad(), 0f);
        assertValues(new float[] {1, 0, 1}, y.grad(), 0f);
        // abs and relu have gradient 0 at 0; leakyRelu takes the slope there; clamp passes at its bounds
        Tensor z = leaf(new float[] {0, 0, 0, 0}, 4);
        z.abs().sum().backward();
        assertValues(new float[] {0, 0, 0, 0}, z.grad(), 0f);
        z.setGrad(null);
        z.relu().sum().backward();
        assertValues(new float[] {0, 0, 0, 0}, z.grad(), 0f);
        z.setGrad(null);
        z.leakyRelu(0.1f).sum().backward();
        assertValues(new float[] {0.1f, 0.1f, 0.1f, 0.1f}, z.grad(), 1e-7f);
        Tensor c = leaf(new float[] {-1, 1, 0, 2}, 4);
        c.clamp(-1f, 1f).sum().backward();
        assertValues(new float[] {1, 1, 1, 0}, c.grad(), 0f);
        // pow with exponent 0 has gradient 0 even at x = 0
        Tensor p = leaf(new float[] {0, 2}, 2);
        p.pow(0f).sum().backward();
        assertValues(new float[] {0, 0}, p.grad(), 0f);
        Tensor base = leaf(new float[] {0, 0}, 2), expo = leaf(new float[] {0, 2}, 2);
        base.pow(expo).sum().backward();
        assertValues(new float[] {0, 0}, base.grad(), 0f);
        assertValues(new float[] {0, 0}, expo.grad(), 0f);
    }

    @Test
    void stdOfAConstantHasZeroGradientNotNaN() {
        // PyTorch masks the 1/(2·std) factor where std = 0, so a constant input gets gradient 0
        Tensor x = leaf(new float[] {2, 2, 2, 2}, 4);
        x.std().backward();
        assertValues(new float[] {0, 0, 0, 0}, x.grad(), 0f);
        Tensor y = leaf(new float[] {1, 1, 1, 3, 4, 5}, 2, 3);
        y.std(new int[] {1}, 0, false).backward(Tensor.vector(1, 1));
        float[] gy = y.grad().toArray();
        for (int i = 0; i < 3; i++) assertEquals(0f, gy[i], "constant row " + i);
        // the non-constant row: d std / dx_i = (x_i - mean) / (n · std) with correction 0
        double sd = Math.sqrt(2.0 / 3.0);
        assertEquals((float) (-1 / (3 * sd)), gy[3], 1e-6f);
        assertEquals(0f, gy[4], 1e-6f);
        assertEquals((float) (1 / (3 * sd)), gy[5], 1e-6f);
    }
}
