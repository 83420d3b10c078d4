package dev.nmcc.passes.dead;

import dev.nmcc.ir.type.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A population (snn.if / snn.lif) as {@code eliminate-dead-neurons} sees it: units are dimension 0
 * (neurons of a rank-1, channels of a rank-3 population), the projections into and out of it,
 * why it may not be shrunk, and per unit whether it may fire, is needed and is kept.
 */
final class Population {
    final int op;
    final int units;
    final int perUnit;
    final List<Integer> incoming = new ArrayList<>();
    final List<Integer> consumers = new ArrayList<>();
    String pinned;
    /** Read by a count decoder: every neuron's potential counts (ties are broken by it). */
    boolean output;
    boolean incomingKnown = true;
    boolean[] alive;
    boolean[] provablyDead;
    boolean[] needed;
    boolean[] keep;

    Population(int op, Shape s) {
        this.op = op;
        this.units = s.dim(0);
        this.perUnit = s.elementCount() / units;
    }

    void pin(String why) { if (pinned == null) pinned = why; }
}
