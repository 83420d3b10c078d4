package dev.nmcc.frontend.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.grammar.NmdParser;
import org.junit.jupiter.api.Test;

/** The grammar: parameter paths, comments, trailing commas and soft keywords. */
class ParserTest {
    private static NmdParser.ExprContext firstExpr(String body) {
        var program = DslFrontend.parse("network n {\n" + body + "\n}\n", "p.nmd");
        return ((NmdParser.AssignStmtContext) program.network().statement(0)).expr();
    }

    /** Dotted paths keep numeric segments, including ones the lexer reads as a float ("0.1"). */
    @Test
    void dottedParameterPaths() {
        var call = (NmdParser.CallExprContext) firstExpr("y = dense(x, 2, weight = net.0.1.weight, bias = net.0.bias);");
        assertThat(call.arg(2).expr().getText()).isEqualTo("net.0.1.weight");
        assertThat(call.arg(3).expr().getText()).isEqualTo("net.0.bias");
        assertThat(call.arg(2).key.getText()).isEqualTo("weight");
    }

    /** Comments of both kinds anywhere, trailing commas in calls and lists, negative numbers. */
    @Test
    void commentsAndTrailingCommas() {
        var call = (NmdParser.CallExprContext) firstExpr(
                "/* a\n block */ y = conv2d(x, // line\n 2, pad = [1, -1, /* in */ 1, 0,], );");
        assertThat(call.arg()).hasSize(3);
        assertThat(call.arg(2).expr().getText()).isEqualTo("[1,-1,1,0,]");
    }

    /** range, encode and decode are names outside their clauses. */
    @Test
    void softKeywords() {
        var call = (NmdParser.CallExprContext) firstExpr("range = relu(encode);");
        assertThat(call.callee.getText()).isEqualTo("relu");
        assertThat(call.arg(0).expr().getText()).isEqualTo("encode");
    }
}
