/**
 * Attributes: the compile-time constants attached to ops (integers, floats, booleans, strings,
 * keywords, blob references, arrays), compared structurally and printed in the text form.
 */
package dev.nmcc.ir.attr;
