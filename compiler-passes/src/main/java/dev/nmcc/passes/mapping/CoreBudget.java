package dev.nmcc.passes.mapping;

import dev.nmcc.backend.target.Target;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.passes.mapping.NetworkLayers.Input;
import dev.nmcc.passes.mapping.NetworkLayers.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What one layer needs of a core, and how it is cut into core slices. Every memory formula of the
 * mapper is here, once (docs/mapping.md repeats them):
 *
 * <pre>
 * bytes(slice [s, e)) = Σ_inputs  input_bytes(s, e)  +  (e − s) · state_bytes
 *   dense input   (rows sliced):  (e − s) · ceil(fan_in · bits / 8)          each neuron's weight row
 *   conv input    (filters):      channels(s, e) · ceil(C_in · kh · kw · bits / 8)
 *                                 the filters of the output channels the slice touches, once per core
 *                                 (channels(s, e) = (e − 1) / (H·W) − s / (H·W) + 1)
 *   other weighted (not adjacent to the layer): ceil(weight entries · bits / 8), whole, on every core
 *   pooling-only input:           0 (one shared weight register)
 *   state_bytes = ceil(membrane_bits / 8)                                    one membrane potential per neuron
 * fits(s, e)  ⇔  e − s ≤ npu.neurons  ∧  bytes(s, e) ≤ npu.synapse_memory_bytes
 * </pre>
 *
 * Slicing is greedy: each slice is extended as far as {@code fits} allows (binary search; bytes is
 * monotone in e), which gives the fewest contiguous slices; if the same number of slices of equal
 * size also fits, those are used instead (equal work per core). The lower bound of a layer is
 * {@code max(ceil(n / k_max), ceil(bytes(0, n) / npu.synapse_memory_bytes))} with {@code k_max}
 * the most neurons one slice can hold ({@link #lowerBound()}).
 */
public final class CoreBudget {
    /** How one input's weights are stored. */
    enum Storage { ROWS, FILTERS, WHOLE, NONE }

    /** One input's storage: {@code unitBytes} per row, per filter, or in all. */
    record InputCost(Storage storage, long unitBytes, int channelSize, int bits) {}

    private final Target target;
    private final Layer layer;
    private final List<InputCost> costs = new ArrayList<>();
    private final long stateBytes;
    private final long fanIn;

    /**
     * Checks the layer against the target's weight widths and fan-in limit (located errors naming
     * the layer) and prepares its memory formula.
     */
    public CoreBudget(Target target, NetworkLayers net, Layer layer) {
        this.target = target;
        this.layer = layer;
        this.stateBytes = ceilDiv(target.npu().membraneBits(), 8);
        long fan = 0;
        for (Input in : layer.inputs()) {
            checkLayerLimits(target, net, layer, in);
            fan += NetworkLayers.fanIn(in);
            Op w = in.weighted();
            if (w == null) {
                costs.add(new InputCost(Storage.NONE, 0, 1, 0));
                continue;
            }
            int bits = net.weightBits(layer, w);
            if (!target.npu().supportsWeightBits(bits)) {
                throw NetworkLayers.error(w, "layer '" + layer.name() + "' has " + bits + "-bit weights, which target '"
                        + target.name() + "' does not support (supported: " + widths(target) + " bits)");
            }
            NetworkLayers.Step step = NetworkLayers.stepOf(in, w);
            boolean adjacent = step.outShape().elementCount() == layer.neurons();
            long inSize = NetworkLayers.fanIn(in);
            if (adjacent && w.kind() == OpKind.SNN_DENSE) {
                costs.add(new InputCost(Storage.ROWS, ceilDiv(inSize * bits, 8), 1, bits));
            } else if (adjacent && w.kind() == OpKind.SNN_CONV2D) {
                int hw = step.outShape().dim(1) * step.outShape().dim(2);
                costs.add(new InputCost(Storage.FILTERS, ceilDiv(inSize * bits, 8), hw, bits));
            } else {
                costs.add(new InputCost(Storage.WHOLE, ceilDiv(net.synapses(in) * bits, 8), 1, bits));
            }
        }
        this.fanIn = fan;
        if (fan > target.npu().maxFanIn()) {
            throw NetworkLayers.error(layer.op(), "layer '" + layer.name() + "' has a fan-in of " + fan
                    + " synapses per neuron, more than the " + target.npu().maxFanIn() + " that target '" + target.name()
                    + "' allows (max_fan_in)");
        }
    }

    /**
     * The target's per-layer limits (docs/targets.md, {@code layers}): square convolution kernels
     * and strides from the allowed sets (the input sets for a convolution reading the network
     * input, which must also have an allowed channel count and width), max-pooling windows from
     * {@code max_pool_sizes}.
     */
    static void checkLayerLimits(Target target, NetworkLayers net, Layer layer, Input in) {
        var lim = target.layers();
        boolean onInput = in.fromNetworkInput();
        for (NetworkLayers.Step st : in.steps()) {
            Op op = st.op();
            int[] w = NetworkLayers.window(op);
            if (op.kind() == OpKind.SNN_CONV2D) {
                if (w[0] != w[1] || w[2] != w[3]) {
                    throw NetworkLayers.error(op, "layer '" + layer.name() + "' has a " + w[0] + "x" + w[1] + " convolution with stride "
                            + w[2] + "x" + w[3] + "; target '" + target.name() + "' supports square kernels and strides only");
                }
                if (!lim.allowsConv(w[0], w[2], onInput)) {
                    throw NetworkLayers.error(op, "layer '" + layer.name() + "' has a " + w[0] + "x" + w[0] + " convolution with stride " + w[2]
                            + (onInput ? " on the network input" : "") + ", which target '" + target.name() + "' does not support ("
                            + (onInput ? "input convolutions: kernels " + list(lim.inputConvKernelSizes()) + ", strides " + list(lim.inputConvStrides())
                                    : "convolutions: kernels " + list(lim.convKernelSizes()) + ", strides " + list(lim.convStrides())) + ")");
                }
                if (onInput) {
                    int c = st.inShape().dim(0), width = st.inShape().dim(2);
                    if (!lim.inputChannels().contains(c)) {
                        throw NetworkLayers.error(op, "layer '" + layer.name() + "' reads an input of " + c + " channels; target '" + target.name()
                                + "' accepts " + list(lim.inputChannels()) + " input channels");
                    }
                    if (width > lim.inputMaxWidth()) {
                        throw NetworkLayers.error(op, "layer '" + layer.name() + "' reads an input " + width + " pixels wide; target '"
                                + target.name() + "' accepts at most " + lim.inputMaxWidth());
                    }
                }
                onInput = false;
            } else if (op.kind() == OpKind.SNN_MAXPOOL) {
                if (w[0] != w[1] || !lim.maxPoolSizes().contains(w[0])) {
                    throw NetworkLayers.error(op, "layer '" + layer.name() + "' reads a " + w[0] + "x" + w[1] + " max pooling, which target '"
                            + target.name() + "' does not support (max pooling: " + list(lim.maxPoolSizes()) + ")");
                }
            } else if (op.kind() == OpKind.SNN_DENSE) {
                onInput = false;
            }
        }
    }

    private static String list(List<Integer> v) { return v.stream().map(String::valueOf).collect(Collectors.joining(", ")); }

    static String widths(Target t) {
        return t.npu().weightBits().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    static long ceilDiv(long a, long b) { return (a + b - 1) / b; }

    public Layer layer() { return layer; }

    /** Synapses into one neuron, over all inputs. */
    public long fanIn() { return fanIn; }

    /** The weight bit width of the layer's widest weighted input (0 when it has none). */
    public int weightBits() {
        int b = 0;
        for (InputCost c : costs) b = Math.max(b, c.bits());
        return b;
    }

    /** Synapse memory in bytes of a slice of neurons [start, end): the formula in the class comment. */
    public long bytes(int start, int end) {
        long n = end - start;
        long total = n * stateBytes;
        for (InputCost c : costs) {
            total += switch (c.storage()) {
                case ROWS -> n * c.unitBytes();
                case FILTERS -> ((long) (end - 1) / c.channelSize() - start / c.channelSize() + 1) * c.unitBytes();
                case WHOLE -> c.unitBytes();
                case NONE -> 0;
            };
        }
        return total;
    }

    /** Whether neurons [start, end) fit on one NPU: the neuron limit and the synapse memory. */
    public boolean fits(int start, int end) {
        return end - start <= target.npu().neurons() && bytes(start, end) <= target.npu().synapseMemoryBytes();
    }

    /**
     * The fewest slices memory and neuron limits force, whatever the slicing:
     * {@code max(ceil(n / k_max), ceil(bytes(0, n) / M))}, where {@code k_max} is the most neurons
     * any one slice can hold (the largest k with fits(0, k): a slice starting on a channel boundary
     * touches the fewest filters, so no other k-neuron slice is cheaper), and {@code bytes(0, n)}
     * stores every row or filter once.
     */
    public int lowerBound() {
        int n = layer.neurons();
        if (!fits(0, 1)) return 1;
        int lo = 1, hi = n;
        while (lo < hi) {
            int mid = lo + (hi - lo + 1) / 2;
            if (fits(0, mid)) lo = mid; else hi = mid - 1;
        }
        long byNeurons = ceilDiv(n, lo);
        long byMemory = ceilDiv(bytes(0, n), target.npu().synapseMemoryBytes());
        return (int) Math.max(1, Math.max(byNeurons, byMemory));
    }

    /** Neuron ranges {start, end} of the layer's slices, in order (see the class comment). */
    public List<int[]> slices() {
        int n = layer.neurons();
        if (!fits(0, 1)) {
            throw NetworkLayers.error(layer.op(), "layer '" + layer.name() + "' cannot be placed: one neuron needs "
                    + bytes(0, 1) + " bytes of synapse memory (fan-in " + fanIn + "), more than the "
                    + target.npu().synapseMemoryBytes() + " bytes of one NPU of target '" + target.name() + "'");
        }
        List<int[]> greedy = new ArrayList<>();
        int start = 0;
        while (start < n) {
            int lo = start + 1, hi = n; // fits(start, lo) holds; find the largest end that fits
            while (lo < hi) {
                int mid = lo + (hi - lo + 1) / 2;
                if (fits(start, mid)) lo = mid; else hi = mid - 1;
            }
            greedy.add(new int[] {start, lo});
            start = lo;
        }
        int k = greedy.size();
        List<int[]> equal = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int s = (int) ((long) n * i / k), e = (int) ((long) n * (i + 1) / k);
            if (!fits(s, e)) return greedy;
            equal.add(new int[] {s, e});
        }
        return equal;
    }
}
