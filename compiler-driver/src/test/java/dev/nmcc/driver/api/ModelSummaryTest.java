package dev.nmcc.driver.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.op.Stage;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {
    @Test
    void textListsPortsTotalsAndOneRowPerLayer() {
        assertThat(ModelSummary.of(TestModels.tinyCnn(Stage.ANN)).text()).isEqualTo("""
                module tiny_cnn: verified
                  stage:      ann
                  input:      x tensor<1x8x8xf32>
                  output:     y tensor<10xf32>
                  layers:     3
                  neurons:    330
                  synapses:   3200
                  parameters: 690

                  layer  op           output             neurons  synapses  parameters
                  c      ann.conv2d   tensor<4x8x8xf32>      256      2304          40
                  -      ann.avgpool  tensor<4x4x4xf32>       64       256           0
                  -      ann.dense    tensor<10xf32>          10       640         650
                """);
    }
}
