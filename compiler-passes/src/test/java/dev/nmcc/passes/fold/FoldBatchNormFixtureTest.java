package dev.nmcc.passes.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmcc.frontend.dsl.DslFrontend;
import dev.nmcc.frontend.numpy.Npy;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.AnnInterpreter;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.verify.Verifier;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** fold-batchnorm on the trained Fashion-MNIST CNN (examples/fmnist_cnn.nmd with tests/fixtures/fmnist/cnn.npz). */
class FoldBatchNormFixtureTest {
    private static final Path FIXTURES = Path.of("../tests/fixtures/fmnist").toAbsolutePath().normalize();

    @Test void trainedCnnOutputsAgreeOnTestImages() throws Exception {
        String src = Files.readString(Path.of("../examples/fmnist_cnn.nmd")).replace("\"fmnist_cnn.npz\"", "\"cnn.npz\"");
        Module before = DslFrontend.compile(src, "fmnist_cnn.nmd", FIXTURES);
        assertEquals(1, before.graph().opsOf(OpKind.ANN_BATCHNORM).size());
        Module after = new FoldBatchNormPass(PassOptions.defaults(FoldBatchNormPass.INFO))
                .run(before, new PassContext(CompileSettings.defaults(), new DiagnosticSink(), null)).module();
        assertTrue(Verifier.verify(after).isEmpty());
        assertTrue(after.graph().opsOf(OpKind.ANN_BATCHNORM).isEmpty());

        int n = 200;
        float[] images = Npy.read(FIXTURES.resolve("test_images.npy")).asFloats();
        float[] x = Arrays.copyOf(images, n * 784);
        for (int i = 0; i < x.length; i++) x[i] = x[i] / 255f;
        Batch in = new Batch(n, Shape.of(1, 28, 28), x);
        Batch a = new AnnInterpreter(before).run(in);
        Batch b = new AnnInterpreter(after).run(in);
        double maxDiff = 0;
        for (int i = 0; i < a.data().length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.data()[i] - b.data()[i]));
        assertTrue(maxDiff <= 1e-5, "max |logit difference| " + maxDiff);
    }
}
