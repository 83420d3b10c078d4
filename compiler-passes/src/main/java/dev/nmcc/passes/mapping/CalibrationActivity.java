package dev.nmcc.passes.mapping;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.interp.SnnStats;
import java.util.Arrays;
import java.util.Optional;

/**
 * The firing rates calibrate-thresholds measured when it ran the converted network on calibration
 * data (for its report), kept in the pass context so that allocate-cores weighs placement, SOPs
 * and energy by the calibrated rates without running the network a second time (issue 5: "expected
 * traffic from the calibrated firing rates"). They were measured before quantization; a pass in
 * between that changes the network's layers or neuron counts (eliminate-dead-neurons removing
 * neurons) makes them unusable, which {@link #profileFor} detects from the layer structure.
 *
 * @param profile the measured profile, in {@link NetworkLayers} order of the measured module
 * @param neurons the neuron count of each layer of the measured module
 * @param projections the number of projections (dense, conv2d, avgpool) of the measured module
 */
public record CalibrationActivity(ActivityProfile profile, int[] neurons, int projections) {
    /** The profile of a run of {@code module} (statistics {@code stats} on {@code input}). */
    public static CalibrationActivity of(Module module, SnnStats stats, Batch input, double defaultRate) {
        NetworkLayers net = NetworkLayers.of(module);
        boolean rate = "rate".equals(AllocateCores.encoding(net));
        ActivityProfile measured = ActivityProfile.fromStats(net, stats, input, rate, defaultRate);
        ActivityProfile p = new ActivityProfile(measured.layerRates(), defaultRate, measured.inputDensity(),
                "measured on " + stats.samples() + " calibration samples by calibrate-thresholds", measured.inputRates(),
                measured.projectionEvents());
        return new CalibrationActivity(p, neurons(net), projections(module));
    }

    /** The profile, when {@code module} has the layers and neurons it was measured on. */
    public Optional<ActivityProfile> profileFor(Module module) {
        NetworkLayers net = NetworkLayers.of(module);
        boolean same = Arrays.equals(neurons, neurons(net)) && projections == projections(module);
        return same ? Optional.of(profile) : Optional.empty();
    }

    private static int[] neurons(NetworkLayers net) {
        return net.layers().stream().mapToInt(NetworkLayers.Layer::neurons).toArray();
    }

    private static int projections(Module module) {
        return (int) module.graph().ops().stream().filter(op -> ActivityProfile.isProjection(op.kind())).count();
    }
}
