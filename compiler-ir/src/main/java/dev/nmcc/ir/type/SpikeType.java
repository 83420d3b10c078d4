package dev.nmcc.ir.type;

import java.util.Objects;

/** A spike train: one bit per element per timestep. */
public record SpikeType(Shape shape) implements Type {
    public SpikeType {
        Objects.requireNonNull(shape, "shape");
        if (shape.rank() == 0) throw new IllegalArgumentException("spike trains have rank >= 1");
    }

    public static SpikeType of(int... dims) { return new SpikeType(Shape.of(dims)); }

    @Override public String text() { return "spikes<" + shape.text() + ">"; }

    @Override public String toString() { return text(); }
}
