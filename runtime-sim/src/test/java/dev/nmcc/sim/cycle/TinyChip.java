package dev.nmcc.sim.cycle;

import dev.nmcc.nmc.model.CoreCoord;
import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.Encoding;
import dev.nmcc.nmc.model.Header;
import dev.nmcc.nmc.model.IoSpec;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Reset;
import dev.nmcc.nmc.model.Route;
import dev.nmcc.nmc.model.TargetSpec;
import java.util.ArrayList;
import java.util.List;

/** Hand-built models for the cycle model's tests: layers, slices and routes, no weights (the timer never reads them). */
final class TinyChip {
    final List<Layer> layers = new ArrayList<>();
    final List<CoreSlice> slices = new ArrayList<>();
    final List<Route> routes = new ArrayList<>();
    TargetSpec target;

    /**
     * A target: chips of rows × cols nodes of npus NPUs; 2 SOPs/cycle, 1 cycle per neuron update, 2 cycles per hop, 1 event per
     * cycle per link, chip links of 50 cycles and 0.5 events per cycle, wake latency 10; 100 MHz; 1 pJ/SOP, 2 pJ/update,
     * 3 pJ/hop, 100 pJ/chip hop; 50 µW awake, 5 µW asleep.
     */
    TinyChip(int chips, int rows, int cols, int npus) {
        target = new TargetSpec("tiny", chips, rows * cols, npus, rows, cols, 1000, 100_000, 20, 100.0, 2, 1, 2, 1.0, 50, 0.5, 10,
                1.0, 2.0, 3.0, 100.0, 50.0, 5.0);
    }

    int layer(String name, int[] inputs, int[] shape, LayerOp op) {
        int i = layers.size();
        layers.add(new Layer(i, name, "", inputs, shape, op));
        return i;
    }

    int input(int... shape) { return layer("x", new int[0], shape, new LayerOp.Input("x")); }

    int rate(int in) { return layer("enc", new int[] {in}, layers.get(in).shape(), new LayerOp.Encode(Encoding.RATE, 255)); }

    int direct(int in) { return layer("enc", new int[] {in}, layers.get(in).shape(), new LayerOp.Encode(Encoding.DIRECT, 255)); }

    int dense(int in, int units) { return layer("fc" + layers.size(), new int[] {in}, new int[] {units}, new LayerOp.Dense(units, 4, false)); }

    int conv(int in, int oc, dev.nmcc.nmc.model.Window w, int oh, int ow) {
        return layer("conv" + layers.size(), new int[] {in}, new int[] {oc, oh, ow}, new LayerOp.Conv2d(oc, w, 4, false));
    }

    int avgpool(int in, dev.nmcc.nmc.model.Window w, int oh, int ow) {
        return layer("pool" + layers.size(), new int[] {in}, new int[] {layers.get(in).shape()[0], oh, ow}, new LayerOp.AvgPool(w, 1));
    }

    int reshape(int in, int... shape) { return layer("view" + layers.size(), new int[] {in}, shape, new LayerOp.Reshape()); }

    int neurons(String name, int in) {
        return layer(name, new int[] {in}, layers.get(in).shape(), new LayerOp.Neurons(false, 0, Reset.SUBTRACT, 20));
    }

    int decoder(int in) { return layer("out", new int[] {in}, layers.get(in).shape(), new LayerOp.DecodePotential()); }

    /** A slice always awake. */
    int slice(int layer, int start, int end, int chip, int node, int npu) {
        return slice(layer, start, end, chip, node, npu, CoreSlice.Wake.ALWAYS);
    }

    /** A slice that sleeps after timeout idle cycles. */
    int sleepy(int layer, int start, int end, int chip, int node, int npu, long timeout) {
        return slice(layer, start, end, chip, node, npu, new CoreSlice.Wake(true, new int[0], timeout));
    }

    private int slice(int layer, int start, int end, int chip, int node, int npu, CoreSlice.Wake wake) {
        int id = slices.size();
        slices.add(new CoreSlice(id, layer, new CoreCoord(chip, node, npu), start, end, 0, new int[] {1}, new int[] {0}, 0, wake));
        return id;
    }

    void route(int src, int... dst) { routes.add(new Route(src, dst, 0)); }

    NmcModel model() {
        IoSpec io = new IoSpec(4, 0, List.of(), List.of());
        return new NmcModel(new Header(1, 0, "test", "tiny"), target, io, layers, slices, List.of(), routes, "");
    }

    static dev.nmcc.nmc.model.Window window(int k, int stride, int pad) {
        return new dev.nmcc.nmc.model.Window(k, k, stride, stride, pad, pad, pad, pad);
    }
}
