package dev.nmcc.driver.api;

import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.mapping.MappingReport;
import java.util.List;

/**
 * The compile report as stored in an .nmc file (Body.report_json, shown by {@code nmcc inspect}):
 * <pre>{"report": ["line", ...], "mapping": {...} | null}</pre>
 * {@code report} holds the lines the passes reported (what {@code nmcc compile} prints),
 * {@code mapping} the allocate-cores report ({@code --report-json}'s content). Deterministic: no
 * times, no paths beyond what the passes print.
 */
public final class CompileReportJson {
    private CompileReportJson() {}

    public static String of(PassContext context) {
        return of(context.reportLines(), context.get(MappingReport.class).map(MappingReport::json).orElse(null));
    }

    /** @param mappingJson a JSON object, or null */
    public static String of(List<String> lines, String mappingJson) {
        StringBuilder sb = new StringBuilder("{\"report\": [");
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) sb.append(", ");
            quote(sb, lines.get(i));
        }
        sb.append("], \"mapping\": ").append(mappingJson == null ? "null" : mappingJson.strip()).append('}');
        return sb.toString();
    }

    /** A JSON string literal. */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
