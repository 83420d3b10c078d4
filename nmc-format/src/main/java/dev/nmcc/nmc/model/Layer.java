package dev.nmcc.nmc.model;

import java.util.Objects;

/**
 * One node of the dataflow graph: the integer form of one {@code snn} op (docs/snn-semantics.md).
 *
 * @param index    its position in {@link NmcModel#layers()} (topological order)
 * @param name     a name for people: the IR value's name ({@code c1}) or {@code op N}
 * @param location where it came from ({@code file:line:col} of the DSL, or the ONNX node), or ""
 * @param inputs   indices of the layers it reads, all smaller than {@code index}
 * @param shape    its result's shape for one sample (neurons of a population, C-order)
 * @param op       what it computes, with its parameters
 */
public record Layer(int index, String name, String location, int[] inputs, int[] shape, LayerOp op) {
    public Layer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(op, "op");
    }

    /** Elements of the result (neurons, for a population). */
    public int size() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
