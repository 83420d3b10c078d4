package dev.nmcc.passes.dead;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.TensorType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rewrite of {@code eliminate-dead-neurons}: keeps only the kept units of each population,
 * slicing the rows of the projections into it, the columns of those out of it and its per-unit
 * parameters, and drops the blobs no op refers to any more.
 */
final class PopulationShrinker {
    private PopulationShrinker() {}

    static Module rewrite(Module module, Map<Integer, Population> pops, List<Population> order, List<List<Integer>> users) {
        Graph g = module.graph();
        List<Op> ops = g.ops();
        BlobTable.Builder blobs = module.blobs().toBuilder();
        Map<String, Integer> blobUses = new HashMap<>();
        for (Op op : ops) {
            for (Attribute a : op.attributes().asMap().values()) {
                if (a instanceof Attribute.BlobRef(String b)) blobUses.merge(b, 1, Integer::sum);
            }
        }
        boolean[][] rowKeep = new boolean[ops.size()][];
        boolean[][] colKeep = new boolean[ops.size()][];
        for (Population p : order) {
            if (p.keep == null) continue;
            for (int pi : p.incoming) rowKeep[pi] = p.keep;
            for (int ci : p.consumers) {
                Op proj = ops.get(ci);
                if (proj.kind() == OpKind.SNN_CONV2D) {
                    colKeep[ci] = p.keep;
                } else {
                    int in = g.type(proj.operand(0)).shape().elementCount();
                    int per = in / p.units;
                    boolean[] k = new boolean[in];
                    for (int i = 0; i < in; i++) k[i] = p.keep[i / per];
                    colKeep[ci] = k;
                }
            }
        }
        List<Attributes> attrs = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Attributes a = op.attributes();
            if (rowKeep[i] != null || colKeep[i] != null) {
                boolean[] rk = rowKeep[i];
                a = slice(a, "weight", blobs, blobUses, rk, colKeep[i]);
                if (rk != null) {
                    a = slice(a, "bias", blobs, blobUses, rk, null);
                    a = slice(a, "weight_scale", blobs, blobUses, rk, null);
                    String count = op.kind() == OpKind.SNN_DENSE ? "units" : "out_channels";
                    a = a.with(count, new Attribute.Int(countTrue(rk)));
                }
            }
            Population p = pops.get(i);
            if (p != null && p.keep != null) {
                a = slice(a, "threshold", blobs, blobUses, p.keep, null);
                a = slice(a, "v0", blobs, blobUses, p.keep, null);
            }
            attrs.add(a);
        }
        Graph ng = GraphBuilder.withAttributes(g, attrs, blobs);
        // drop blobs no op refers to any more (the originals of sliced shared blobs stay while used)
        var used = new java.util.HashSet<String>();
        for (int i = 0; i < ops.size(); i++) {
            for (Attribute at : attrs.get(i).asMap().values()) if (at instanceof Attribute.BlobRef(String bn)) used.add(bn);
        }
        for (String nm : blobUses.keySet()) if (!used.contains(nm)) blobs.remove(nm);
        return new Module(module.name(), module.stage(), blobs.build(), ng);
    }

    private static int countTrue(boolean[] k) {
        int c = 0;
        for (boolean x : k) if (x) c++;
        return c;
    }

    /** Replaces blob attribute {@code attr} (if it is a blob) by its slice: rows kept on dimension 0, columns on dimension 1. */
    private static Attributes slice(Attributes a, String attr, BlobTable.Builder blobs, Map<String, Integer> uses,
                                    boolean[] rows, boolean[] cols) {
        String name = a.getBlob(attr);
        if (name == null) return a;
        Blob src = blobs.get(name);
        Blob sliced = sliceBlob(src, rows, cols);
        String newName = uses.getOrDefault(name, 0) <= 1 ? name : blobs.freshName(name + ".live");
        blobs.put(sliced.renamed(newName));
        return a.with(attr, new Attribute.BlobRef(newName));
    }

    /** The blob with only the kept indices of dimension 0 ({@code rows}) and 1 ({@code cols}); null keeps all. */
    static Blob sliceBlob(Blob b, boolean[] rows, boolean[] cols) {
        int[] dims = b.type().shape().dims();
        int d0 = dims[0], d1 = dims.length > 1 ? dims[1] : 1;
        int inner = b.size() / (d0 * d1);
        int n0 = rows == null ? d0 : countTrue(rows), n1 = cols == null || dims.length < 2 ? d1 : countTrue(cols);
        int[] nd = dims.clone();
        nd[0] = n0;
        if (dims.length > 1) nd[1] = n1;
        int size = n0 * n1 * inner;
        float[] f = b.isFloat() ? new float[size] : null;
        int[] iv = b.isFloat() ? null : new int[size];
        int o = 0;
        for (int r = 0; r < d0; r++) {
            if (rows != null && !rows[r]) continue;
            for (int c = 0; c < d1; c++) {
                if (cols != null && dims.length > 1 && !cols[c]) continue;
                int base = (r * d1 + c) * inner;
                for (int e = 0; e < inner; e++, o++) {
                    if (f != null) f[o] = b.floats()[base + e];
                    else iv[o] = b.ints()[base + e];
                }
            }
        }
        TensorType t = new TensorType(Shape.of(nd), b.type().elementType());
        return f != null ? Blob.ofFloats(b.name(), t, f) : Blob.ofInts(b.name(), t, iv);
    }
}
