/**
 * Reference interpreters that execute modules on the IR itself (DESIGN §3): the float ANN
 * interpreter and its batch data type.
 */
package dev.nmcc.ir.interp;
