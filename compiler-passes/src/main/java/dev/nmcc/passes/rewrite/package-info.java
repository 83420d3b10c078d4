/**
 * {@link dev.nmcc.passes.rewrite.GraphRewriter}: copies a module op by op into a new graph, letting
 * a pass replace, drop or insert ops, so that passes do not each re-implement copying.
 */
package dev.nmcc.passes.rewrite;
