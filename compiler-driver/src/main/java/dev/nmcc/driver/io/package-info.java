/** The driver's file output (atomic: temporary file, then rename) and its terminal progress bar. */
package dev.nmcc.driver.io;
