/** Tests of the NumPy reader and writer against fixtures written by numpy. */
package dev.nmcc.frontend.numpy;
