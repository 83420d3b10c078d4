package dev.nmcc.backend.emit;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;

/**
 * A population's threshold or initial potential as a core slice stores it: one value for the whole
 * slice (a number attribute), or the values of the channels the slice touches (a blob of shape [C],
 * docs/snn-semantics.md).
 */
final class SliceParams {
    private SliceParams() {}

    static int[] perChannel(Module module, Op pop, String attr, long dflt, int channelStart, int channels, int layerChannels) {
        Attribute a = pop.attributes().getOrNull(attr);
        return switch (a) {
            case null -> new int[] {integer(pop, attr, dflt)};
            case Attribute.Int(long v) -> new int[] {integer(pop, attr, v)};
            case Attribute.Float(double v) -> new int[] {integer(pop, attr, v)};
            case Attribute.BlobRef(String name) -> {
                Blob b = module.blobs().get(name);
                if (b == null) throw NmcEmitter.error(pop, "'" + attr + "' names a missing blob @" + name);
                if (b.size() != layerChannels) {
                    throw NmcEmitter.error(pop, "'" + attr + "' @" + name + " has " + b.size() + " values for " + layerChannels + " channels");
                }
                int[] out = new int[channels];
                for (int k = 0; k < channels; k++) out[k] = integer(pop, attr + " @" + name, b.get(channelStart + k));
                yield out;
            }
            default -> throw NmcEmitter.error(pop, "'" + attr + "' must be a number or a blob, got " + a.text());
        };
    }

    private static int integer(Op pop, String what, double v) {
        if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw NmcEmitter.error(pop, "'" + what + "' is " + v + "; hw neurons need 32-bit integer parameters (run quantize-weights)");
        }
        return (int) v;
    }
}
