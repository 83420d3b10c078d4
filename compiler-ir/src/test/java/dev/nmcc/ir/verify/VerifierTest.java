package dev.nmcc.ir.verify;

import static dev.nmcc.ir.verify.Net.attrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.RawGraphs;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One test per invariant: a module broken in one way, and the exact diagnostics it gets. */
class VerifierTest {
    /** Diagnostics as one line each: {@code location: error: message}. */
    private static List<String> check(Module m) {
        return Verifier.verify(m).stream().map(Diagnostic::toString).toList();
    }

    private static final TensorType F16 = TensorType.f32(16);

    // ---- valid modules ------------------------------------------------------------------------

    @Nested
    class ValidModules {
        @Test // an ann CNN with every common layer verifies clean
        void annCnn() { assertThat(check(Net.validAnn())).isEmpty(); }

        @Test // an snn with encode, dense, if, merge, lif and decode verifies clean
        void snn() { assertThat(check(Net.validSnn())).isEmpty(); }

        @Test // an hw module with integer parameters, core slices and routes verifies clean
        void hw() { assertThat(check(Net.validHw())).isEmpty(); }

        @Test // verifyOrThrow is silent on a valid module
        void verifyOrThrowAcceptsValid() { Verifier.verifyOrThrow(Net.validHw(), "after pass 'map'"); }
    }

    // ---- 1. stage -----------------------------------------------------------------------------

    @Test // an ann op left behind by the snn conversion is named, with the stage, and nothing else is said
    void annOpInSnnStage() {
        Net n = new Net(Stage.SNN).f32("w", 16, 16);
        Value e = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "direct"), n.input("x", F16));
        Value h = n.add(OpKind.SNN_DENSE, attrs().putInt("units", 16).putBlob("weight", "w"), e);
        Value r = n.typed(OpKind.ANN_RELU, attrs(), List.of(h), F16);
        n.add(OpKind.SNN_IF, attrs().putFloat("threshold", 1.0), r);
        n.output("y", n.add(OpKind.SNN_DECODE, attrs().putSymbol("mode", "potential"), h));
        assertThat(check(n.module())).containsExactly("net.nmd:4:1: error: op 'ann.relu' is not allowed in stage snn");
    }

    @Test // a mapping annotation is not allowed before stage hw
    void hwOpInSnnStage() {
        Net n = new Net(Stage.SNN);
        Value x = n.input("x", F16);
        n.typed(OpKind.HW_CORE_SLICE, attrs().putInt("id", 0).putInts("core", 0, 0, 0).putInts("neurons", 0, 16), List.of(x));
        n.output("y", x);
        assertThat(check(n.module())).containsExactly("net.nmd:2:1: error: op 'hw.core_slice' is not allowed in stage snn");
    }

    // ---- 2. arity -----------------------------------------------------------------------------

    @Test // an op with too few operands names the op and both counts
    void operandCount() {
        Net n = new Net(Stage.ANN);
        Value x = n.input("x", F16);
        n.output("y", n.typed(OpKind.ANN_ADD, attrs(), List.of(x), F16));
        assertThat(check(n.module())).containsExactly("net.nmd:2:1: error: op 'ann.add' takes 2 operands, got 1");
    }

    @Test // variadic ops say "at least"
    void variadicOperandCount() {
        Net n = new Net(Stage.ANN);
        Value x = n.input("x", F16);
        n.output("y", n.typed(OpKind.ANN_CONCAT, attrs(), List.of(x), F16));
        assertThat(check(n.module())).containsExactly("net.nmd:2:1: error: op 'ann.concat' takes at least 2 operands, got 1");
    }

    @Test // an output with a result has the wrong result count
    void resultCount() {
        Net n = new Net(Stage.ANN);
        Value x = n.input("x", F16);
        n.typed(OpKind.ANN_OUTPUT, attrs().putString("name", "y"), List.of(x), F16);
        assertThat(check(n.module())).containsExactly("net.nmd:2:1: error: op 'ann.output' has 0 results, got 1");
    }

    // ---- 3. SSA -------------------------------------------------------------------------------

    @Nested
    class Ssa {
        private final Attributes name = Attributes.builder().putString("name", "x").build();
        private final Attributes outName = Attributes.builder().putString("name", "y").build();

        private Op op(OpKind k, List<Value> in, List<Value> out, Attributes a, int line) {
            return new Op(k, in, out, a, Net.line(line));
        }

        private Graph.ValueInfo info(int op, int index) { return new Graph.ValueInfo(F16, null, op, index); }

        private Module module(List<Op> ops, List<Graph.ValueInfo> values) {
            return new Module("net", Stage.ANN, BlobTable.EMPTY, RawGraphs.of(ops, values));
        }

        private final Value v0 = new Value(0), v1 = new Value(1), v2 = new Value(2);

        @Test // an operand read before the op that defines it, with a note at the definition
        void useBeforeDefinition() {
            Module m = module(List.of(
                    op(OpKind.ANN_INPUT, List.of(), List.of(v0), name, 1),
                    op(OpKind.ANN_RELU, List.of(v2), List.of(v1), Attributes.EMPTY, 2),
                    op(OpKind.ANN_RELU, List.of(v0), List.of(v2), Attributes.EMPTY, 3),
                    op(OpKind.ANN_OUTPUT, List.of(v1), List.of(), outName, 4)),
                    List.of(info(0, 0), info(1, 0), info(2, 0)));
            List<Diagnostic> ds = Verifier.verify(m);
            assertThat(ds).map(Diagnostic::toString).containsExactly(
                    "net.nmd:2:1: error: operand #0 of 'ann.relu' uses %v2 before its definition by 'ann.relu'");
            assertThat(ds.getFirst().notes()).map(Diagnostic::toString).containsExactly("net.nmd:3:1: note: defined here");
        }

        @Test // an operand that is not in the value table at all
        void operandOutsideTable() {
            Module m = module(List.of(
                    op(OpKind.ANN_INPUT, List.of(), List.of(v0), name, 1),
                    op(OpKind.ANN_OUTPUT, List.of(new Value(7)), List.of(), outName, 2)),
                    List.of(info(0, 0)));
            assertThat(check(m)).containsExactly(
                    "net.nmd:2:1: error: operand #0 of 'ann.output' is %v7, which is not in the value table");
        }

        @Test // two ops defining the same value: reported at the second, noting the first
        void definedTwice() {
            Module m = module(List.of(
                    op(OpKind.ANN_INPUT, List.of(), List.of(v0), name, 1),
                    op(OpKind.ANN_RELU, List.of(v0), List.of(v1), Attributes.EMPTY, 2),
                    op(OpKind.ANN_IDENTITY, List.of(v0), List.of(v1), Attributes.EMPTY, 3),
                    op(OpKind.ANN_OUTPUT, List.of(v1), List.of(), outName, 4)),
                    List.of(info(0, 0), info(1, 0)));
            List<Diagnostic> ds = Verifier.verify(m);
            assertThat(ds).map(Diagnostic::toString).containsExactly(
                    "net.nmd:3:1: error: value %v1 is defined twice: by 'ann.relu' and by 'ann.identity'");
            assertThat(ds.getFirst().notes()).map(Diagnostic::toString).containsExactly("net.nmd:2:1: note: first defined here");
        }

        @Test // a value table entry that points at the wrong op
        void tableDisagreesWithOps() {
            Module m = module(List.of(
                    op(OpKind.ANN_INPUT, List.of(), List.of(v0), name, 1),
                    op(OpKind.ANN_RELU, List.of(v0), List.of(v1), Attributes.EMPTY, 2),
                    op(OpKind.ANN_OUTPUT, List.of(v1), List.of(), outName, 3)),
                    List.of(info(0, 0), info(2, 0)));
            assertThat(check(m)).containsExactly(
                    "net.nmd:2:1: error: the value table says %v1 is result #0 of op #2, but it is result #0 of op #1 'ann.relu'");
        }

        @Test // a value table entry that no op defines, and the operand that reads it
        void orphanValue() {
            Module m = module(List.of(
                    op(OpKind.ANN_INPUT, List.of(), List.of(v0), name, 1),
                    op(OpKind.ANN_ADD, List.of(v0, v2), List.of(v1), Attributes.EMPTY, 2),
                    op(OpKind.ANN_OUTPUT, List.of(v1), List.of(), outName, 3)),
                    List.of(info(0, 0), info(1, 0), info(1, 1)));
            assertThat(check(m)).containsExactly(
                    "net.nmd:2:1: error: operand #1 of 'ann.add' is %v2, which no op defines",
                    "<unknown>: error: value %v2 is in the value table but no op defines it");
        }
    }

    // ---- 4. attributes ------------------------------------------------------------------------

    @Nested
    class AttributeChecks {
        private Net ann() { return new Net(Stage.ANN).f32("w", 10, 16); }

        @Test // a required attribute that is absent
        void missingRequired() {
            Net n = ann();
            Value x = n.input("x", F16);
            n.output("y", n.typed(OpKind.ANN_DENSE, attrs().putBlob("weight", "w"), List.of(x), TensorType.f32(10)));
            assertThat(check(n.module())).containsExactly("net.nmd:2:1: error: op 'ann.dense' is missing required attribute 'units'");
        }

        @Test // an attribute the schema does not know
        void unknownAttribute() {
            Net n = ann();
            Value x = n.input("x", F16);
            n.output("y", n.typed(OpKind.ANN_RELU, attrs().putFloat("alpha", 0.1), List.of(x), F16));
            assertThat(check(n.module())).containsExactly("net.nmd:2:1: error: op 'ann.relu' has unknown attribute 'alpha'");
        }

        @Test // an attribute of the wrong kind names the expected and the actual kind
        void wrongKind() {
            Net n = ann();
            Value x = n.input("x", F16);
            n.output("y", n.typed(OpKind.ANN_DENSE, attrs().putFloat("units", 10).putBlob("weight", "w"),
                    List.of(x), TensorType.f32(10)));
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:2:1: error: attribute 'units' of 'ann.dense' must be an integer, got a float (10.0)");
        }

        @Test // a number attribute of the wrong kind lists both accepted kinds
        void wrongKindOfNumber() {
            Net n = new Net(Stage.SNN);
            Value e = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "direct"), n.input("x", F16));
            Value s = n.typed(OpKind.SNN_IF, attrs().putString("threshold", "1"), List.of(e), SpikeType.of(16));
            n.output("y", n.add(OpKind.SNN_DECODE, attrs().putSymbol("mode", "count"), s));
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:3:1: error: attribute 'threshold' of 'snn.if' must be an integer or a float or a blob reference, got a string (\"1\")");
        }

        @Test // a symbol outside the schema's set
        void symbolOutsideSet() {
            Net n = new Net(Stage.SNN);
            Value e = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "direct"), n.input("x", F16));
            Value s = n.typed(OpKind.SNN_IF, attrs().putFloat("threshold", 1).putSymbol("reset", "hard"), List.of(e), SpikeType.of(16));
            n.output("y", n.add(OpKind.SNN_DECODE, attrs().putSymbol("mode", "count"), s));
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:3:1: error: attribute 'reset' of 'snn.if' must be one of subtract, zero; got hard");
        }

        @Test // a value out of range: the requirement and the value
        void outOfRange() {
            Net n = new Net(Stage.ANN).f32("w", 4, 1, 3, 3);
            Value x = n.input("x", TensorType.f32(1, 8, 8));
            n.output("y", n.typed(OpKind.ANN_CONV2D, attrs().putInt("out_channels", 4).putInts("kernel", 3, 0)
                    .putInts("pad", 1, 1, -1, 1).putBlob("weight", "w"), List.of(x), TensorType.f32(4, 6, 6)));
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:2:1: error: attribute 'kernel' of 'ann.conv2d' must be [kh, kw], a pair of positive integers, got [3, 0]",
                    "net.nmd:2:1: error: attribute 'pad' of 'ann.conv2d' must be [top, left, bottom, right] of non-negative integers, got [1, 1, -1, 1]");
        }

        @Test // a concat axis must index a dimension of the operands
        void concatAxis() {
            Net n = new Net(Stage.ANN);
            Value x = n.input("x", F16);
            n.output("y", n.typed(OpKind.ANN_CONCAT, attrs().putInt("axis", 1), List.of(x, x), TensorType.f32(32)));
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:2:1: error: attribute 'axis' of 'ann.concat' must be in [0, 1) for operands of rank 1, got 1");
        }

        @Test // dropout rate, epsilon, leak, leak_shift, v_bits and range are all range-checked
        void moreRanges() {
            Net n = new Net(Stage.SNN);
            Value x = n.g.input(OpKind.SNN_INPUT, F16, attrs().putString("name", "x").putFloats("range", 1.0, 0.0).build(), n.next());
            Value e = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "direct"), x);
            Value s = n.typed(OpKind.SNN_LIF, attrs().putFloat("threshold", 0).putFloat("leak", 0).putInt("leak_shift", 32)
                    .putInt("v_bits", 1), List.of(e), SpikeType.of(16));
            n.output("y", n.add(OpKind.SNN_DECODE, attrs().putSymbol("mode", "count"), s));
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:1:1: error: attribute 'range' of 'snn.input' must be [lo, hi] with lo < hi, got [1.0, 0.0]",
                    "net.nmd:3:1: error: attribute 'threshold' of 'snn.lif' must be a positive number, got 0.0",
                    "net.nmd:3:1: error: attribute 'leak' of 'snn.lif' must be a number in (0, 1], got 0.0",
                    "net.nmd:3:1: error: attribute 'leak_shift' of 'snn.lif' must be an integer in [0, 31], got 32",
                    "net.nmd:3:1: error: attribute 'v_bits' of 'snn.lif' must be an integer in [2, 32], got 1",
                    "net.nmd:3:1: error: 'snn.lif' has both 'leak' and 'leak_shift'; give one");
        }

        @Test // dropout rate 1 and a zero epsilon are out of range
        void dropoutAndEpsilon() {
            Net n = new Net(Stage.ANN).f32("g", 16).f32("b", 16).f32("m", 16).f32("v", 16);
            Value x = n.input("x", F16);
            Value d = n.typed(OpKind.ANN_DROPOUT, attrs().putFloat("rate", 1.0), List.of(x), F16);
            Value bn = n.typed(OpKind.ANN_BATCHNORM, attrs().putBlob("gamma", "g").putBlob("beta", "b").putBlob("mean", "m")
                    .putBlob("var", "v").putFloat("epsilon", 0), List.of(d), F16);
            n.output("y", bn);
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:2:1: error: attribute 'rate' of 'ann.dropout' must be a number in [0, 1), got 1.0",
                    "net.nmd:3:1: error: attribute 'epsilon' of 'ann.batchnorm' must be a positive number, got 0.0");
        }
    }

    // ---- 4. attributes of the mapping ---------------------------------------------------------

    @Nested
    class Mapping {
        /** An hw module of one IF population of 8 neurons, to which a test adds annotations. */
        private Net hw() {
            return new Net(Stage.HW).ints("w", ElementType.I8, 8, 16);
        }

        private Value population(Net n) {
            Value e = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "direct").putInt("input_scale", 255), n.input("x", F16));
            Value h = n.add(OpKind.SNN_DENSE, attrs().putInt("units", 8).putBlob("weight", "w"), e);
            return n.add(OpKind.SNN_IF, attrs().putInt("threshold", 10), h);
        }

        private void slice(Net n, Value pop, int id, int... neurons) {
            n.typed(OpKind.HW_CORE_SLICE, attrs().putInt("id", id).putInts("core", 0, 0, id).putInts("neurons", neurons), List.of(pop));
        }

        private void finish(Net n, Value pop) {
            n.output("y", n.add(OpKind.SNN_DECODE, attrs().putSymbol("mode", "count"), pop));
        }

        @Test // neurons beyond the population, and an empty range
        void neuronsOutOfPopulation() {
            Net n = hw();
            Value s = population(n);
            slice(n, s, 0, 0, 9);
            slice(n, s, 1, 4, 4);
            finish(n, s);
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:5:1: error: attribute 'neurons' of 'hw.core_slice' must be [start, end) with 0 <= start < end <= 8 (the population size), got [0, 9]",
                    "net.nmd:6:1: error: attribute 'neurons' of 'hw.core_slice' must be [start, end) with 0 <= start < end <= 8 (the population size), got [4, 4]");
        }

        @Test // core coordinates are three non-negative integers
        void coreCoordinates() {
            Net n = hw();
            Value s = population(n);
            n.typed(OpKind.HW_CORE_SLICE, attrs().putInt("id", 0).putInts("core", 0, -1).putInts("neurons", 0, 8), List.of(s));
            finish(n, s);
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:5:1: error: attribute 'core' of 'hw.core_slice' must be [chip, node, npu] of non-negative integers, got [0, -1]");
        }

        @Test // two core slices with one id: reported at the second with a note at the first
        void duplicateSliceId() {
            Net n = hw();
            Value s = population(n);
            slice(n, s, 3, 0, 4);
            n.typed(OpKind.HW_CORE_SLICE, attrs().putInt("id", 3).putInts("core", 0, 0, 1).putInts("neurons", 4, 8), List.of(s));
            finish(n, s);
            List<Diagnostic> ds = Verifier.verify(n.module());
            assertThat(ds).map(Diagnostic::toString).containsExactly("net.nmd:6:1: error: core slice id 3 is used twice");
            assertThat(ds.getFirst().notes()).map(Diagnostic::toString).containsExactly("net.nmd:5:1: note: first used here");
        }

        @Test // two core slices placing the same neurons
        void overlappingSlices() {
            Net n = hw();
            Value s = population(n);
            slice(n, s, 0, 0, 5);
            slice(n, s, 1, 4, 8);
            finish(n, s);
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:6:1: error: core slice 1 places neurons [4, 8) of %v3, which overlap core slice 0 [0, 5)");
        }

        @Test // routes and wake sources must name existing core slices (declared before or after)
        void danglingSliceReferences() {
            Net n = hw();
            Value s = population(n);
            n.typed(OpKind.HW_ROUTE, attrs().putInt("src", 0).putInts("dst", 1, 7), List.of(s));
            n.typed(OpKind.HW_ROUTE, attrs().putInt("src", 5).putInts("dst", 0), List.of(s));
            n.typed(OpKind.HW_CORE_SLICE, attrs().putInt("id", 0).putInts("core", 0, 0, 0).putInts("neurons", 0, 4)
                    .putInts("wake_sources", 9), List.of(s));
            slice(n, s, 1, 4, 8);
            finish(n, s);
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:5:1: error: attribute 'dst' of 'hw.route' refers to core slice 7, which does not exist",
                    "net.nmd:6:1: error: attribute 'src' of 'hw.route' refers to core slice 5, which does not exist",
                    "net.nmd:7:1: error: attribute 'wake_sources' of 'hw.core_slice' refers to core slice 9, which does not exist");
        }

        @Test // a route needs at least one destination
        void routeWithoutDestination() {
            Net n = hw();
            Value s = population(n);
            slice(n, s, 0, 0, 8);
            n.typed(OpKind.HW_ROUTE, attrs().putInt("src", 0).put("dst", new Attribute.Array(List.of())), List.of(s));
            finish(n, s);
            assertThat(check(n.module())).containsExactly(
                    "net.nmd:6:1: error: attribute 'dst' of 'hw.route' must be a non-empty list of core slice ids (non-negative integers), got []");
        }
    }

    // ---- 5. blobs and parameters --------------------------------------------------------------

    @Test // a blob reference that the blob table does not resolve
    void unknownBlob() {
        Net n = new Net(Stage.ANN);
        Value x = n.input("x", F16);
        n.output("y", n.typed(OpKind.ANN_DENSE, attrs().putInt("units", 10).putBlob("weight", "fc9"), List.of(x), TensorType.f32(10)));
        assertThat(check(n.module())).containsExactly("net.nmd:2:1: error: attribute 'weight' of 'ann.dense' refers to unknown blob @fc9");
    }

    @Test // stage ann holds f32 blobs only
    void integerBlobInAnn() {
        Net n = new Net(Stage.ANN).ints("w", ElementType.I8, 10, 16);
        Value x = n.input("x", F16);
        n.output("y", n.typed(OpKind.ANN_DENSE, attrs().putInt("units", 10).putBlob("weight", "w"), List.of(x), TensorType.f32(10)));
        assertThat(check(n.module())).containsExactly(
                "net.nmd:2:1: error: attribute 'weight' of 'ann.dense' refers to blob @w of type tensor<10x16xi8>; stage ann holds f32 blobs only");
    }

    @Test // hw: float blobs, float thresholds, float leak and unscaled direct input are all refused
    void floatParametersInHw() {
        Net n = new Net(Stage.HW).f32("w", 8, 16).ints("w2", ElementType.I8, 8, 8);
        Value e = n.typed(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "direct"), List.of(n.input("x", F16)), F16);
        Value h = n.typed(OpKind.SNN_DENSE, attrs().putInt("units", 8).putBlob("weight", "w"), List.of(e), TensorType.f32(8));
        Value s = n.typed(OpKind.SNN_IF, attrs().putFloat("threshold", 1.0).putInt("v0", 0), List.of(h), SpikeType.of(8));
        Value h2 = n.add(OpKind.SNN_DENSE, attrs().putInt("units", 8).putBlob("weight", "w2"), s);
        Value l = n.typed(OpKind.SNN_LIF, attrs().putInt("threshold", 4).putFloat("leak", 0.5), List.of(h2), SpikeType.of(8));
        n.output("y", n.add(OpKind.SNN_DECODE, attrs().putSymbol("mode", "count"), l));
        assertThat(check(n.module())).containsExactly(
                "net.nmd:2:1: error: hw stage holds integer parameters only: 'snn.encode' mode=direct needs 'input_scale'",
                "net.nmd:3:1: error: hw stage holds integer parameters only: attribute 'weight' of 'snn.dense' refers to f32 blob @w",
                "net.nmd:4:1: error: hw stage holds integer parameters only: attribute 'threshold' of 'snn.if' is a float (1.0)",
                "net.nmd:6:1: error: hw stage holds integer parameters only: 'snn.lif' has 'leak'; use 'leak_shift'");
    }

    @Test // hw: a pooling projection needs its integer weight; a lif without leak_shift is accepted (it does not leak)
    void missingIntegerParametersInHw() {
        Net n = new Net(Stage.HW).ints("w", ElementType.I8, 16, 16);
        Value e = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "rate"), n.input("x", F16));
        Value h = n.add(OpKind.SNN_DENSE, attrs().putInt("units", 16).putBlob("weight", "w"), e);
        Value l = n.add(OpKind.SNN_LIF, attrs().putInt("threshold", 4), h);
        Value r = n.add(OpKind.SNN_RESHAPE, attrs().putInts("shape", 1, 4, 4), l);
        Value p = n.add(OpKind.SNN_AVGPOOL, attrs().putInts("kernel", 2, 2), r);
        n.output("y", n.add(OpKind.SNN_DECODE, attrs().putSymbol("mode", "potential"), p));
        assertThat(check(n.module())).containsExactly(
                "net.nmd:6:1: error: hw stage holds integer parameters only: 'snn.avgpool' needs an integer 'weight'");
    }

    // ---- 6. types -----------------------------------------------------------------------------

    @Test // a declared result type that differs from the inferred one
    void declaredTypeDiffers() {
        Net n = new Net(Stage.ANN);
        Value x = n.input("x", F16);
        n.output("y", n.typed(OpKind.ANN_RELU, attrs(), List.of(x), TensorType.f32(10)));
        assertThat(check(n.module())).containsExactly(
                "net.nmd:2:1: error: op 'ann.relu' declared type tensor<10xf32> for %v1 but operands give tensor<16xf32>");
    }

    @Test // the type rules' own message when they reject the op
    void illTyped() {
        Net n = new Net(Stage.ANN).f32("fc", 10, 784);
        Value x = n.input("x", TensorType.f32(100));
        n.output("y", n.typed(OpKind.ANN_DENSE, attrs().putInt("units", 10).putBlob("weight", "fc"), List.of(x), TensorType.f32(10)));
        assertThat(check(n.module())).containsExactly(
                "net.nmd:2:1: error: op 'ann.dense' is ill-typed: weight @fc has shape [10, 784], expected [10, 100]");
    }

    @Test // inputs declare f32 tensors
    void inputNotF32() {
        Net n = new Net(Stage.ANN);
        Value x = n.input("x", new TensorType(Shape.of(16), ElementType.I8));
        n.output("y", x);
        assertThat(check(n.module())).containsExactly(
                "net.nmd:1:1: error: 'ann.input' must declare an f32 tensor type, got tensor<16xi8>");
    }

    // ---- 7. values and names ------------------------------------------------------------------

    @Test // a shape with more elements than a Java array holds
    void unallocatableShape() {
        Net n = new Net(Stage.ANN);
        Value x = n.input("x", TensorType.f32(65536, 65536));
        n.output("y", n.add(OpKind.ANN_FLATTEN, n.input("z", F16)));
        n.output("w", x);
        assertThat(check(n.module())).containsExactly(
                "net.nmd:1:1: error: value %v0 has type tensor<65536x65536xf32> with 4294967296 elements, more than 2147483647");
    }

    @Test // two inputs with one name, two outputs with one name
    void duplicateInputAndOutputNames() {
        Net n = new Net(Stage.ANN);
        Value x = n.input("x", F16);
        Value x2 = n.input("x", F16);
        n.output("y", x);
        n.output("y", x2);
        List<Diagnostic> ds = Verifier.verify(n.module());
        assertThat(ds).map(Diagnostic::toString).containsExactly(
                "net.nmd:2:1: error: duplicate input name \"x\"",
                "net.nmd:4:1: error: duplicate output name \"y\"");
        assertThat(ds).map(d -> d.notes().getFirst().toString()).containsExactly(
                "net.nmd:1:1: note: first used here", "net.nmd:3:1: note: first used here");
    }

    @Test // value name hints are unique
    void duplicateValueNames() {
        Net n = new Net(Stage.ANN);
        Value x = n.input("x", F16);
        Value r = n.add(OpKind.ANN_RELU, x);
        n.g.setName(x, "h");
        n.g.setName(r, "h");
        n.output("y", r);
        assertThat(check(n.module())).containsExactly("net.nmd:2:1: error: value name %h is used twice: %v0 and %v1");
    }

    @Test // a module needs an input and an output; unused values are fine
    void noInputNoOutput() {
        Net n = new Net(Stage.ANN).f32("c", 4);
        n.add(OpKind.ANN_CONST, attrs().putBlob("value", "c"));
        assertThat(check(n.module())).containsExactly(
                "<unknown>: error: module 'net' has no input", "<unknown>: error: module 'net' has no output");
    }

    // ---- 8. spiking dataflow ------------------------------------------------------------------

    @Test // encode reads a network input, not a projection's current
    void encodeReadsInput() {
        Net n = new Net(Stage.SNN).f32("w", 16, 16);
        Value e = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "direct"), n.input("x", F16));
        Value h = n.add(OpKind.SNN_DENSE, attrs().putInt("units", 16).putBlob("weight", "w"), e);
        Value e2 = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "rate"), h);
        n.output("y", n.add(OpKind.SNN_DECODE, attrs().putSymbol("mode", "count"), e2));
        assertThat(check(n.module())).containsExactly(
                "net.nmd:4:1: error: 'snn.encode' must read an 'snn.input', but %v2 comes from 'snn.dense'");
    }

    @Test // count decoding reads spikes; potential decoding reads a current
    void decodeOperandKinds() {
        Net n = new Net(Stage.SNN);
        Value e = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "rate"), n.input("x", F16));
        Value c = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "direct"), n.input("z", F16));
        n.output("y", n.typed(OpKind.SNN_DECODE, attrs().putSymbol("mode", "count"), List.of(c), new TensorType(Shape.of(16), ElementType.I32)));
        n.output("w", n.typed(OpKind.SNN_DECODE, attrs().putSymbol("mode", "potential"), List.of(e), F16));
        assertThat(check(n.module())).containsExactly(
                "net.nmd:5:1: error: 'snn.decode' mode=count reads spikes, got tensor<16xf32>",
                "net.nmd:7:1: error: 'snn.decode' mode=potential reads a current (a tensor), got spikes<16>");
    }

    // ---- all of them, in order, and the pass context ------------------------------------------

    /** A module broken in four places. */
    private static Module manyViolations() {
        Net n = new Net(Stage.SNN).f32("w", 8, 16);
        Value x = n.input("x", F16);
        Value e = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "direct"), x);
        Value r = n.typed(OpKind.ANN_RELU, attrs(), List.of(e), F16);
        Value h = n.typed(OpKind.SNN_DENSE, attrs().putInt("units", 0).putBlob("weight", "w"), List.of(r), TensorType.f32(8));
        Value s = n.typed(OpKind.SNN_IF, attrs().putFloat("threshold", 1.0), List.of(h), SpikeType.of(4));
        n.output("y", n.add(OpKind.SNN_DECODE, attrs().putSymbol("mode", "count"), s));
        n.typed(OpKind.SNN_OUTPUT, attrs().putString("name", "y"), List.of(h));
        return n.module();
    }

    @Test // every violation is reported, in program order, not just the first
    void reportsAllInOrder() {
        assertThat(check(manyViolations())).containsExactly(
                "net.nmd:3:1: error: op 'ann.relu' is not allowed in stage snn",
                "net.nmd:4:1: error: attribute 'units' of 'snn.dense' must be a positive integer, got 0",
                "net.nmd:5:1: error: op 'snn.if' declared type spikes<4> for %v4 but operands give spikes<8>",
                "net.nmd:8:1: error: duplicate output name \"y\"");
    }

    @Test // verifyOrThrow prefixes every message with the context, keeping locations
    void verifyOrThrowNamesThePass() {
        var ex = catchThrowableOfType(CompilationException.class,
                () -> Verifier.verifyOrThrow(manyViolations(), "after pass 'convert-to-snn'"));
        assertThat(ex.diagnostics()).map(Diagnostic::toString).containsExactly(
                "net.nmd:3:1: error: after pass 'convert-to-snn': op 'ann.relu' is not allowed in stage snn",
                "net.nmd:4:1: error: after pass 'convert-to-snn': attribute 'units' of 'snn.dense' must be a positive integer, got 0",
                "net.nmd:5:1: error: after pass 'convert-to-snn': op 'snn.if' declared type spikes<4> for %v4 but operands give spikes<8>",
                "net.nmd:8:1: error: after pass 'convert-to-snn': duplicate output name \"y\"");
        assertThat(ex.diagnostics().get(3).notes()).map(Diagnostic::toString).containsExactly("net.nmd:7:1: note: first used here");
    }

    @Test // the location of a diagnostic is the op's own (here an ONNX node name)
    void namedLocation() {
        Net n = new Net(Stage.ANN);
        Value x = n.input("x", F16);
        Value r = n.g.addTyped(OpKind.ANN_RELU, List.of(x), Attributes.EMPTY, List.of(TensorType.f32(4)), Location.named("Relu_3")).getFirst();
        n.output("y", r);
        assertThat(Verifier.verify(n.module())).singleElement()
                .satisfies(d -> assertThat(d.location()).isEqualTo(Location.named("Relu_3")));
    }
}
