package dev.anneal.optim.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed reading and writing of scheduler state-dict entries, with errors naming the scheduler and key. */
public final class StateDicts {
    private StateDicts() {}

    static List<Double> list(double[] v) {
        List<Double> l = new ArrayList<>(v.length);
        for (double x : v) l.add(x);
        return l;
    }

    static List<Integer> list(int[] v) {
        List<Integer> l = new ArrayList<>(v.length);
        for (int x : v) l.add(x);
        return l;
    }

    /** Reads entries of one state dict; every getter fails with a message naming the owner and key. */
    public static final class Reader {
        private final String owner;
        private final Map<String, Object> state;

        Reader(String owner, Map<String, Object> state) {
            this.owner = owner;
            this.state = state;
        }

        private Object get(String key) {
            if (!state.containsKey(key))
                throw new IllegalArgumentException(owner + ".loadStateDict: missing entry '" + key + "' (has " + state.keySet() + ")");
            return state.get(key);
        }

        private IllegalArgumentException wrong(String key, Object v, String expected) {
            return new IllegalArgumentException(owner + ".loadStateDict: entry '" + key + "' is " + v
                    + (v == null ? "" : " (" + v.getClass().getSimpleName() + ")") + ", expected " + expected);
        }

        public double number(String key) {
            Object v = get(key);
            if (!(v instanceof Number n)) throw wrong(key, v, "a number");
            return n.doubleValue();
        }

        public int integer(String key) {
            Object v = get(key);
            if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() != (int) ((Number) v).longValue())
                throw wrong(key, v, "an int");
            return ((Number) v).intValue();
        }

        public long longInteger(String key) {
            Object v = get(key);
            if (!(v instanceof Integer || v instanceof Long)) throw wrong(key, v, "an integer");
            return ((Number) v).longValue();
        }

        public boolean bool(String key) {
            Object v = get(key);
            if (!(v instanceof Boolean b)) throw wrong(key, v, "a boolean");
            return b;
        }

        public String string(String key) {
            Object v = get(key);
            if (!(v instanceof String s)) throw wrong(key, v, "a string");
            return s;
        }

        public double[] doubles(String key) {
            Object v = get(key);
            if (!(v instanceof List<?> l)) throw wrong(key, v, "a list of numbers");
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n)) throw wrong(key, v, "a list of numbers");
                out[i] = n.doubleValue();
            }
            return out;
        }

        public int[] integers(String key) {
            Object v = get(key);
            if (!(v instanceof List<?> l)) throw wrong(key, v, "a list of ints");
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Integer || l.get(i) instanceof Long)) throw wrong(key, v, "a list of ints");
                out[i] = ((Number) l.get(i)).intValue();
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> maps(String key, int expectedSize) {
            Object v = get(key);
            if (!(v instanceof List<?> l) || l.size() != expectedSize) throw wrong(key, v, "a list of " + expectedSize + " state dicts");
            for (Object o : l)
                if (!(o instanceof Map)) throw wrong(key, v, "a list of " + expectedSize + " state dicts");
            return (List<Map<String, Object>>) l;
        }
    }
}
