/** Shared queries on spiking ({@code snn}/{@code hw}) graphs used by several passes. */
package dev.nmcc.passes.snn;
