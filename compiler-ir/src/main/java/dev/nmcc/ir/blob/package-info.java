/**
 * Blobs: the named constant tensors of a module (weights, biases, statistics), stored in
 * primitive arrays and identified by a content hash, and the module's blob table.
 */
package dev.nmcc.ir.blob;
