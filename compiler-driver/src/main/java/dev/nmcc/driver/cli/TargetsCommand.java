package dev.nmcc.driver.cli;

import dev.nmcc.backend.target.Target;
import dev.nmcc.backend.target.TargetJson;
import dev.nmcc.backend.target.TargetText;
import dev.nmcc.backend.target.Targets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nmcc targets [NAME|FILE] [--json]}: list the bundled targets, or print (and validate) one. */
@Command(name = "targets", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "List the bundled chip targets, or print and validate one.",
        description = {
            "Without TARGET: one row per bundled target (name, NPUs, total synapse memory, weight bits, clock, description).",
            "With TARGET (a bundled name such as akd1000, or the path of a .json target file): every field with its unit, "
                + "the derived totals and the source of each number. A file is validated first; an invalid one exits "
                + "with status 1 and every problem as a diagnostic. The format is described in docs/targets.md."})
public final class TargetsCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters(paramLabel = "TARGET", arity = "0..1", description = "A bundled target name or the path of a .json target file.")
    String target;

    @Option(names = "--json", description = "Print the target (or the list) as JSON: the target file format, canonical.")
    boolean json;

    public TargetsCommand(Context ctx) { this.ctx = ctx; }

    @Override public Integer call() {
        if (target == null) {
            if (json) {
                StringBuilder sb = new StringBuilder("[\n");
                var all = Targets.bundled();
                for (int i = 0; i < all.size(); i++) {
                    sb.append(TargetJson.write(all.get(i)).stripTrailing().indent(2).stripTrailing()).append(i + 1 < all.size() ? ",\n" : "\n");
                }
                ctx.out().print(sb.append("]\n"));
            } else {
                ctx.out().println("Bundled targets (nmcc targets NAME for the details; --target NAME or --target FILE to use one):");
                ctx.out().print(TargetText.table(Targets.bundled()));
            }
            return 0;
        }
        Target t = Targets.resolve(target);
        ctx.out().print(json ? TargetJson.write(t) : TargetText.describe(t));
        return 0;
    }
}
