package dev.nmcc.nmc.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nmcc.nmc.model.NmcModel;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged files: every truncation, thousands of seeded random byte flips and multi-byte
 * corruptions, in the whole file and (with the checksum made to match) inside the body. Each one
 * either loads and validates, or fails with {@link NmcFormatException}; never another exception,
 * never an out-of-memory, never a hang (the timeout).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RobustnessTest {
    private final NmcModel model = TestModels.small();
    private final byte[] good = NmcWriter.toBytes(model);

    /** Loads or fails cleanly; returns whether it loaded. */
    private static boolean loadsOrFailsCleanly(byte[] bytes, String what) {
        try {
            NmcModel m = NmcReader.read(bytes, "f.nmc");
            // What loads is valid, so it writes back without complaint.
            NmcWriter.toBytes(m);
            return true;
        } catch (NmcFormatException e) {
            assertThat(e.getMessage()).startsWith("f.nmc: ").doesNotContain("\n");
            return false;
        } catch (Throwable t) {
            fail(what + ": " + t, t);
            return false;
        }
    }

    @Test void everyTruncation() {
        for (int len = 0; len < good.length; len++) {
            assertThat(loadsOrFailsCleanly(Arrays.copyOf(good, len), "truncated to " + len)).as("truncated to %d", len).isFalse();
        }
        assertThat(loadsOrFailsCleanly(good, "intact")).isTrue();
    }

    @Test void randomByteFlipsAnywhere() {
        Random rnd = new Random(1234);
        for (int i = 0; i < 3000; i++) {
            byte[] b = good.clone();
            int at = rnd.nextInt(b.length);
            b[at] ^= (byte) (1 + rnd.nextInt(255));
            loadsOrFailsCleanly(b, "flip at " + at);
        }
    }

    @Test void multiByteCorruptionsOfTheHeaderRegion() {
        Random rnd = new Random(99);
        int headerEnd = Math.min(good.length, 160); // root offset, identifier, vtables, Header table, body length
        for (int i = 0; i < 2000; i++) {
            byte[] b = good.clone();
            int n = 1 + rnd.nextInt(8);
            for (int k = 0; k < n; k++) b[rnd.nextInt(headerEnd)] = (byte) rnd.nextInt(256);
            loadsOrFailsCleanly(b, "header corruption " + i);
        }
        // Extreme values in every 4-byte word of the header region.
        for (int at = 0; at + 4 <= headerEnd; at++) {
            for (int v : new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, good.length, good.length - 1}) {
                byte[] b = good.clone();
                java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(at, v);
                loadsOrFailsCleanly(b, "word " + v + " at " + at);
            }
        }
    }

    /** The checksum catches body damage first; here the CRC is recomputed so that the body decoder and the validator see it. */
    @Test void corruptionsInsideTheBodyBehindAValidChecksum() {
        byte[] body = NmcReader.checkedBody(good, "f.nmc").body();
        Random rnd = new Random(5);
        int loaded = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = body.clone();
            int n = i % 3 == 0 ? 1 + rnd.nextInt(6) : 1;
            for (int k = 0; k < n; k++) {
                int at = rnd.nextInt(b.length);
                if (i % 2 == 0) b[at] ^= (byte) (1 << rnd.nextInt(8));
                else b[at] = (byte) rnd.nextInt(256);
            }
            if (loadsOrFailsCleanly(NmcWriter.envelope(model, b, FormatVersion.MAJOR, FormatVersion.MINOR), "body corruption " + i)) loaded++;
        }
        // Flips inside weight bytes, names or the report still give valid models: some load, many do not.
        assertThat(loaded).isBetween(1, 2999);
        for (int len = 0; len < body.length; len += 1) {
            loadsOrFailsCleanly(NmcWriter.envelope(model, Arrays.copyOf(body, len), FormatVersion.MAJOR, FormatVersion.MINOR),
                    "body truncated to " + len);
        }
    }
}
