package dev.nmcc.nmc.model;

/**
 * A routing table entry: the spikes of slice {@code source} are sent to slices {@code destinations}.
 *
 * @param source       source slice id
 * @param destinations destination slice ids, ascending
 * @param hops         mesh and chip-link hops summed over the destinations (as the mapper placed them)
 */
public record Route(int source, int[] destinations, int hops) {}
