package dev.nmcc.ir.diag;

/** How bad a diagnostic is; errors make the command fail with exit code 1. */
public enum Severity {
    ERROR("error"), WARNING("warning"), NOTE("note"), REMARK("remark");

    private final String label;

    Severity(String label) { this.label = label; }

    public String label() { return label; }
}
