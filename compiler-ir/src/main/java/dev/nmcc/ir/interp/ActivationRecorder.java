package dev.nmcc.ir.interp;

import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An {@link ActivationObserver} that keeps chosen values of every sample as {@link Batch}es: to
 * compare intermediate activations with another framework layer by layer, or to look at them.
 * Memory is {@code samples × size} floats per recorded value, allocated up front.
 *
 * <p>Thread-safe without locks: each (value, sample) is written once into its own region of a
 * preallocated array, and {@code run} returning makes all writes visible to its caller. Use one
 * recorder per run; values not asked for are ignored.
 */
public final class ActivationRecorder implements ActivationObserver {
    private final Graph graph;
    private final int samples;
    private final float[][] data;

    /** Records {@code values} of a run of {@code samples} samples of {@code graph}. */
    public ActivationRecorder(Graph graph, int samples, Collection<Value> values) {
        this.graph = graph;
        this.samples = samples;
        this.data = new float[graph.valueCount()][];
        for (Value v : values) {
            data[v.id()] = new float[Math.multiplyExact(samples, graph.type(v).shape().elementCount())];
        }
    }

    /** Records every op result of {@code graph}. */
    public static ActivationRecorder all(Graph graph, int samples) {
        List<Value> values = new ArrayList<>();
        graph.ops().forEach(op -> values.addAll(op.results()));
        return new ActivationRecorder(graph, samples, values);
    }

    @Override public void observe(Value value, int sample, float[] src, int offset, int length) {
        float[] dst = data[value.id()];
        if (dst != null) System.arraycopy(src, offset, dst, sample * length, length);
    }

    /** The recorded samples of v (after the run has returned). */
    public Batch get(Value v) {
        float[] d = v.id() < data.length ? data[v.id()] : null;
        if (d == null) throw new IllegalArgumentException(v + " was not recorded");
        return new Batch(samples, graph.type(v).shape(), d);
    }
}
