package dev.nmcc.frontend.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every user mistake gives a located diagnostic with an exact message; several are reported at once. */
class DiagnosticsTest {
    /** The diagnostics of compiling src as t.nmd (params resolved in the test resources), as "file:line:col: error: msg". */
    static List<String> errors(String src) {
        CompilationException e = catchThrowableOfType(CompilationException.class,
                () -> DslFrontend.compile(src, "t.nmd", ExamplesTest.PARAMS));
        assertThat(e).as("expected a compilation error").isNotNull();
        return e.diagnostics().stream().map(Diagnostic::toString).toList();
    }

    static List<Diagnostic> diagnostics(String src) {
        return catchThrowableOfType(CompilationException.class, () -> DslFrontend.compile(src, "t.nmd", ExamplesTest.PARAMS))
                .diagnostics();
    }

    /** A network around some statements, starting on line 2. */
    static String net(String body) {
        return "network n {\n" + body + "}\n";
    }

    /** Several syntax errors are all reported; a forgotten ';' is reported after the previous token and costs one error. */
    @Test // a byte that is not UTF-8 (a Latin-1 é, 0xE9 before ASCII) is located, not the decoder's "Input length = 1"
    void aFileThatIsNotUtf8IsLocated(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        Path f = dir.resolve("latin1.nmd");
        java.nio.file.Files.write(f, "network n {\n  // caf\u00e9 x\n}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CompilationException e = catchThrowableOfType(CompilationException.class, () -> DslFrontend.compile(f));
        assertThat(e.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                f + ":2:9: error: not UTF-8 text: byte 0xE9 cannot start or continue a character (save the file as UTF-8)");
    }

    @Test
    void severalSyntaxErrors() {
        assertThat(errors(net("""
                  input x : f32[4]
                  y = relu(x)
                  z = relu(y);;
                  output z
                """))).containsExactly(
                "t.nmd:2:19: error: expected ';' after ']'",
                "t.nmd:3:14: error: expected ';' after ')'",
                "t.nmd:4:15: error: expected a statement or '}', found ';'",
                "t.nmd:5:11: error: expected ';' after 'z'");
    }

    /** Junk inside a statement is skipped to its ';': the next statements' errors are still found. */
    @Test
    void recoveryAtStatements() {
        assertThat(errors(net("  input x : f32[4];\n  y = relu(x output y; z = dense(x 3); 7; output z;\n")))
                .containsExactly(
                        "t.nmd:3:14: error: expected ')' or ',', found 'output'",
                        "t.nmd:3:36: error: expected ')' or ',', found '3'",
                        "t.nmd:3:40: error: expected a statement or '}', found '7'");
    }

    /** A token out of place on the same line is named. */
    @Test
    void syntaxErrorFoundToken() {
        assertThat(errors(net("  input x : f32[4];\n  y = dense(x 4, weight = zeros);\n  output y;\n")))
                .containsExactly("t.nmd:3:15: error: expected ')' or ',', found '4'");
    }

    /** A missing expression. */
    @Test
    void missingExpression() {
        assertThat(errors(net("  input x : f32[4];\n  y = ;\n  output y;\n")))
                .containsExactly("t.nmd:3:7: error: expected an expression, found ';'");
    }

    /** Lexer errors: a stray character and an unterminated comment. */
    @Test
    void lexerErrors() {
        assertThat(errors(net("  input x : f32[4];\n  y = relu(x) @;\n  output y;\n/* never closed\n")))
                .containsExactly(
                        "t.nmd:3:15: error: unexpected character '@'",
                        "t.nmd:5:1: error: unterminated comment: '/*' without '*/'",
                        "t.nmd:7:1: error: expected a statement or '}', found end of file");
    }

    /** An undefined name, with a suggestion when one is close. */
    @Test
    void undefinedName() {
        assertThat(errors(net("  input image : f32[4];\n  y = relu(imgae);\n  z = relu(q);\n  output y;\n")))
                .containsExactly(
                        "t.nmd:3:12: error: undefined name 'imgae'; did you mean 'image'?",
                        "t.nmd:4:12: error: undefined name 'q'");
    }

    /** A duplicate name, with a note at the first definition. */
    @Test
    void duplicateName() {
        List<Diagnostic> ds = diagnostics(net("  input x : f32[4];\n  y = relu(x);\n  y = relu(x);\n  output y;\n"));
        assertThat(ds).hasSize(1);
        assertThat(ds.getFirst().toString()).isEqualTo("t.nmd:4:3: error: 'y' is already defined");
        assertThat(ds.getFirst().notes()).extracting(Diagnostic::toString).containsExactly("t.nmd:3:3: note: first defined here");
    }

    /** A params array whose shape does not match the layer. */
    @Test
    void weightShapeMismatch() {
        assertThat(errors(net("""
                  params "wrong_shapes.npz";
                  input img : f32[1, 28, 28];
                  c = conv2d(img, 16, kernel = 3, weight = conv1.weight, bias = conv1.bias);
                  output c;
                """))).containsExactly("t.nmd:4:44: error: weight conv1.weight has shape [16, 3, 3, 3], expected [16, 1, 3, 3]");
    }

    /** A params file that does not exist. */
    @Test
    void missingParamsFile() {
        List<String> e = errors(net("  params \"nope.npz\";\n  input x : f32[4];\n  y = dense(x, 2, weight = w);\n  output y;\n"));
        assertThat(e).hasSize(1);
        assertThat(e.getFirst()).startsWith("t.nmd:2:10: error: params file 'nope.npz' not found (looked for /")
                .endsWith("nope.npz)");
    }

    /** An array missing from the params file: a suggestion when close, else a few available keys. */
    @Test
    void missingArray() {
        assertThat(errors(net("""
                  params "fmnist_cnn.npz";
                  input x : f32[4];
                  a = dense(x, 2, weight = fc1.weigth);
                  b = dense(x, 2, weight = "nothing.like.it");
                  output a;
                  output b;
                """))).containsExactly(
                "t.nmd:4:28: error: array 'fc1.weigth' not found in fmnist_cnn.npz; did you mean 'fc1.weight'?",
                "t.nmd:5:28: error: array 'nothing.like.it' not found in fmnist_cnn.npz (it has conv1.weight, conv1.bias, "
                        + "bn1.weight, bn1.bias, bn1.running_mean and 8 more)");
    }

    /** A parameter key without any params file. */
    @Test
    void paramWithoutParamsFile() {
        assertThat(errors(net("  input x : f32[4];\n  y = dense(x, 2, weight = fc.w);\n  output y;\n")))
                .containsExactly("t.nmd:3:28: error: parameter 'fc.w' needs a params file: add params \"FILE.npz\"; to the network");
    }

    /** An unknown op, with a suggestion. */
    @Test
    void unknownOp() {
        assertThat(errors(net("  input x : f32[4];\n  y = denes(x, 2, weight = zeros);\n  output y;\n")))
                .containsExactly("t.nmd:3:7: error: unknown op 'denes'; did you mean 'dense'?");
    }

    /** An unknown argument (with a suggestion) and a missing one are both reported. */
    @Test
    void unknownAndMissingArguments() {
        assertThat(errors(net("  input x : f32[1, 8, 8];\n  y = conv2d(x, 2, kernel = 3, strid = 2);\n  output y;\n")))
                .containsExactly(
                        "t.nmd:3:32: error: unknown argument 'strid' of conv2d; did you mean 'stride'?",
                        "t.nmd:3:7: error: missing argument 'weight' of conv2d");
    }

    /** Too many positional arguments, and a positional one after keywords. */
    @Test
    void positionalArguments() {
        assertThat(errors(net("  input x : f32[4];\n  y = relu(x, 3);\n  z = dense(x, weight = zeros, 2);\n  output y;\n")))
                .containsExactly(
                        "t.nmd:3:15: error: 'relu' takes 1 positional argument (x); give the others as key = value",
                        "t.nmd:4:32: error: positional argument after keyword arguments",
                        "t.nmd:4:7: error: missing argument 'units' of dense");
    }

    /** Attributes of the wrong type. */
    @Test
    void wrongAttributeTypes() {
        assertThat(errors(net("""
                  input x : f32[1, 8, 8];
                  a = conv2d(x, 2, kernel = "3", weight = zeros);
                  b = dense(flatten(x), 2.5, weight = zeros);
                  c = dropout(x, rate = high);
                  output a;
                """))).containsExactly(
                "t.nmd:3:29: error: 'kernel' of conv2d must be an integer or [h, w], got the string \"3\"",
                "t.nmd:4:25: error: 'units' of dense must be an integer, got the number 2.5",
                "t.nmd:5:25: error: 'rate' of dropout must be a number, got 'high'");
    }

    /** Attributes out of range: kernel 0, negative pad, threshold <= 0, leak outside (0, 1], grouped conv. */
    @Test
    void attributesOutOfRange() {
        assertThat(errors(net("""
                  input x : f32[1, 8, 8];
                  a = conv2d(x, 2, kernel = 0, weight = zeros);
                  b = conv2d(x, 2, kernel = 3, pad = [1, -1], weight = zeros);
                  c = conv2d(x, 2, kernel = 3, groups = 2, weight = zeros);
                  d = iaf(conv2d(x, 2, kernel = 3, weight = zeros), threshold = 0);
                  e = lif(conv2d(x, 2, kernel = 3, weight = zeros), leak = 1.5);
                  output d;
                """))).containsExactly(
                "t.nmd:3:29: error: 'kernel' of conv2d must be positive, got 0",
                "t.nmd:4:42: error: 'pad' of conv2d must not be negative, got -1",
                "t.nmd:5:41: error: grouped convolution (groups = 2) is not supported; only groups = 1",
                "t.nmd:6:65: error: 'threshold' of iaf must be positive, got 0.0",
                "t.nmd:7:60: error: 'leak' of lif must be in (0, 1], got 1.5");
    }

    /** add of two different shapes. */
    @Test
    void addShapeMismatch() {
        assertThat(errors(net("  input x : f32[4];\n  input y : f32[5];\n  s = add(x, y);\n  output s;\n")))
                .containsExactly("t.nmd:4:7: error: add needs operands of the same shape, got [4] and [5]");
    }

    /** An output of a name never defined, with a suggestion. */
    @Test
    void undefinedOutput() {
        assertThat(errors(net("  input x : f32[4];\n  logits = relu(x);\n  output logit;\n")))
                .containsExactly("t.nmd:4:10: error: output 'logit' is not defined; did you mean 'logits'?");
    }

    /** An input range that is empty. */
    @Test
    void emptyInputRange() {
        assertThat(errors(net("  input x : f32[4] range [1, 0];\n  output x;\n")))
                .containsExactly("t.nmd:2:27: error: input range [1, 0] is empty: the low end must be less than the high end");
    }

    /** Absurd declared sizes are refused with the element count, before anything is allocated. */
    @Test
    void absurdSizes() {
        assertThat(errors(net("""
                  input big : f32[100000, 100000];
                  input x : f32[1000000];
                  y = dense(x, 1000000, weight = random(seed = 1));
                  output y;
                """))).containsExactly(
                "t.nmd:2:9: error: input 'big' would need 10000000000 elements ([100000, 100000]); the limit is 268435456 elements per tensor",
                "t.nmd:4:7: error: dense weight would need 1000000000000 elements ([1000000, 1000000]); the limit is 268435456 elements per tensor");
    }

    /** A shape error that the type rules find (dense on a rank-3 input) is located at the call. */
    @Test
    void denseNeedsFlatInput() {
        assertThat(errors(net("  input x : f32[1, 4, 4];\n  y = dense(x, 2, weight = zeros);\n  output y;\n")))
                .containsExactly("t.nmd:3:7: error: dense needs a rank-1 input, got [1, 4, 4]; flatten it first");
    }

    /** A window that does not fit the input: the type rule's message, located at the call. */
    @Test
    void windowDoesNotFit() {
        assertThat(errors(net("  input x : f32[1, 2, 2];\n  y = maxpool(x, 3);\n  output y;\n")))
                .containsExactly("t.nmd:3:7: error: maxpool: window of 3 does not fit an input of 2 with padding 0+0");
    }

    /** ANN-only ops in a spiking network, and decodings that do not match the value. */
    @Test
    void spikingMisuse() {
        assertThat(errors(net("""
                  input x : f32[4] encode rate;
                  a = relu(dense(x, 2, weight = zeros));
                  b = dense(x, 2, weight = zeros);
                  c = dense(b, 2, weight = zeros);
                  s = iaf(b);
                  t = iaf(s);
                  output b decode count;
                  output s decode potential;
                """))).containsExactly(
                "t.nmd:3:7: error: 'relu' is an ANN op and this network is spiking (it uses encode at 2:20); spiking networks use iaf/lif neurons",
                "t.nmd:5:7: error: dense in a spiking network reads spikes (the output of iaf or lif) or a directly encoded input, but its input is a current; put iaf or lif before it",
                "t.nmd:7:7: error: iaf integrates a current (the output of dense, conv2d, avgpool or add), but its input is spikes",
                "t.nmd:8:19: error: decode count needs spikes, but 'b' is a current; use decode potential, or put iaf/lif after it",
                "t.nmd:9:19: error: decode potential needs a current, but 's' is spikes; use decode count, or output the projection before the neurons");
    }

    /** Unknown encodings, initialisers used as ops, random without a seed, no output. */
    @Test
    void miscellaneous() {
        assertThat(errors(net("""
                  input y : f32[4] encode poisson; input x : f32[4];
                  a = random(seed = 1);
                  b = dense(x, 2, weight = random);
                  c = dense(x, 2, weight = random(sed = 1));
                """))).containsExactly(
                "t.nmd:2:27: error: unknown encoding 'poisson'; expected direct or rate",
                "t.nmd:3:7: error: 'random' is an initialiser; it can only be given as a parameter, e.g. weight = random(seed = 1)",
                "t.nmd:4:28: error: random needs a seed: random(seed = N)",
                "t.nmd:5:35: error: unknown argument 'sed' of random; did you mean 'seed'?",
                "t.nmd:1:9: error: network 'n' has no output");
    }

    /** Numbers too large for a double are refused, not turned into infinity. */
    @Test
    void hugeNumbers() {
        assertThat(errors(net("  input z : f32[4] range [0, 1e999];\n  input x : f32[4];\n  y = dropout(x, rate = 1e400);\n  output y;\n")))
                .containsExactly(
                        "t.nmd:2:27: error: input range [0, 1e999] is out of range",
                        "t.nmd:4:25: error: 'rate' of dropout is out of range: 1e400");
    }

    /** A missing .nmd file is a diagnostic too, not an exception trace. */
    @Test
    void missingSourceFile() {
        CompilationException e = catchThrowableOfType(CompilationException.class,
                () -> DslFrontend.compile(Path.of("no/such/file.nmd")));
        assertThat(e.diagnostics()).extracting(Diagnostic::toString)
                .containsExactly("no/such/file.nmd: error: cannot read no/such/file.nmd: no such file");
    }
}
