/**
 * Source locations of ops: a file position of the DSL, a node name of a serialized graph, or
 * unknown. Not part of op equality; diagnostics from any pass point there.
 */
package dev.nmcc.ir.loc;
