package dev.nmcc.ir.graph;

import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.op.Stage;
import java.util.Objects;

/**
 * The unit of compilation: one network graph at one stage, with the constants it references.
 * Immutable: passes build new modules.
 */
public record Module(String name, Stage stage, BlobTable blobs, Graph graph) {
    public Module {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(graph, "graph");
    }

    public Module withStage(Stage s) { return new Module(name, s, blobs, graph); }

    public Module withBlobs(BlobTable b) { return new Module(name, stage, b, graph); }

    public Module withGraph(Graph g) { return new Module(name, stage, blobs, g); }
}
