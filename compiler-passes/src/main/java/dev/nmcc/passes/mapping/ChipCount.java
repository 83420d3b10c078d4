package dev.nmcc.passes.mapping;

/**
 * How many chips the driver's {@code --chips} asks {@code allocate-cores} for, when the pipeline
 * does not say ({@code allocate-cores{chips=...}} in {@code --passes}): a positive count, or
 * {@code auto} for as few as the network needs. Carried in the pass context.
 *
 * @param value "auto" or a positive integer, as given
 */
public record ChipCount(String value) {
    public ChipCount {
        if (!value.equals("auto") && !value.matches("[1-9][0-9]{0,5}")) {
            throw new IllegalArgumentException("--chips takes a positive number of chips or 'auto', got '" + value + "'");
        }
    }
}
