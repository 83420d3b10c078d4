/** Pictures for people, written as self-contained SVG by hand: the spike raster of {@code nmcc validate --raster}. */
package dev.nmcc.driver.render;
