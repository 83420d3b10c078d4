package dev.nmcc.ir.type;

import java.util.Objects;

/** A tensor with a static shape and an element type. */
public record TensorType(Shape shape, ElementType elementType) implements Type {
    public TensorType {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(elementType, "elementType");
    }

    public static TensorType f32(int... dims) { return new TensorType(Shape.of(dims), ElementType.F32); }

    @Override public String text() {
        return shape.rank() == 0 ? "tensor<" + elementType + ">" : "tensor<" + shape.text() + "x" + elementType + ">";
    }

    @Override public String toString() { return text(); }
}
