package dev.nmcc.nmc.model;

import java.util.List;
import java.util.Objects;

/**
 * A whole compiled network as stored in one {@code .nmc} file.
 *
 * @param header     format version, producer, module name (the checksum lives in the file, not here)
 * @param target     the chip the network was mapped on: geometry, cycle model, energy model
 * @param io         inputs, outputs, default timesteps and rate-encoding seed
 * @param layers     the dataflow graph in topological order; {@code layers.get(i).index() == i}
 * @param slices     core slices (populations and potential decoders placed on NPUs), by id;
 *                   {@code slices.get(i).id() == i}
 * @param synapses   weight blocks of the dense and conv2d layers, ordered by (projection, first)
 * @param routes     which slice's spikes go to which slices, ordered by source slice
 * @param reportJson the compile report as JSON (metadata for people and scripts; "" when absent)
 */
public record NmcModel(Header header, TargetSpec target, IoSpec io, List<Layer> layers, List<CoreSlice> slices,
                       List<SynapseBlock> synapses, List<Route> routes, String reportJson) {
    public NmcModel {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(io, "io");
        layers = List.copyOf(layers);
        slices = List.copyOf(slices);
        synapses = List.copyOf(synapses);
        routes = List.copyOf(routes);
        Objects.requireNonNull(reportJson, "reportJson");
    }

    /** Total packed weight bytes of every synapse block. */
    public long weightBytes() {
        long n = 0;
        for (SynapseBlock b : synapses) n += b.packed().length;
        return n;
    }
}
