package dev.anneal.train.checkpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON that checkpoints need: objects (insertion-ordered), arrays, strings, numbers, booleans,
 * null. Numbers written as integers read back as Long, others as Double; doubles are written in
 * Java's shortest round-trip form, and non-finite doubles as {"$double": "NaN"} since JSON has none.
 */
public final class Json {
    private Json() {}

    public static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        if (v == null) b.append("null");
        else if (v instanceof String s) string(b, s);
        else if (v instanceof Boolean x) b.append(x);
        else if (v instanceof Integer || v instanceof Long) b.append(((Number) v).longValue());
        else if (v instanceof Float || v instanceof Double) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                String s = Double.toString(d);
                b.append(s); // always has '.' or 'E', so it reads back as a Double
            } else {
                b.append("{\"$double\": \"").append(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity").append("\"}");
            }
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) b.append(", ");
                first = false;
                string(b, String.valueOf(e.getKey()));
                b.append(": ");
                write(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) b.append(", ");
                write(b, l.get(i));
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("Json: cannot write a " + v.getClass().getName());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        b.append('"');
    }

    /** Parses a JSON text; malformed input is an IllegalArgumentException naming the position. */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.space();
        Object v = p.value();
        p.space();
        if (p.at < text.length()) throw p.error("unexpected text after the value");
        return v;
    }

    private static final class Parser {
        final String s;
        int at;

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("Json: " + what + " at position " + at);
        }

        void space() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
        }

        char peek() {
            if (at >= s.length()) throw error("unexpected end of text");
            return s.charAt(at);
        }

        void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            at++;
        }

        Object value() {
            char c = peek();
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", null);
                default: return number();
            }
        }

        Object literal(String word, Object v) {
            if (!s.startsWith(word, at)) throw error("expected " + word);
            at += word.length();
            return v;
        }

        Object object() {
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            space();
            if (peek() == '}') {
                at++;
                return m;
            }
            while (true) {
                space();
                String k = string();
                space();
                expect(':');
                space();
                m.put(k, value());
                space();
                if (peek() == ',') {
                    at++;
                    continue;
                }
                expect('}');
                break;
            }
            if (m.size() == 1 && m.get("$double") instanceof String d) return Double.parseDouble(d);
            return m;
        }

        List<Object> array() {
            expect('[');
            List<Object> l = new ArrayList<>();
            space();
            if (peek() == ']') {
                at++;
                return l;
            }
            while (true) {
                space();
                l.add(value());
                space();
                if (peek() == ',') {
                    at++;
                    continue;
                }
                expect(']');
                return l;
            }
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = peek();
                at++;
                if (c == '"') return b.toString();
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = peek();
                at++;
                switch (e) {
                    case '"': case '\\': case '/': b.append(e); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u':
                        if (at + 4 > s.length()) throw error("short \\u escape");
                        b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                        at += 4;
                        break;
                    default: throw error("bad escape \\" + e);
                }
            }
        }

        Object number() {
            int start = at;
            while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) at++;
            String n = s.substring(start, at);
            if (n.isEmpty()) throw error("expected a value");
            try {
                if (n.contains(".") || n.contains("e") || n.contains("E")) return Double.parseDouble(n);
                return Long.parseLong(n);
            } catch (NumberFormatException e) {
                at = start;
                throw error("bad number '" + n + "'");
            }
        }
    }
}
