package dev.nmcc.backend.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * NPU numbering and hop distances on AKD1000's 4 x 5 node mesh, worked by hand:
 *
 * <pre>
 *          col 0  col 1  col 2  col 3  col 4
 *   row 0  n0     n1     n2     n3     n4       node n holds NPUs 4n .. 4n+3
 *   row 1  n5     n6     n7     n8     n9
 *   row 2  n10    n11    n12    n13    n14
 *   row 3  n15    n16    n17    n18    n19
 * </pre>
 */
class GeometryTest {
    final Target akd = Targets.resolve("akd1000");

    @Test
    void coordinates() {
        assertThat(akd.coordinates(0)).isEqualTo(new NpuCoord(0, 0, 0, 0, 0, 0));
        assertThat(akd.coordinates(3)).isEqualTo(new NpuCoord(3, 0, 0, 3, 0, 0));
        assertThat(akd.coordinates(4)).isEqualTo(new NpuCoord(4, 0, 1, 0, 0, 1));
        assertThat(akd.coordinates(22)).isEqualTo(new NpuCoord(22, 0, 5, 2, 1, 0)); // node 5 starts row 1
        assertThat(akd.coordinates(53)).isEqualTo(new NpuCoord(53, 0, 13, 1, 2, 3));
        assertThat(akd.coordinates(79)).isEqualTo(new NpuCoord(79, 0, 19, 3, 3, 4));
        for (int i = 0; i < 80; i++) {
            NpuCoord c = akd.coordinates(i);
            assertThat(akd.index(c.chip(), c.node(), c.npu())).isEqualTo(i);
        }
        assertThatThrownBy(() -> akd.coordinates(80)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void hopsAreManhattanOnTheNodeMeshAndZeroWithinANode() {
        assertThat(akd.hopDistance(0, 3)).isZero();          // same node
        assertThat(akd.hopDistance(0, 4)).isEqualTo(1);      // n0 (0,0) -> n1 (0,1)
        assertThat(akd.hopDistance(4, 20)).isEqualTo(2);     // n1 (0,1) -> n5 (1,0)
        assertThat(akd.hopDistance(0, 79)).isEqualTo(7);     // n0 (0,0) -> n19 (3,4): 3 + 4
        assertThat(akd.hopDistance(16, 60)).isEqualTo(7);    // n4 (0,4) -> n15 (3,0): 3 + 4
        assertThat(akd.hopDistance(53, 22)).isEqualTo(4);    // n13 (2,3) -> n5 (1,0): 1 + 3
        assertThat(akd.hopDistance(22, 53)).isEqualTo(4);    // symmetric
        assertThat(akd.hops(0, 79)).isEqualTo(new Hops(7, 0));
        assertThat(akd.routeLatencyCycles(0, 79)).isEqualTo(7L * akd.timing().hopLatencyCycles());
        assertThat(akd.routeEnergyPj(0, 79)).isEqualTo(7 * akd.energy().pjPerHop());
    }

    @Test
    void interChipRoutesGoThroughTheLinkAtTheMeshCorner() {
        Target two = akd.withChips(3);
        assertThat(two.totalNpus()).isEqualTo(240);
        assertThat(two.coordinates(80)).isEqualTo(new NpuCoord(80, 1, 0, 0, 0, 0));
        assertThat(two.hops(0, 80)).isEqualTo(new Hops(0, 1));       // corner to corner of the next chip
        assertThat(two.hops(79, 159)).isEqualTo(new Hops(14, 1));    // (3,4) -> corner, link, corner -> (3,4)
        assertThat(two.hops(53, 160 + 22)).isEqualTo(new Hops(5 + 1, 2)); // (2,3) -> corner: 5; link x2; corner -> (1,0): 1
        assertThat(two.routeLatencyCycles(79, 159))
                .isEqualTo(14L * two.timing().hopLatencyCycles() + two.timing().interChipLatencyCycles());
        assertThat(two.routeEnergyPj(0, 160)).isEqualTo(2 * two.energy().pjPerInterChipHop());
    }

    @Test
    void derivedTotals() {
        assertThat(akd.geometry().npusPerChip()).isEqualTo(80);
        assertThat(akd.totalNeurons()).isEqualTo(80L * akd.npu().neurons());
        assertThat(akd.timing().cycleNs()).isCloseTo(3.333, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(akd.timing().micros(300)).isEqualTo(1.0);
        assertThat(akd.npu().maxPotential()).isEqualTo((1 << 19) - 1);
        assertThat(akd.npu().minPotential()).isEqualTo(-(1 << 19));
    }
}
