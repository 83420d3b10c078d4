package dev.nmcc.passes;

/**
 * A mistake in a pipeline string (or in pipeline-related options such as {@code --stop-after}),
 * at a 0-based position in that string. This is a user error: the driver prints the message,
 * then the pipeline with a caret under the position ({@link #excerpt()}), and exits with 1.
 */
public final class PipelineException extends RuntimeException {
    private final String pipeline;
    private final int position;

    /**
     * @param pipeline the pipeline text the position refers to
     * @param position 0-based index into {@code pipeline}, or -1 when the error has no position
     */
    public PipelineException(String message, String pipeline, int position) {
        super(message, null, false, false);
        this.pipeline = pipeline;
        this.position = position;
    }

    public String pipeline() { return pipeline; }

    /** 0-based index into {@link #pipeline()}; -1 when the error is about the pipeline as a whole. */
    public int position() { return position; }

    /**
     * The pipeline and a caret under the position, each line indented by two spaces and ended by
     * a newline; empty when there is no position.
     */
    public String excerpt() {
        if (position < 0 || pipeline == null) return "";
        return "  " + pipeline + "\n  " + " ".repeat(Math.min(position, pipeline.length())) + "^\n";
    }

    /** {@code error: message} followed by the excerpt, as the driver prints it (with its own prefix). */
    public String render(String prefix) { return prefix + "error: " + getMessage() + "\n" + excerpt(); }
}
