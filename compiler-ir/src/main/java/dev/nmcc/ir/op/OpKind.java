package dev.nmcc.ir.op;

import static dev.nmcc.ir.attr.AttrKind.ARRAY;
import static dev.nmcc.ir.attr.AttrKind.BLOB;
import static dev.nmcc.ir.attr.AttrKind.BOOL;
import static dev.nmcc.ir.attr.AttrKind.FLOAT;
import static dev.nmcc.ir.attr.AttrKind.INT;
import static dev.nmcc.ir.attr.AttrKind.STRING;
import static dev.nmcc.ir.op.AttrSpec.number;
import static dev.nmcc.ir.op.AttrSpec.numberOrBlob;
import static dev.nmcc.ir.op.AttrSpec.optional;
import static dev.nmcc.ir.op.AttrSpec.required;
import static dev.nmcc.ir.op.AttrSpec.scale;
import static dev.nmcc.ir.op.AttrSpec.symbol;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every op of every stage, with its schema: the stages that admit it, how many operands and
 * results it has, and its attributes in printing order. One generic {@link Op} shape serves all
 * of them; this table is what the builder, verifier, printer, parser and docs read.
 *
 * <p>Shapes never include the batch dimension: a dense layer's input is {@code tensor<784xf32>},
 * a convolution's {@code tensor<CxHxWxf32>}. Weight layouts follow PyTorch: dense
 * {@code [out, in]}, conv2d {@code [out, in, kh, kw]}.
 */
public enum OpKind {
    // ---- ann: the float network -------------------------------------------------------------
    ANN_INPUT("ann.input", Stages.ANN, 0, 0, 1, "A network input: one sample, without the batch dimension.",
            required("name", STRING, "the input's name"),
            optional("range", ARRAY, "[lo, hi] of the input values (default [0.0, 1.0])")),
    ANN_CONST("ann.const", Stages.ANN, 0, 0, 1, "A constant tensor from the blob table.",
            required("value", BLOB, "the constant")),
    ANN_DENSE("ann.dense", Stages.ANN, 1, 1, 1, "Fully connected layer: y = W x + b.",
            required("units", INT, "number of outputs"),
            required("weight", BLOB, "weights, shape [units, in]"),
            optional("bias", BLOB, "bias, shape [units] (default none)")),
    ANN_CONV2D("ann.conv2d", Stages.ANN, 1, 1, 1, "2-D convolution (cross-correlation, groups = 1) on [C, H, W].",
            required("out_channels", INT, "number of output channels"),
            required("kernel", ARRAY, "[kh, kw]"),
            optional("stride", ARRAY, "[sh, sw] (default [1, 1])"),
            optional("pad", ARRAY, "[top, left, bottom, right] zero padding (default [0, 0, 0, 0])"),
            required("weight", BLOB, "weights, shape [out_channels, in_channels, kh, kw]"),
            optional("bias", BLOB, "bias, shape [out_channels] (default none)")),
    ANN_BATCHNORM("ann.batchnorm", Stages.ANN, 1, 1, 1,
            "Batch normalisation over dimension 0: y = gamma (x - mean) / sqrt(var + epsilon) + beta.",
            required("gamma", BLOB, "scale, shape [C]"),
            required("beta", BLOB, "shift, shape [C]"),
            required("mean", BLOB, "running mean, shape [C]"),
            required("var", BLOB, "running variance, shape [C]"),
            optional("epsilon", FLOAT, "added to the variance (default 1.0e-05)")),
    ANN_RELU("ann.relu", Stages.ANN, 1, 1, 1, "y = max(x, 0)."),
    ANN_AVGPOOL("ann.avgpool", Stages.ANN, 1, 1, 1, "Average pooling on [C, H, W].",
            required("kernel", ARRAY, "[kh, kw]"),
            optional("stride", ARRAY, "[sh, sw] (default: the kernel)"),
            optional("pad", ARRAY, "[top, left, bottom, right] (default [0, 0, 0, 0])"),
            optional("count_include_pad", BOOL, "divide by the whole window, padding included (default false)")),
    ANN_MAXPOOL("ann.maxpool", Stages.ANN, 1, 1, 1, "Max pooling on [C, H, W]; padding is -inf.",
            required("kernel", ARRAY, "[kh, kw]"),
            optional("stride", ARRAY, "[sh, sw] (default: the kernel)"),
            optional("pad", ARRAY, "[top, left, bottom, right] (default [0, 0, 0, 0])")),
    ANN_GLOBAL_AVGPOOL("ann.global_avgpool", Stages.ANN, 1, 1, 1, "Mean over H and W: [C, H, W] -> [C, 1, 1]."),
    ANN_FLATTEN("ann.flatten", Stages.ANN, 1, 1, 1, "Reshape to rank 1 in C order."),
    ANN_RESHAPE("ann.reshape", Stages.ANN, 1, 1, 1, "Reshape in C order; the element count is kept.",
            required("shape", ARRAY, "the new dimensions")),
    ANN_ADD("ann.add", Stages.ANN, 2, 2, 1, "Elementwise sum of two tensors of the same type (residual connections)."),
    ANN_CONCAT("ann.concat", Stages.ANN, 2, -1, 1, "Concatenation along one dimension.",
            optional("axis", INT, "the dimension (default 0)")),
    ANN_DROPOUT("ann.dropout", Stages.ANN, 1, 1, 1, "Identity at inference; kept so that analysis can report it.",
            optional("rate", FLOAT, "the training drop rate (default 0.5)")),
    ANN_IDENTITY("ann.identity", Stages.ANN, 1, 1, 1, "y = x."),
    ANN_OUTPUT("ann.output", Stages.ANN, 1, 1, 0, "A network output.",
            required("name", STRING, "the output's name")),

    // ---- snn: spiking populations and projections (also admitted in hw) ---------------------
    SNN_INPUT("snn.input", Stages.SNN_HW, 0, 0, 1, "A network input (analog values, one sample).",
            required("name", STRING, "the input's name"),
            optional("range", ARRAY, "[lo, hi] of the input values (default [0.0, 1.0])")),
    SNN_ENCODE("snn.encode", Stages.SNN_HW, 1, 1, 1,
            "Input encoding. direct: the analog value is injected as current every timestep (result: tensor). "
                    + "rate: Bernoulli spikes with probability x per timestep (result: spikes).",
            symbol("mode", true, List.of("direct", "rate"), "direct or rate"),
            optional("input_scale", INT, "hw only: direct input is quantized as round(input_scale * x) (255 for 8 bits)")),
    SNN_DENSE("snn.dense", Stages.SNN_HW, 1, 1, 1,
            "Dense synaptic projection: current = W s + b, per timestep.",
            required("units", INT, "number of target neurons"),
            required("weight", BLOB, "weights, shape [units, in]; f32, or integers when quantized"),
            optional("bias", BLOB, "bias current per timestep, shape [units]"),
            scale("weight_scale", false, "quantized weights only: real weight = integer * scale (float or per-channel blob)")),
    SNN_CONV2D("snn.conv2d", Stages.SNN_HW, 1, 1, 1, "Convolutional synaptic projection on [C, H, W].",
            required("out_channels", INT, "number of output channels"),
            required("kernel", ARRAY, "[kh, kw]"),
            optional("stride", ARRAY, "[sh, sw] (default [1, 1])"),
            optional("pad", ARRAY, "[top, left, bottom, right] (default [0, 0, 0, 0])"),
            required("weight", BLOB, "weights, shape [out_channels, in_channels, kh, kw]"),
            optional("bias", BLOB, "bias current per timestep, shape [out_channels]"),
            scale("weight_scale", false, "quantized weights only: real weight = integer * scale")),
    SNN_AVGPOOL("snn.avgpool", Stages.SNN_HW, 1, 1, 1,
            "Pooling projection with one fixed weight per window: current = weight * (sum of spikes in the window).",
            required("kernel", ARRAY, "[kh, kw]"),
            optional("stride", ARRAY, "[sh, sw] (default: the kernel)"),
            optional("pad", ARRAY, "[top, left, bottom, right] (default [0, 0, 0, 0])"),
            number("weight", false, "the weight of every synapse (default 1 / (kh * kw))")),
    SNN_MAXPOOL("snn.maxpool", Stages.SNN_HW, 1, 1, 1,
            "Spiking approximation of max pooling: a window spikes when any input in it spikes (OR).",
            required("kernel", ARRAY, "[kh, kw]"),
            optional("stride", ARRAY, "[sh, sw] (default: the kernel)"),
            optional("pad", ARRAY, "[top, left, bottom, right] (default [0, 0, 0, 0])")),
    SNN_FLATTEN("snn.flatten", Stages.SNN_HW, 1, 1, 1, "Reshape spikes or currents to rank 1 (free: no hardware)."),
    SNN_RESHAPE("snn.reshape", Stages.SNN_HW, 1, 1, 1, "Reshape spikes or currents (free: no hardware).",
            required("shape", ARRAY, "the new dimensions")),
    SNN_MERGE("snn.merge", Stages.SNN_HW, 2, -1, 1, "Sum of several projections' currents into one population."),
    SNN_IF("snn.if", Stages.SNN_HW, 1, 1, 1,
            "Integrate-and-fire population: v <- v + I(t); if v >= threshold: spike, "
                    + "v <- v - threshold (reset = subtract) or v <- 0 (reset = zero).",
            numberOrBlob("threshold", true, "firing threshold (> 0); a blob of shape [C] gives one per channel (dimension 0)"),
            numberOrBlob("v0", false, "initial membrane potential (default 0); a blob of shape [C]: one per channel"),
            symbol("reset", false, List.of("subtract", "zero"), "reset mode (default subtract)"),
            optional("v_bits", INT, "hw: membrane potential width in bits; saturates (default 32)")),
    SNN_LIF("snn.lif", Stages.SNN_HW, 1, 1, 1,
            "Leaky integrate-and-fire population: v <- leak * v + I(t) (snn), "
                    + "v <- v - (v >> leak_shift) + I(t) (hw); then fire and reset as snn.if.",
            numberOrBlob("threshold", true, "firing threshold (> 0); a blob of shape [C] gives one per channel (dimension 0)"),
            optional("leak", FLOAT, "snn: decay factor per timestep in (0, 1]"),
            optional("leak_shift", INT, "hw: decay v >> leak_shift per timestep, 0..31"),
            numberOrBlob("v0", false, "initial membrane potential (default 0); a blob of shape [C]: one per channel"),
            symbol("reset", false, List.of("subtract", "zero"), "reset mode (default subtract)"),
            optional("v_bits", INT, "hw: membrane potential width in bits; saturates (default 32)")),
    SNN_DECODE("snn.decode", Stages.SNN_HW, 1, 1, 1,
            "Output decoding. count: spike counts over T timesteps (operand: spikes). "
                    + "potential: a non-firing integrator whose potential after T timesteps is the logit (operand: current).",
            symbol("mode", true, List.of("count", "potential"), "count or potential")),
    SNN_OUTPUT("snn.output", Stages.SNN_HW, 1, 1, 0, "A network output.",
            required("name", STRING, "the output's name")),

    // ---- hw: mapping annotations ------------------------------------------------------------
    HW_CORE_SLICE("hw.core_slice", Stages.HW_ONLY, 1, 1, 0,
            "Neurons [start, end) of a population placed on one core (NPU).",
            required("id", INT, "core slice id, unique in the module"),
            required("core", ARRAY, "[chip, node, npu] coordinates"),
            required("neurons", ARRAY, "[start, end) of the population's flattened neuron index"),
            optional("synapse_bytes", INT, "synapse memory used on the core"),
            symbol("wake", false, List.of("always", "on_spike"), "always awake, or asleep until an input event (default always)"),
            optional("wake_sources", ARRAY, "ids of the core slices whose spikes wake this one"),
            optional("idle_timeout", INT, "cycles without input before the core sleeps again")),
    HW_ROUTE("hw.route", Stages.HW_ONLY, 1, 1, 0,
            "Routing of a projection's input spikes from one core slice to others.",
            required("src", INT, "source core slice id"),
            required("dst", ARRAY, "destination core slice ids"),
            optional("hops", INT, "mesh hops, summed over destinations"));

    private final String mnemonic;
    private final Set<Stage> stages;
    private final int minOperands;
    private final int maxOperands;
    private final int results;
    private final String summary;
    private final List<AttrSpec> attributes;

    OpKind(String mnemonic, Set<Stage> stages, int minOperands, int maxOperands, int results, String summary,
           AttrSpec... attributes) {
        this.mnemonic = mnemonic;
        this.stages = stages;
        this.minOperands = minOperands;
        this.maxOperands = maxOperands;
        this.results = results;
        this.summary = summary;
        this.attributes = List.of(attributes);
    }

    /** The name in the text form, such as {@code ann.conv2d}. */
    public String mnemonic() { return mnemonic; }

    public Set<Stage> stages() { return stages; }

    public boolean admittedIn(Stage stage) { return stages.contains(stage); }

    public int minOperands() { return minOperands; }

    /** Largest operand count, or -1 for any number. */
    public int maxOperands() { return maxOperands; }

    /** Number of results: 0 (outputs, annotations) or 1. */
    public int resultCount() { return results; }

    public String summary() { return summary; }

    /** The attribute schema in printing order. */
    public List<AttrSpec> attributes() { return attributes; }

    public AttrSpec attribute(String name) {
        for (AttrSpec a : attributes) if (a.name().equals(name)) return a;
        return null;
    }

    /** Inputs declare their type; every other op's result type follows from operands and attributes. */
    public boolean declaresResultType() { return this == ANN_INPUT || this == SNN_INPUT; }

    public boolean isInput() { return this == ANN_INPUT || this == SNN_INPUT; }

    public boolean isOutput() { return this == ANN_OUTPUT || this == SNN_OUTPUT; }

    public static OpKind fromMnemonic(String s) {
        for (OpKind k : values()) if (k.mnemonic.equals(s)) return k;
        return null;
    }

    private static final class Stages {
        static final Set<Stage> ANN = EnumSet.of(Stage.ANN);
        static final Set<Stage> SNN_HW = EnumSet.of(Stage.SNN, Stage.HW);
        static final Set<Stage> HW_ONLY = EnumSet.of(Stage.HW);
    }
}
