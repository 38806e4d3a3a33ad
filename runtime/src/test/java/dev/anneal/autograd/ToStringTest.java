package dev.anneal.autograd;

import static dev.anneal.autograd.ForwardAsserts.iotaTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ToStringTest {
    private static final String ROW = "[0.0000, 0.0000, 0.0000, ..., 0.0000, 0.0000, 0.0000]";

    @Test
    void scalarsAndVectors() {
        assertEquals("tensor(1.5000)", Tensor.scalar(1.5f).toString());
        assertEquals("tensor(-2.0000)", Tensor.scalar(-2).toString());
        assertEquals("tensor([1.0000, 2.0000, 3.0000])", Tensor.vector(1, 2, 3).toString());
        assertEquals("tensor([7.0000])", Tensor.vector(7).toString());
        // four decimals, rounded half-even on the float's exact value
        assertEquals("tensor([1.2346, 0.1000, 12345.6777, -0.0001])", Tensor.vector(1.23456f, 0.1f, 12345.678f, -0.0001f).toString());
    }

    @Test
    void matricesMatchPyTorchLayout() {
        assertEquals("tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]])",
                Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals("tensor([[0.0000, 1.0000, 2.0000]])", iotaTensor(1, 3).toString());
        assertEquals("tensor([[0.0000],\n        [1.0000]])", iotaTensor(2, 1).toString());
        assertEquals("tensor([[[0.0000, 1.0000],\n         [2.0000, 3.0000]],\n        [[4.0000, 5.0000],\n         [6.0000, 7.0000]]])",
                iotaTensor(2, 2, 2).toString());
    }

    @Test
    void viewsPrintTheirLogicalElements() {
        assertEquals("tensor([[0.0000, 3.0000],\n        [1.0000, 4.0000],\n        [2.0000, 5.0000]])", iotaTensor(2, 3).t().toString());
        assertEquals("tensor([1.0000, 3.0000, 5.0000])", iotaTensor(6).slice(0, 1, 6, 2).toString());
        assertEquals("tensor([[2.0000, 2.0000]])", Tensor.scalar(2).expand(1, 2).toString());
    }

    @Test
    void specialValues() {
        assertEquals("tensor([nan, inf, -inf, -0.5000, 0.0000])",
                Tensor.vector(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.5f, 0f).toString());
        assertEquals("tensor(nan)", Tensor.scalar(Float.NaN).toString());
    }

    @Test
    void emptyTensorsShowTheirSize() {
        assertEquals("tensor([], size=[0])", Tensor.zeros(0).toString());
        assertEquals("tensor([], size=[0, 3])", Tensor.zeros(0, 3).toString());
        assertEquals("tensor([], size=[2, 0])", Tensor.zeros(2, 0).toString());
        assertEquals("tensor([], size=[2, 0, 3])", Tensor.zeros(2, 0, 3).toString());
    }

    @Test
    void gradInformation() {
        Tensor leaf = Tensor.vector(1, 2).requiresGrad(true);
        assertEquals("tensor([1.0000, 2.0000], requires_grad=true)", leaf.toString());
        assertEquals("tensor([2.0000, 4.0000], grad_fn=add)", leaf.add(leaf).toString());
        assertEquals("tensor(3.0000, grad_fn=sum)", leaf.sum().toString());
        assertEquals("tensor([1.0000, 2.0000])", leaf.detach().toString());
    }

    @Test
    void largeTensorsAreSummarized() {
        // exactly 1000 elements print in full; 1001 are summarized with three at each edge
        String full = Tensor.arange(1000).toString();
        assertEquals(1000, full.split(", ").length);
        assertEquals("tensor([0.0000, 1.0000, ", full.substring(0, 24));
        assertEquals(", 998.0000, 999.0000])", full.substring(full.length() - 22));
        assertEquals("tensor([0.0000, 1.0000, 2.0000, ..., 998.0000, 999.0000, 1000.0000])", Tensor.arange(1001).toString());
        String i = "\n        ";
        assertEquals("tensor([" + ROW + "," + i + ROW + "," + i + ROW + "," + i + "...," + i + ROW + "," + i + ROW + "," + i + ROW + "])",
                Tensor.zeros(40, 30).toString());
        // a summarized tensor with a short last dim prints its rows in full
        assertEquals("tensor([[0.0000, 1.0000],\n        [2.0000, 3.0000],\n        [4.0000, 5.0000],\n        ...,"
                        + "\n        [1996.0000, 1997.0000],\n        [1998.0000, 1999.0000],\n        [2000.0000, 2001.0000]])",
                Tensor.arange(2002).reshape(1001, 2).toString());
    }
}
