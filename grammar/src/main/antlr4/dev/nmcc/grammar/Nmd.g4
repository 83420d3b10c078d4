/*
 * The nmcc network DSL (.nmd). Reference: docs/dsl.md.
 *
 * A program is one network: a params file, inputs, bindings NAME = expr, outputs. Ops are
 * plain calls; which names are ops and what their arguments mean is decided by the frontend
 * (compiler-frontend, dev.nmcc.frontend.dsl), not here, so that an unknown op or argument is
 * a located semantic error with a suggestion rather than a syntax error.
 */
// The package, dev.nmcc.grammar, comes from the directory.
grammar Nmd;

program : network EOF ;

network : NETWORK name=ident LBRACE statement* RBRACE ;

statement
    : PARAMS path=STRING SEMI                                                   # paramsStmt
    | INPUT name=ident COLON elem=ident LBRACK dims+=INT (COMMA dims+=INT)* COMMA? RBRACK
          (RANGE LBRACK lo=number COMMA hi=number RBRACK)?
          (ENCODE encoding=ident)? SEMI                                         # inputStmt
    | name=ident ASSIGN expr SEMI                                               # assignStmt
    | OUTPUT name=ident (DECODE decoding=ident)? SEMI                           # outputStmt
    ;

expr
    : callee=ident LPAREN (arg (COMMA arg)* COMMA?)? RPAREN                     # callExpr
    | ref                                                                       # refExpr
    | STRING                                                                    # stringExpr
    | number                                                                    # numberExpr
    | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK                                # listExpr
    ;

arg : (key=ident ASSIGN)? expr ;

/** A name, or a dotted parameter path such as conv1.weight or net.0.weight. */
ref : ident (DOT segment)* ;

segment : ident | INT | FLOAT ;

number : MINUS? (INT | FLOAT) ;

/** Identifiers; the clause words range/encode/decode are keywords only where they open a clause. */
ident : ID | RANGE | ENCODE | DECODE ;

NETWORK : 'network' ;
PARAMS  : 'params' ;
INPUT   : 'input' ;
OUTPUT  : 'output' ;
RANGE   : 'range' ;
ENCODE  : 'encode' ;
DECODE  : 'decode' ;

LBRACE : '{' ;
RBRACE : '}' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACK : '[' ;
RBRACK : ']' ;
COMMA  : ',' ;
SEMI   : ';' ;
COLON  : ':' ;
ASSIGN : '=' ;
DOT    : '.' ;
MINUS  : '-' ;

ID     : [A-Za-z_] [A-Za-z_0-9]* ;
FLOAT  : DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT ;
INT    : DIGITS ;
STRING : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* '"' ;

fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n\f]+ -> skip ;
