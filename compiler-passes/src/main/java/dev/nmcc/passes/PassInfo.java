package dev.nmcc.passes;

import dev.nmcc.ir.op.Stage;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What the pass manager and {@code --list-passes} know of a pass: its pipeline name, a
 * one-line summary, the stages it accepts and the stage it produces, its options, and how to
 * build it from parsed options.
 *
 * @param produces the stage of the result, or null when the pass keeps the stage
 */
public record PassInfo(String name, String summary, Set<Stage> accepts, Stage produces, List<OptionSpec> options,
                       Function<PassOptions, Pass> factory) {
    public PassInfo {
        if (!name.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("bad pass name: " + name);
        accepts = Set.copyOf(accepts);
        options = List.copyOf(options);
    }

    public OptionSpec option(String optionName) {
        for (OptionSpec o : options) if (o.name().equals(optionName)) return o;
        return null;
    }

    /** The stage after this pass when the input is at {@code in}. */
    public Stage resultStage(Stage in) { return produces == null ? in : produces; }
}
