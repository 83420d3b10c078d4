package dev.nmcc.frontend.onnx;

import dev.nmcc.frontend.onnx.proto.OnnxProto.AttributeProto;
import dev.nmcc.frontend.onnx.proto.OnnxProto.NodeProto;
import java.util.HashMap;
import java.util.Map;

/** Typed access to one ONNX node's attributes, with the defaults of the operator spec. */
final class NodeAttributes {
    private final Map<String, AttributeProto> byName = new HashMap<>();

    NodeAttributes(NodeProto node) {
        for (AttributeProto a : node.getAttributeList()) byName.put(a.getName(), a);
    }

    boolean has(String name) { return byName.containsKey(name); }

    long i(String name, long dflt) {
        AttributeProto a = byName.get(name);
        return a == null ? dflt : a.getI();
    }

    float f(String name, float dflt) {
        AttributeProto a = byName.get(name);
        return a == null ? dflt : a.getF();
    }

    String s(String name, String dflt) {
        AttributeProto a = byName.get(name);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    /** An ints attribute, or null when absent. */
    long[] ints(String name) {
        AttributeProto a = byName.get(name);
        if (a == null) return null;
        long[] out = new long[a.getIntsCount()];
        for (int k = 0; k < out.length; k++) out[k] = a.getInts(k);
        return out;
    }

    float[] floats(String name) {
        AttributeProto a = byName.get(name);
        if (a == null) return null;
        float[] out = new float[a.getFloatsCount()];
        for (int k = 0; k < out.length; k++) out[k] = a.getFloats(k);
        return out;
    }

    AttributeProto raw(String name) { return byName.get(name); }
}
