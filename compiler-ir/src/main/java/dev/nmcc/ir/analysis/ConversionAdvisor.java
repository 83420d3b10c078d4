package dev.nmcc.ir.analysis;

import dev.nmcc.ir.diag.Severity;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads an {@code ann} module before conversion and lists what will not convert cleanly, each
 * with a concrete suggestion (the pre-conversion report of {@code nmcc analyze}). Findings come
 * in program order. Rules:
 * <ul>
 *   <li>batchnorm not directly after a conv2d/dense (e.g. after the activation): cannot be folded;
 *   <li>maxpool: only approximated in spiking form;
 *   <li>dropout and identity: removed;
 *   <li>residual add: the merged population fires more;
 *   <li>concat and constant activations: not convertible (calibrate-thresholds refuses them);
 *   <li>a fan-in above the limit: more synapse memory per neuron than a core holds comfortably.
 * </ul>
 */
public final class ConversionAdvisor {
    /** Default fan-in above which a layer is flagged (synapses per neuron). */
    public static final long DEFAULT_MAX_FAN_IN = 4096;

    private ConversionAdvisor() {}

    public static List<ConversionAdvice> advise(Module module, long maxFanIn) {
        List<ConversionAdvice> out = new ArrayList<>();
        if (module.stage() != Stage.ANN) return out;
        Graph g = module.graph();
        for (Op op : g.ops()) {
            String subject = op.kind().mnemonic() + " " + op.location().describe();
            switch (op.kind()) {
                case ANN_BATCHNORM -> {
                    Op producer = g.definingOp(op.operand(0));
                    boolean foldable = (producer.kind() == OpKind.ANN_CONV2D || producer.kind() == OpKind.ANN_DENSE)
                            && g.users(op.operand(0)).size() == 1;
                    if (!foldable) {
                        out.add(new ConversionAdvice(Severity.ERROR, op.location(), subject,
                                "batch normalization after " + producer.kind().mnemonic() + " cannot be folded into a layer's weights",
                                "move the BatchNorm directly after its Conv2d/Linear (before the activation) and retrain"));
                    }
                }
                case ANN_AVGPOOL -> {
                    boolean padded = Arrays.stream(op.attributes().getInts("pad", new int[4])).anyMatch(p -> p > 0);
                    if (padded && !op.attributes().getBool("count_include_pad", false)) {
                        out.add(new ConversionAdvice(Severity.WARNING, op.location(), subject,
                                "padded average pooling without count_include_pad divides border windows by their valid inputs, "
                                        + "but its spiking form divides every window by the whole kernel",
                                "pool with count_include_pad=True (PyTorch's default) or without padding, and retrain"));
                    }
                }
                case ANN_MAXPOOL -> out.add(new ConversionAdvice(Severity.WARNING, op.location(), subject,
                        "max pooling has no exact spiking form and is approximated (a window spikes when any input spikes)",
                        "replace MaxPool2d with AvgPool2d and retrain for the best conversion accuracy"));
                case ANN_DROPOUT -> out.add(new ConversionAdvice(Severity.NOTE, op.location(), subject,
                        "dropout is the identity at inference and is removed", "nothing to do"));
                case ANN_IDENTITY -> out.add(new ConversionAdvice(Severity.NOTE, op.location(), subject,
                        "identity is removed", "nothing to do"));
                case ANN_ADD -> out.add(new ConversionAdvice(Severity.NOTE, op.location(), subject,
                        "the residual add becomes one population fed by two projections, which raises its firing rate",
                        "expect more synaptic operations there; calibrate with representative data"));
                case ANN_CONCAT -> out.add(new ConversionAdvice(Severity.ERROR, op.location(), subject,
                        "concatenation has no spiking form yet (calibrate-thresholds refuses it)",
                        "feed the branches into one layer as a sum (add) instead of torch.cat, or keep the model in float (run-float)"));
                case ANN_CONST -> out.add(new ConversionAdvice(Severity.ERROR, op.location(), subject,
                        "a constant tensor used as an activation has no spiking form (calibrate-thresholds refuses it)",
                        "fold the constant into the next layer's bias before export"));
                case ANN_DENSE, ANN_CONV2D -> {
                    long fanIn = fanIn(g, op);
                    if (fanIn > maxFanIn) {
                        out.add(new ConversionAdvice(Severity.WARNING, op.location(), subject,
                                String.format(Locale.ROOT, "fan-in of %,d synapses per neuron exceeds %,d", fanIn, maxFanIn),
                                "its weights are split over several cores; reduce the input size (pooling, a smaller layer) to save memory and routing"));
                    }
                }
                default -> { }
            }
        }
        return out;
    }

    /** Synapses per output neuron of a dense or conv layer. */
    public static long fanIn(Graph g, Op op) {
        var in = g.type(op.operand(0)).shape();
        return switch (op.kind()) {
            case ANN_DENSE, SNN_DENSE -> in.elementCountExact();
            case ANN_CONV2D, SNN_CONV2D -> {
                int[] k = op.attributes().getInts("kernel", new int[] {1, 1});
                yield (long) in.dim(0) * k[0] * k[1];
            }
            case ANN_AVGPOOL, ANN_MAXPOOL, SNN_AVGPOOL, SNN_MAXPOOL -> {
                int[] k = op.attributes().getInts("kernel", new int[] {1, 1});
                yield (long) k[0] * k[1];
            }
            case ANN_GLOBAL_AVGPOOL -> (long) in.dim(1) * in.dim(2);
            default -> 0;
        };
    }
}
