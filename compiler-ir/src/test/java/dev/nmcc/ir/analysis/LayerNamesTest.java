package dev.nmcc.ir.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.text.IrParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerNamesTest {
    /** The populations' names in op order. */
    private static List<String> names(String body) {
        Module m = IrParser.parse("module @m stage snn {\n" + body + "}\n", "test.nmir");
        Graph g = m.graph();
        LayerNames names = LayerNames.of(g);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < g.ops().size(); i++) {
            if (LayerNames.isPopulation(g.ops().get(i).kind())) out.add(names.get(i));
        }
        return out;
    }

    private static final String INPUT = """
              blob @conv1.weight.bn : tensor<2x1x1x1xi8> = [1, 1]
              blob @fc.weight : tensor<2x2xi8> = [1, 1, 1, 1]
              blob @head.weight : tensor<2x4xi8> = [1, 1, 1, 1, 1, 1, 1, 1]
              blob @"onnx::MatMul_7" : tensor<2x2xi8> = [1, 1, 1, 1]
              %x = snn.input {name = "x"} : tensor<1x1x2xf32>
              %0 = snn.encode(%x) {mode = direct} : tensor<1x1x2xi32>
            """;

    @Test
    void pytorchExportsAreNamedAfterTheModuleThatFeedsTheActivation() {
        // PyTorch names activation nodes after the function (/Relu, /block/Relu_1); the weights carry the module path
        assertThat(names(INPUT + """
                  %1 = snn.conv2d(%0) {out_channels = 2, kernel = [1, 1], weight = @conv1.weight.bn} : tensor<2x1x2xi32> loc("/conv1/Conv")
                  %2 = snn.if(%1) {threshold = 1} : spikes<2x1x2> loc("/Relu")
                  %3 = snn.flatten(%2) : tensor<4xi32> loc("/flatten/Flatten")
                  %4 = snn.dense(%0) {units = 2, weight = @"onnx::MatMul_7"} : tensor<2xi32> loc("/block/proj/MatMul")
                  %5 = snn.if(%4) {threshold = 1} : spikes<2> loc("/block/Relu_1")
                  %6 = snn.dense(%5) {units = 2, weight = @fc.weight} : tensor<2xi32> loc("/fc/Gemm")
                  %7 = snn.decode(%6) {mode = potential} : tensor<2xi32> loc("logits")
                  snn.output(%7) {name = "logits"} loc("logits")
                """)).containsExactly("conv1", "block.proj", "logits");
    }

    @Test
    void valueNamesAndChosenNodeNamesComeFirst() {
        assertThat(names(INPUT + """
                  %1 = snn.conv2d(%0) {out_channels = 2, kernel = [1, 1], weight = @conv1.weight.bn} : tensor<2x1x2xi32> loc("/conv1/Conv")
                  %c1 = snn.if(%1) {threshold = 1} : spikes<2x1x2> loc("/Relu")
                  %2 = snn.conv2d(%0) {out_channels = 2, kernel = [1, 1], weight = @conv1.weight.bn} : tensor<2x1x2xi32>
                  %3 = snn.if(%2) {threshold = 1} : spikes<2x1x2> loc("hidden_act")
                  %4 = snn.decode(%3) {mode = count} : tensor<2x1x2xi32> loc("Relu_4")
                  snn.output(%4) {name = "out"}
                """)).containsExactly("c1", "hidden_act", "out"); // an unnamed decoder takes its output's name
    }

    @Test
    void aModuleNameTakenByAnotherLayerFallsBackToTheNodeName() {
        // two activations fed by one module's weights (a shared layer): the first gets the module, the second its node
        assertThat(names(INPUT + """
                  %1 = snn.conv2d(%0) {out_channels = 2, kernel = [1, 1], weight = @conv1.weight.bn} : tensor<2x1x2xi32> loc("/conv1/Conv")
                  %2 = snn.if(%1) {threshold = 1} : spikes<2x1x2> loc("/Relu")
                  %3 = snn.conv2d(%2) {out_channels = 2, kernel = [1, 1], weight = @conv1.weight.bn} : tensor<2x1x2xi32> loc("/conv1_1/Conv")
                  %4 = snn.if(%3) {threshold = 1} : spikes<2x1x2> loc("/Relu_1")
                  %5 = snn.conv2d(%4) {out_channels = 2, kernel = [1, 1], weight = @conv1.weight.bn} : tensor<2x1x2xi32> loc("/Conv")
                  %6 = snn.merge(%5, %1) : tensor<2x1x2xi32> loc("/block/Add")
                  %7 = snn.if(%6) {threshold = 1} : spikes<2x1x2>
                  %8 = snn.flatten(%7) : spikes<4>
                  %9 = snn.dense(%8) {units = 2, weight = @head.weight} : tensor<2xi32>
                  %conv1 = snn.decode(%9) {mode = potential} : tensor<2xi32>
                  snn.output(%conv1) {name = "out"}
                """)).containsExactly("/Relu", "/Relu_1", "block", "conv1");
    }

    @Test // PyTorch scopes: nested modules join with dots; a child written with its full path replaces the path so far
    void pytorchScopesBecomeModulePaths() {
        assertThat(LayerNames.modulePath(new String[] {"block", "conv1"})).isEqualTo("block.conv1");
        assertThat(LayerNames.modulePath(new String[] {"stem", "stem.0"})).isEqualTo("stem.0");
        assertThat(LayerNames.modulePath(new String[] {"features", "features.3", "features.3.conv"})).isEqualTo("features.3.conv");
        assertThat(LayerNames.modulePath(new String[] {"stem", "stemx"})).isEqualTo("stem.stemx");
    }

    @Test
    void scopesOfOtherExportersAndMadeUpNames() {
        assertThat(LayerNames.madeUp("/Relu")).isTrue();
        assertThat(LayerNames.madeUp("/block/Relu_12")).isTrue();
        assertThat(LayerNames.madeUp("sequential/dense/LeakyRelu")).isTrue();
        assertThat(LayerNames.madeUp("logits")).isFalse();
        assertThat(LayerNames.madeUp("block/hidden_act")).isFalse();
        assertThat(names(INPUT + """
                  %1 = snn.dense(%0) {units = 2, weight = @"onnx::MatMul_7"} : tensor<2xi32> loc("sequential/dense/MatMul")
                  %2 = snn.if(%1) {threshold = 1} : spikes<2> loc("sequential/dense/Relu")
                  %3 = snn.dense(%2) {units = 2, weight = @"onnx::MatMul_7"} : tensor<2xi32> loc("MatMul_3")
                  %4 = snn.if(%3) {threshold = 1} : spikes<2> loc("Relu_3")
                  %5 = snn.dense(%4) {units = 2, weight = @"onnx::MatMul_7"} : tensor<2xi32>
                  %6 = snn.if(%5) {threshold = 1} : spikes<2>
                  %7 = snn.decode(%6) {mode = count} : tensor<2xi32>
                  snn.output(%7) {name = "out"}
                """)).containsExactly("sequential/dense", "Relu_3", "out", "out"); // the counted population: its output's name
        assertThat(names(INPUT + """
                  %1 = snn.dense(%0) {units = 2, weight = @"onnx::MatMul_7"} : tensor<2xi32>
                  %2 = snn.if(%1) {threshold = 1} : spikes<2>
                  %3 = snn.dense(%2) {units = 2, weight = @"onnx::MatMul_7"} : tensor<2xi32>
                  %4 = snn.decode(%3) {mode = potential} : tensor<2xi32>
                  snn.output(%4) {name = "y"}
                """)).as("nothing names the hidden layer").containsExactly(null, "y");
    }
}
