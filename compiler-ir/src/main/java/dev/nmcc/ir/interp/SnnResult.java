package dev.nmcc.ir.interp;

import dev.nmcc.ir.type.Shape;
import java.util.List;

/**
 * What an {@link SnnInterpreter} run gives: the decoded outputs of every sample, the predicted
 * class of every sample per output, and the activity statistics.
 */
public record SnnResult(int samples, int timesteps, List<Output> outputs, SnnStats stats) {
    public SnnResult {
        outputs = List.copyOf(outputs);
    }

    /** How an output was decoded. */
    public enum Decoding { COUNT, POTENTIAL }

    /**
     * One output: {@code values[s · size + i]} is element i of sample s after T timesteps —
     * spike counts ({@code COUNT}) or accumulated potentials ({@code POTENTIAL}). Doubles hold
     * every value exactly: float32 potentials, counts, and 64-bit integer potentials up to 2^53.
     * For count decoding, {@code finalPotentials} (same layout) are the membrane potentials of the
     * counted population after the last timestep, used to break ties; null when the counted
     * spikes do not come from a population (a rate encoder or a max pooling). {@code integer}
     * says whether the values are integers of the integer form. {@code predictions[s]} is the
     * predicted class of sample s (see {@link #predict}). The arrays are shared, not copied.
     */
    public record Output(String name, Shape shape, Decoding decoding, boolean integer, double[] values,
                         double[] finalPotentials, int[] predictions) {
        public int size() { return shape.elementCount(); }

        /** A copy of one sample's decoded values. */
        public double[] sample(int s) {
            int n = size();
            double[] out = new double[n];
            System.arraycopy(values, s * n, out, 0, n);
            return out;
        }

        /** The decoded values as a float batch (rounded to float32 where a 64-bit integer needs it). */
        public Batch asBatch() {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            return new Batch(values.length / Math.max(1, size()), shape, f);
        }
    }

    /**
     * The predicted class of one sample from decoded values: the index of the largest value; among
     * equal values the one with the larger tie-break potential (when given), then the lower index.
     * NaN counts as smaller than every number.
     */
    public static int predict(double[] values, double[] tieBreak, int offset, int size) {
        int best = 0;
        for (int i = 1; i < size; i++) {
            double v = values[offset + i], b = values[offset + best];
            if (v > b || (Double.isNaN(b) && !Double.isNaN(v))) {
                best = i;
            } else if (v == b && tieBreak != null) {
                double tv = tieBreak[offset + i], tb = tieBreak[offset + best];
                if (tv > tb || (Double.isNaN(tb) && !Double.isNaN(tv))) best = i;
            }
        }
        return best;
    }

    /** The output named {@code name}. */
    public Output output(String name) {
        for (Output o : outputs) if (o.name().equals(name)) return o;
        throw new IllegalArgumentException("no output '" + name + "'; outputs are "
                + outputs.stream().map(Output::name).toList());
    }

    /** The only output. */
    public Output output() {
        if (outputs.size() != 1) throw new IllegalArgumentException("the module has " + outputs.size() + " outputs; name one");
        return outputs.getFirst();
    }

    /** Predicted classes of the only output. */
    public int[] predictions() { return output().predictions(); }

    /** The fraction of samples whose prediction (of the only output) equals the label. */
    public double accuracy(int[] labels) {
        int[] p = predictions();
        if (labels.length != p.length) throw new IllegalArgumentException(labels.length + " labels for " + p.length + " samples");
        if (p.length == 0) return 0;
        int ok = 0;
        for (int s = 0; s < p.length; s++) if (p[s] == labels[s]) ok++;
        return (double) ok / p.length;
    }
}
