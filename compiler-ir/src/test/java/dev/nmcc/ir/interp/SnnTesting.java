package dev.nmcc.ir.interp;

import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.verify.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Helpers of the SNN interpreter tests: modules from text, batches, spike rasters. */
final class SnnTesting {
    private SnnTesting() {}

    /** Parses and verifies a module written as {@code .nmir} text. */
    static Module parse(String text) {
        Module m = IrParser.parse(text, "test.nmir");
        Verifier.verifyOrThrow(m, "test module");
        return m;
    }

    static Batch batch(Shape shape, float... values) {
        return new Batch(values.length / shape.elementCount(), shape, values);
    }

    /** The value with name hint {@code name}. */
    static Value value(Module m, String name) {
        Graph g = m.graph();
        for (int v = 0; v < g.valueCount(); v++) {
            if (g.name(new Value(v)).orElse("").equals(name)) return new Value(v);
        }
        throw new IllegalArgumentException("no value %" + name);
    }

    /** Spike raster of value {@code name}, sample 0: for every timestep, the indices that spiked. */
    static List<int[]> raster(Module m, String name, Batch in, int timesteps, long seed) {
        Value v = value(m, name);
        Map<Integer, int[]> byT = new ConcurrentHashMap<>();
        SnnInterpreter interp = new SnnInterpreter(m);
        interp.run(Map.of(interp.inputShapes().keySet().iterator().next(), in), timesteps, seed, 0, (val, sample, t, idx, count) -> {
            if (val.equals(v) && sample == 0) byT.put(t, java.util.Arrays.copyOf(idx, count));
        });
        List<int[]> out = new ArrayList<>();
        for (int t = 0; t < timesteps; t++) out.add(byT.getOrDefault(t, new int[0]));
        return out;
    }

    /** The timesteps at which element {@code i} of value {@code name} spiked (sample 0). */
    static List<Integer> spikeTimes(Module m, String name, Batch in, int timesteps, int i) {
        List<int[]> r = raster(m, name, in, timesteps, 0);
        List<Integer> times = new ArrayList<>();
        for (int t = 0; t < timesteps; t++) for (int k : r.get(t)) if (k == i) times.add(t);
        return times;
    }

    static String floats(float[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : ", ").append(Float.toString(a[i]).replace("E", "e"));
        return sb.append(']').toString();
    }

    static String ints(int[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : ", ").append(a[i]);
        return sb.append(']').toString();
    }
}
