package dev.nmcc.nmc.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.nmc.model.NmcModel;
import org.junit.jupiter.api.Test;

/** The file stores weights at their true width: the KWS MLP at 4 bits is its synapses × 0.5 bytes plus a small overhead. */
class SizeTest {
    @Test void kwsMlpAtFourBitsIsHalfABytePerSynapse() {
        NmcModel kws = TestModels.kws();
        long synapses = TestModels.synapses(kws);
        assertThat(synapses).isEqualTo(4040L * 512 + 512 * 256 + 256 * 128 + 128 * 35); // 2,236,800: "2.2 M"
        double weightBytes = synapses * 0.5;
        int size = NmcWriter.toBytes(kws).length;
        // Everything beyond the packed weights (biases, thresholds, v0, tables, header) is under 5 % of them.
        assertThat((double) size).isBetween(weightBytes, weightBytes * 1.05);
        assertThat(kws.weightBytes()).isEqualTo((long) weightBytes);
    }
}
