package dev.nmcc.frontend.numpy;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed header dict of an {@code .npy} file. The parser reads the small Python literal
 * subset numpy writes: a dict with string keys whose values are strings, {@code True}/{@code False}
 * and tuples of integers.
 */
record NpyHeader(String descr, NpyDtype dtype, ByteOrder order, int[] shape, long elementCount) {

    long dataBytes() { return Math.multiplyExact(elementCount, (long) dtype.size); }

    String shapeText() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        if (shape.length == 1) sb.append(',');
        return sb.append(')').toString();
    }

    static NpyHeader parse(String text, String where) throws NpyFormatException {
        Map<String, Object> dict;
        try {
            dict = new Literal(text).dict();
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(where + ": malformed header (" + e.getMessage() + "): " + text.strip());
        }
        Object d = dict.get("descr");
        Object f = dict.get("fortran_order");
        Object s = dict.get("shape");
        if (d == null || f == null || s == null) {
            throw new NpyFormatException(where + ": header lacks 'descr', 'fortran_order' or 'shape': " + text.strip());
        }
        if (!(d instanceof String descr)) {
            throw new NpyFormatException(where + ": structured dtypes are not supported (descr " + d + ")");
        }
        if (!(f instanceof Boolean fortran)) throw new NpyFormatException(where + ": 'fortran_order' is not a boolean");
        if (fortran) {
            throw new NpyFormatException(where + ": Fortran-ordered arrays are not supported; save it in C order "
                    + "(np.save(path, np.ascontiguousarray(a)))");
        }
        if (!(s instanceof List<?> dims)) throw new NpyFormatException(where + ": 'shape' is not a tuple");
        if (descr.length() < 3) throw new NpyFormatException(where + ": unsupported dtype '" + descr + "'");
        ByteOrder order = switch (descr.charAt(0)) {
            case '<', '|', '=' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            default -> throw new NpyFormatException(where + ": unsupported dtype '" + descr + "'");
        };
        NpyDtype dtype = null;
        try {
            dtype = NpyDtype.of(descr.charAt(1), Integer.parseInt(descr.substring(2)));
        } catch (NumberFormatException ignored) {
            // reported below
        }
        if (dtype == null) {
            throw new NpyFormatException(where + ": unsupported dtype '" + descr
                    + "' (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1)");
        }
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long v = (Long) dims.get(i);
            if (v < 0 || v > Integer.MAX_VALUE) throw new NpyFormatException(where + ": bad dimension " + v + " in shape");
            shape[i] = (int) v;
            try {
                count = Math.multiplyExact(count, v);
            } catch (ArithmeticException e) {
                throw new NpyFormatException(where + ": shape " + dims + " has too many elements");
            }
        }
        if (count > Long.MAX_VALUE / 8) throw new NpyFormatException(where + ": shape " + dims + " has too many elements");
        return new NpyHeader(descr, dtype, order, shape, count);
    }

    /** A recursive-descent reader of the header literal. */
    private static final class Literal {
        private final String s;
        private int i;

        Literal(String s) { this.s = s; }

        Map<String, Object> dict() {
            Map<String, Object> out = new LinkedHashMap<>();
            expect('{');
            while (true) {
                skip();
                if (peek() == '}') { i++; break; }
                Object key = value();
                if (!(key instanceof String k)) throw new IllegalArgumentException("dict key is not a string");
                expect(':');
                out.put(k, value());
                skip();
                if (peek() == ',') { i++; continue; }
                expect('}');
                break;
            }
            skip();
            if (i != s.length()) throw new IllegalArgumentException("text after the dict");
            return out;
        }

        private Object value() {
            skip();
            char c = peek();
            if (c == '\'' || c == '"') return string(c);
            if (c == '(' || c == '[') return tuple(c == '(' ? ')' : ']');
            if (s.startsWith("True", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("False", i)) { i += 5; return Boolean.FALSE; }
            if (Character.isDigit(c) || c == '-') return integer();
            if (c == '{') throw new IllegalArgumentException("nested dict");
            throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
        }

        private String string(char quote) {
            int start = ++i;
            while (i < s.length() && s.charAt(i) != quote) i++;
            if (i >= s.length()) throw new IllegalArgumentException("unterminated string");
            return s.substring(start, i++);
        }

        private List<Object> tuple(char close) {
            i++;
            List<Object> out = new ArrayList<>();
            while (true) {
                skip();
                if (peek() == close) { i++; return out; }
                out.add(value());
                skip();
                if (peek() == ',') { i++; continue; }
                expect(close);
                return out;
            }
        }

        private Long integer() {
            int start = i;
            if (peek() == '-') i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            if (start == i || (i == start + 1 && s.charAt(start) == '-')) throw new IllegalArgumentException("bad number");
            long v;
            try {
                v = Long.parseLong(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("number out of range");
            }
            if (i < s.length() && (s.charAt(i) == 'L' || s.charAt(i) == 'l')) i++;
            return v;
        }

        private void skip() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private char peek() {
            if (i >= s.length()) throw new IllegalArgumentException("unexpected end");
            return s.charAt(i);
        }

        private void expect(char c) {
            skip();
            if (peek() != c) throw new IllegalArgumentException("expected '" + c + "' at " + i);
            i++;
        }
    }
}
