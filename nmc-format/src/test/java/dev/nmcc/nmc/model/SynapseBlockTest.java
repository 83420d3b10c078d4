package dev.nmcc.nmc.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stored order of dense and conv2d blocks, and the accessors that read a weight by its meaning. */
class SynapseBlockTest {
    @Test
    void denseBlocksAreStoredInputMajor() {
        // W (3 rows × 2 inputs, row-major) = [[1, 2], [3, 4], [5, 6]]; rows 1..2 as a block: input 0's run (3, 5), then input 1's (4, 6).
        int[] w = {1, 2, 3, 4, 5, 6};
        byte[] packed = SynapseBlock.packDense(w, 2, 1, 2, 4);
        assertThat(WeightPacking.unpack(packed, 4, 4)).containsExactly(3, 5, 4, 6);
        SynapseBlock b = new SynapseBlock(0, -1, 1, 2, 4, 2, packed, new int[0]);
        assertThat(new int[] {b.denseWeight(0, 0), b.denseWeight(0, 1), b.denseWeight(1, 0), b.denseWeight(1, 1)}).containsExactly(3, 4, 5, 6);
        assertThat(b.weight(1)).isEqualTo(5);
    }

    @Test
    void everyDenseWeightReadsBackAtEveryWidthWithRunsStartingMidByte() {
        // 5 rows per block: at 1, 2 and 4 bits, most inputs' runs start inside a byte.
        SplittableRandom rnd = new SplittableRandom(3);
        int rows = 11, fanIn = 9;
        for (int bits : new int[] {1, 2, 4, 8}) {
            int[] w = new int[rows * fanIn];
            for (int k = 0; k < w.length; k++) {
                w[k] = bits == 1 ? (rnd.nextBoolean() ? 1 : -1) : rnd.nextInt(WeightPacking.min(bits), WeightPacking.max(bits) + 1);
            }
            for (int first = 0; first < rows; first += 5) {
                int count = Math.min(5, rows - first);
                byte[] packed = SynapseBlock.packDense(w, fanIn, first, count, bits);
                assertThat(packed).hasSize((int) WeightPacking.packedBytes((long) count * fanIn, bits));
                SynapseBlock b = new SynapseBlock(0, -1, first, count, bits, fanIn, packed, new int[0]);
                for (int r = 0; r < count; r++) {
                    for (int i = 0; i < fanIn; i++) assertThat(b.denseWeight(r, i)).as("%d bits, row %d, input %d", bits, first + r, i)
                            .isEqualTo(w[(first + r) * fanIn + i]);
                }
            }
        }
    }

    @Test
    void convBlocksKeepTheChannelMajorOrder() {
        int[] w = {1, -1, 2, -2, 7, -8}; // 3 channels × 2 taps
        SynapseBlock b = new SynapseBlock(0, -1, 1, 2, 4, 2, WeightPacking.pack(new int[] {2, -2, 7, -8}, 4), new int[0]);
        assertThat(new int[] {b.convWeight(0, 0), b.convWeight(0, 1), b.convWeight(1, 0), b.convWeight(1, 1)})
                .containsExactly(w[2], w[3], w[4], w[5]);
    }

    @Test
    void aDenseWeightThatDoesNotFitIsNamedByRowAndInput() {
        assertThatThrownBy(() -> SynapseBlock.packDense(new int[] {1, -1, 1, -1, 0, 1}, 3, 0, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weight [1, 1] is 0; 1-bit weights are -1 or +1");
        assertThatThrownBy(() -> SynapseBlock.packDense(new int[] {0, 0, 0, 8}, 2, 0, 2, 4))
                .hasMessage("weight [1, 1] is 8, outside the 4-bit range [-8, 7]");
    }
}
