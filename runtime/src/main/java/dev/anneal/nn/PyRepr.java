package dev.anneal.nn;

import java.math.BigDecimal;

/** Formats values the way Python's repr does, so layer descriptions read like PyTorch's. */
final class PyRepr {
    private PyRepr() {}

    /** (3, 3), (10,) */
    static String tuple(int... v) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ", ").append(v[i]);
        return b.append(v.length == 1 ? ",)" : ")").toString();
    }

    /** An int when both entries came from one int, else a tuple. */
    static String sizeArg(int[] v, boolean scalar) {
        return scalar ? Integer.toString(v[0]) : tuple(v);
    }

    static String bool(boolean b) {
        return b ? "True" : "False";
    }

    /** Shortest round-trip digits; scientific notation below 1e-4 or from 1e16, as repr(float): 1e-05, 0.1, 1.0. */
    static String floatRepr(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        BigDecimal bd = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        String plain = bd.abs().toPlainString();
        if (!plain.contains(".")) plain += ".0";
        return sign + plain;
    }
}
