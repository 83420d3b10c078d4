package dev.nmcc.frontend.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three example networks lower to the expected ops, shapes, blobs, names and locations. */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path PARAMS = Path.of("src/test/resources/dsl");

    /** Lowers examples/NAME.nmd with the test params of src/test/resources/dsl. */
    static Module example(String name) throws IOException {
        String src = Files.readString(EXAMPLES.resolve(name + ".nmd"));
        return DslFrontend.compile(src, "examples/" + name + ".nmd", PARAMS);
    }

    /** One line per op: mnemonic, operand names, result type, attributes. */
    static List<String> ops(Module m) {
        Graph g = m.graph();
        return g.ops().stream().map(op -> {
            String res = op.results().isEmpty() ? "" : " -> " + g.type(op.result()).text()
                    + g.name(op.result()).map(n -> " %" + n).orElse("");
            return op.kind().mnemonic() + " " + op.attributes().text() + res;
        }).toList();
    }

    static String where(Op op) { return op.location().describe(); }

    /** kws_mlp: an ann MLP with random weights; names and locations come from the source. */
    @Test
    void kwsMlp() throws IOException {
        Module m = example("kws_mlp");
        assertThat(m.name()).isEqualTo("kws_mlp");
        assertThat(m.stage()).isEqualTo(Stage.ANN);
        assertThat(ops(m)).containsExactly(
                "ann.input {name = \"mfcc\", range = [0.0, 1.0]} -> tensor<40x101xf32> %mfcc",
                "ann.flatten  -> tensor<4040xf32> %x",
                "ann.dense {units = 512, weight = @h1.weight, bias = @h1.bias} -> tensor<512xf32>",
                "ann.relu  -> tensor<512xf32> %h1",
                "ann.dense {units = 256, weight = @h2.weight} -> tensor<256xf32>",
                "ann.relu  -> tensor<256xf32> %h2",
                "ann.dense {units = 128, weight = @h3.weight} -> tensor<128xf32>",
                "ann.relu  -> tensor<128xf32> %h3",
                "ann.dense {units = 35, weight = @logits.weight} -> tensor<35xf32> %logits",
                "ann.output {name = \"logits\"}");
        assertThat(m.blobs().all()).extracting(Blob::toString).containsExactly(
                "@h1.weight : tensor<512x4040xf32>", "@h1.bias : tensor<512xf32>", "@h2.weight : tensor<256x512xf32>",
                "@h3.weight : tensor<128x256xf32>", "@logits.weight : tensor<35x128xf32>");
        assertThat(m.blobs().get("h1.bias").floats()).containsOnly(0f);
        assertThat(m.blobs().get("h2.weight").floats()).startsWith(RandomInit.kaimingUniform(2, 4, 512));
        List<Op> ops = m.graph().ops();
        assertThat(where(ops.get(0))).isEqualTo("examples/kws_mlp.nmd:3:9");
        assertThat(where(ops.get(1))).isEqualTo("examples/kws_mlp.nmd:5:12");
        assertThat(where(ops.get(2))).isEqualTo("examples/kws_mlp.nmd:6:17");
        assertThat(where(ops.get(3))).isEqualTo("examples/kws_mlp.nmd:6:12");
        assertThat(where(ops.get(9))).isEqualTo("examples/kws_mlp.nmd:11:10");
        assertThat(ops).allSatisfy(op -> assertThat(op.location()).isInstanceOf(Location.FileLineCol.class));
    }

    /** fmnist_cnn: conv/bn/pool/dense from a params archive; blobs are named by their keys. */
    @Test
    void fmnistCnn() throws IOException {
        Module m = example("fmnist_cnn");
        assertThat(m.stage()).isEqualTo(Stage.ANN);
        assertThat(ops(m)).containsExactly(
                "ann.input {name = \"image\", range = [0.0, 1.0]} -> tensor<1x28x28xf32> %image",
                "ann.conv2d {out_channels = 16, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @conv1.weight, bias = @conv1.bias}"
                        + " -> tensor<16x28x28xf32>",
                "ann.batchnorm {gamma = @bn1.weight, beta = @bn1.bias, mean = @bn1.running_mean, var = @bn1.running_var}"
                        + " -> tensor<16x28x28xf32>",
                "ann.relu  -> tensor<16x28x28xf32> %c1",
                "ann.avgpool {kernel = [2, 2]} -> tensor<16x14x14xf32> %p1",
                "ann.conv2d {out_channels = 32, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @conv2.weight, bias = @conv2.bias}"
                        + " -> tensor<32x14x14xf32>",
                "ann.relu  -> tensor<32x14x14xf32> %c2",
                "ann.avgpool {kernel = [2, 2]} -> tensor<32x7x7xf32> %p2",
                "ann.flatten  -> tensor<1568xf32> %f",
                "ann.dense {units = 128, weight = @fc1.weight, bias = @fc1.bias} -> tensor<128xf32>",
                "ann.relu  -> tensor<128xf32> %h",
                "ann.dense {units = 10, weight = @fc2.weight, bias = @fc2.bias} -> tensor<10xf32> %logits",
                "ann.output {name = \"logits\"}");
        assertThat(m.blobs().all()).extracting(Blob::name).containsExactly(
                "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");
        assertThat(m.blobs().get("fc2.bias").type().text()).isEqualTo("tensor<10xf32>"); // float64 in the archive
        assertThat(where(m.graph().ops().get(1))).isEqualTo("examples/fmnist_cnn.nmd:5:23");
        assertThat(where(m.graph().ops().get(2))).isEqualTo("examples/fmnist_cnn.nmd:5:13");
    }

    /** spiking_mlp: snn ops with rate encoding, lif/iaf populations and count decoding. */
    @Test
    void spikingMlp() throws IOException {
        Module m = example("spiking_mlp");
        assertThat(m.stage()).isEqualTo(Stage.SNN);
        assertThat(ops(m)).containsExactly(
                "snn.input {name = \"x\", range = [0.0, 1.0]} -> tensor<784xf32> %x",
                "snn.encode {mode = rate} -> spikes<784> %x.encoded",
                "snn.dense {units = 256, weight = @fc1.weight} -> tensor<256xf32>",
                "snn.lif {threshold = 1.0, leak = 0.9, reset = subtract} -> spikes<256> %h",
                "snn.dense {units = 10, weight = @fc2.weight} -> tensor<10xf32>",
                "snn.if {threshold = 1.0} -> spikes<10> %y",
                "snn.decode {mode = count} -> tensor<10xi32>",
                "snn.output {name = \"y\"}");
        assertThat(where(m.graph().ops().get(1))).isEqualTo("examples/spiking_mlp.nmd:4:35");
        assertThat(where(m.graph().ops().get(6))).isEqualTo("examples/spiking_mlp.nmd:9:12");
    }

    /** compile(Path) resolves params against the file's directory and names locations by the path as given. */
    @Test
    void compileFileResolvesParamsNextToIt(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Files.copy(EXAMPLES.resolve("spiking_mlp.nmd"), tmp.resolve("net.nmd"));
        Files.copy(PARAMS.resolve("spiking_mlp.npz"), tmp.resolve("spiking_mlp.npz"));
        Module m = DslFrontend.compile(tmp.resolve("net.nmd"));
        assertThat(m.graph().ops().getFirst().location().describe()).isEqualTo(tmp.resolve("net.nmd") + ":4:9");
    }

    /** Spiking defaults: direct encoding, potential decoding of a projection, merge for add, free flatten. */
    @Test
    void spikingDefaults() {
        Module m = DslFrontend.compile("""
                network s {
                  input img : f32[2, 8, 8];
                  c = conv2d(img, 4, kernel = 3, pad = 1, weight = random(seed = 1), bias = zeros);
                  s1 = iaf(c, v0 = 0.5, reset = zero);
                  p = avgpool(s1, 2);
                  s2 = iaf(p);
                  m = maxpool(s1, 2);
                  f = flatten(s2);
                  a = dense(f, 10, weight = random(seed = 2));
                  b = dense(flatten(m), 10, weight = random(seed = 3));
                  out = add(a, b);
                  output out;
                }
                """, "s.nmd", Path.of("."));
        assertThat(ops(m)).containsExactly(
                "snn.input {name = \"img\"} -> tensor<2x8x8xf32> %img",
                "snn.encode {mode = direct} -> tensor<2x8x8xf32> %img.encoded",
                "snn.conv2d {out_channels = 4, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @c.weight, bias = @c.bias}"
                        + " -> tensor<4x8x8xf32> %c",
                "snn.if {threshold = 1.0, v0 = 0.5, reset = zero} -> spikes<4x8x8> %s1",
                "snn.avgpool {kernel = [2, 2]} -> tensor<4x4x4xf32> %p",
                "snn.if {threshold = 1.0} -> spikes<4x4x4> %s2",
                "snn.maxpool {kernel = [2, 2]} -> spikes<4x4x4> %m",
                "snn.flatten  -> spikes<64> %f",
                "snn.dense {units = 10, weight = @a.weight} -> tensor<10xf32> %a",
                "snn.flatten  -> spikes<64>",
                "snn.dense {units = 10, weight = @b.weight} -> tensor<10xf32> %b",
                "snn.merge  -> tensor<10xf32> %out",
                "snn.decode {mode = potential} -> tensor<10xf32>",
                "snn.output {name = \"out\"}");
        assertThat(m.blobs().get("c.weight").floats()).startsWith(RandomInit.kaimingUniform(1, 3, 2 * 3 * 3));
    }

    /** A directly encoded input stays a valid projection input through flatten (a free reshape). */
    @Test
    void directInputThroughFlatten() {
        Module m = DslFrontend.compile("""
                network d {
                  input img : f32[1, 4, 4] encode direct;
                  y = iaf(dense(flatten(img), 3, weight = ones));
                  output y;
                }
                """, "d.nmd", Path.of("."));
        assertThat(ops(m)).containsExactly(
                "snn.input {name = \"img\"} -> tensor<1x4x4xf32> %img",
                "snn.encode {mode = direct} -> tensor<1x4x4xf32> %img.encoded",
                "snn.flatten  -> tensor<16xf32>",
                "snn.dense {units = 3, weight = @y.weight} -> tensor<3xf32>",
                "snn.if {threshold = 1.0} -> spikes<3> %y",
                "snn.decode {mode = count} -> tensor<3xi32>",
                "snn.output {name = \"y\"}");
        assertThat(m.blobs().get("y.weight").floats()).containsOnly(1f);
    }

    /** The other ann ops: stride and pad forms, maxpool, global_avgpool, concat, add, dropout, reshape, quoted keys. */
    @Test
    void otherAnnOps() {
        Module m = DslFrontend.compile("""
                /* several outputs */
                network r {
                  input x : f32[3, 9, 9] range [-1, 1.5];
                  a = conv2d(x, 4, kernel = [3, 1], stride = 2, pad = [1, 0], weight = random(seed = 5));
                  b = conv2d(x, 4, [3, 1], stride = [2, 2], pad = [1, 0, 1, 0], weight = random(seed = 6), groups = 1);
                  s = add(a, b);
                  c = concat(s, a, axis = 0);
                  g = global_avgpool(maxpool(c, 2, stride = 1, pad = 1));
                  d = dropout(reshape(g, shape = [8]), rate = 0.25);
                  i = identity(avgpool(x, kernel = 3, count_include_pad = true, pad = 1));
                  output d;
                  output i;
                }
                """, "r.nmd", Path.of("."));
        assertThat(ops(m)).containsExactly(
                "ann.input {name = \"x\", range = [-1.0, 1.5]} -> tensor<3x9x9xf32> %x",
                "ann.conv2d {out_channels = 4, kernel = [3, 1], stride = [2, 2], pad = [1, 0, 1, 0], weight = @a.weight}"
                        + " -> tensor<4x5x5xf32> %a",
                "ann.conv2d {out_channels = 4, kernel = [3, 1], stride = [2, 2], pad = [1, 0, 1, 0], weight = @b.weight}"
                        + " -> tensor<4x5x5xf32> %b",
                "ann.add  -> tensor<4x5x5xf32> %s",
                "ann.concat {axis = 0} -> tensor<8x5x5xf32> %c",
                "ann.maxpool {kernel = [2, 2], stride = [1, 1], pad = [1, 1, 1, 1]} -> tensor<8x6x6xf32>",
                "ann.global_avgpool  -> tensor<8x1x1xf32> %g",
                "ann.reshape {shape = [8]} -> tensor<8xf32>",
                "ann.dropout {rate = 0.25} -> tensor<8xf32> %d",
                "ann.avgpool {kernel = [3, 3], pad = [1, 1, 1, 1], count_include_pad = true} -> tensor<3x3x3xf32>",
                "ann.identity  -> tensor<3x3x3xf32> %i",
                "ann.output {name = \"d\"}",
                "ann.output {name = \"i\"}");
    }
}
