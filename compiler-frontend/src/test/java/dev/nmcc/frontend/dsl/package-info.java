/** Tests of the DSL frontend: the examples, every diagnostic, and the initialisers. */
package dev.nmcc.frontend.dsl;
