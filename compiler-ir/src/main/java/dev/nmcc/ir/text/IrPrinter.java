package dev.nmcc.ir.text;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Prints a module in the {@code .nmir} text form (docs/ir.md). Output is deterministic, and
 * {@link IrParser} reads it back to a module that prints byte-identically.
 *
 * <p>Layout: the {@code module} header; one {@code blob} declaration per blob (type and content
 * hash, plus the values inline for blobs of at most {@value #INLINE_LIMIT} elements); one op
 * per line; then, unless elided, a {@code resources} section with the data of the larger
 * blobs as base64 of little-endian bytes, wrapped at {@value #BASE64_LINE} characters.
 */
public final class IrPrinter {
    /** Blobs with at most this many elements print their values inline. */
    public static final int INLINE_LIMIT = 16;

    /** Base64 characters per line of a resource (a multiple of 4; indented by 4 spaces). */
    static final int BASE64_LINE = 112;

    private IrPrinter() {}

    /**
     * @param elideBlobData print the blob table without the {@code resources} section (for
     *     humans and golden tests; such text cannot be parsed back into a runnable module)
     */
    public record Options(boolean elideBlobData) {
        public static final Options DEFAULT = new Options(false);
        public static final Options ELIDED = new Options(true);
    }

    public static String print(Module module) { return print(module, Options.DEFAULT); }

    public static String print(Module module, Options options) {
        StringBuilder sb = new StringBuilder();
        try {
            print(module, options, sb);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sb.toString();
    }

    /** Streams the text form, so that large blob sections need not be held as one string. */
    public static void print(Module module, Options options, Appendable out) throws IOException {
        out.append("module @").append(Attribute.symbolName(module.name()))
                .append(" stage ").append(module.stage().mnemonic()).append(" {\n");
        boolean anyResource = false;
        for (Blob b : module.blobs().all()) {
            out.append("  blob @").append(Attribute.symbolName(b.name())).append(" : ").append(b.type().text())
                    .append(" #").append(b.hash());
            if (isInline(b)) {
                out.append(" = [");
                appendValues(b, out);
                out.append(']');
            } else {
                anyResource = true;
            }
            out.append('\n');
        }
        Graph g = module.graph();
        String[] names = valueNames(g);
        for (Op op : g.ops()) {
            out.append("  ");
            appendOp(op, names, g, out);
            out.append('\n');
        }
        out.append("}\n");
        if (anyResource && !options.elideBlobData()) {
            out.append("\nresources {\n");
            for (Blob b : module.blobs().all()) {
                if (isInline(b)) continue;
                out.append("  @").append(Attribute.symbolName(b.name())).append(" = base64 \"");
                BlobData.appendBase64(b, "\n    ", BASE64_LINE, out);
                out.append("\"\n");
            }
            out.append("}\n");
        }
    }

    /**
     * One op in its one-line text form, without indentation or newline, with value names as in
     * the whole module's text; for messages and tools. Names the graph's values on every call
     * (linear in the graph), so print a whole module with {@link #print} instead of op by op.
     */
    public static String printOp(Op op, Graph graph) {
        StringBuilder sb = new StringBuilder();
        try {
            appendOp(op, valueNames(graph), graph, sb);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sb.toString();
    }

    private static void appendOp(Op op, String[] names, Graph g, Appendable out) throws IOException {
        List<Value> results = op.results();
        for (int i = 0; i < results.size(); i++) {
            out.append(i == 0 ? "%" : ", %").append(names[results.get(i).id()]);
        }
        if (!results.isEmpty()) out.append(" = ");
        out.append(op.kind().mnemonic());
        List<Value> operands = op.operands();
        if (!operands.isEmpty()) {
            out.append('(');
            for (int i = 0; i < operands.size(); i++) {
                if (i > 0) out.append(", ");
                int id = operands.get(i).id();
                out.append('%').append(id < names.length ? names[id] : "<invalid" + id + ">");
            }
            out.append(')');
        }
        if (op.attributes().size() > 0) out.append(' ').append(op.attributes().text());
        for (int i = 0; i < results.size(); i++) {
            out.append(i == 0 ? " : " : ", ").append(g.type(results.get(i)).text());
        }
        out.append(' ').append(op.location().text());
    }

    /**
     * The printed name of every value (without {@code %}): its name hint when that is an
     * identifier not taken by an earlier value, else the next number among unnamed values, in
     * print order.
     */
    static String[] valueNames(Graph g) {
        String[] names = new String[g.valueCount()];
        Set<String> used = new HashSet<>();
        int next = 0;
        for (Op op : g.ops()) {
            for (Value v : op.results()) {
                String hint = g.info(v).name();
                if (hint != null && isIdentifier(hint) && used.add(hint)) {
                    names[v.id()] = hint;
                } else {
                    names[v.id()] = Integer.toString(next++);
                }
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) names[i] = Integer.toString(next++); // values no op defines (malformed graph)
        }
        return names;
    }

    /** A name that prints bare: {@code [A-Za-z_][A-Za-z0-9_.$]*}, not ending in a dot. */
    static boolean isIdentifier(String s) {
        if (s.isEmpty() || !Lexer.isIdentStart(s.charAt(0)) || s.endsWith(".")) return false;
        for (int i = 1; i < s.length(); i++) if (!Lexer.isIdentPart(s.charAt(i))) return false;
        return true;
    }

    /** Small blobs print inline, unless a value has no exact text (a NaN with a payload). */
    static boolean isInline(Blob b) {
        if (b.size() > INLINE_LIMIT) return false;
        if (b.isFloat()) {
            for (float f : b.floats()) {
                if (Float.isNaN(f) && Float.floatToRawIntBits(f) != Float.floatToRawIntBits(Float.NaN)) return false;
            }
        }
        return true;
    }

    private static void appendValues(Blob b, Appendable out) throws IOException {
        for (int i = 0; i < b.size(); i++) {
            if (i > 0) out.append(", ");
            if (b.isFloat()) out.append(formatFloat(b.floats()[i]));
            else out.append(Integer.toString(b.ints()[i]));
        }
    }

    /**
     * A float in its shortest exact form (JDK {@link Float#toString}), written like
     * {@link Attribute#formatDouble}: {@code 0.1}, {@code 1.0e-05}, {@code 3.4028235e+38};
     * {@code nan}, {@code inf} and {@code -inf} for the special values.
     */
    public static String formatFloat(float v) {
        if (Float.isNaN(v)) return "nan";
        if (Float.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String s = Float.toString(v);
        int e = s.indexOf('E');
        if (e < 0) return s;
        int exp = Integer.parseInt(s.substring(e + 1));
        return s.substring(0, e) + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
