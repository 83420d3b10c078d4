package dev.nmcc.driver.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    private String printed() { return bytes.toString(StandardCharsets.UTF_8); }

    @Test
    void disabledBarPrintsNothing() {
        try (ProgressBar bar = new ProgressBar(err, false, "run", "samples", 10, () -> now)) {
            now = 5_000_000_000L;
            bar.step(5);
        }
        assertThat(printed()).isEmpty();
    }

    @Test
    void shortWorkPrintsNothingLongWorkDrawsAndErases() {
        try (ProgressBar bar = new ProgressBar(err, true, "run", "samples", 10, () -> now)) {
            now = 500_000_000L;
            bar.step(2); // before one second: invisible
            assertThat(printed()).isEmpty();
            now = 2_000_000_000L;
            bar.step(3);
            assertThat(printed()).startsWith("\rrun [===============>").contains(" 50%  5/10 samples  0:02 < 0:02");
        }
        assertThat(printed()).endsWith("\r");
        assertThat(printed().substring(printed().lastIndexOf('\r', printed().length() - 2))).isBlank();
    }

    @Test
    void environmentOverridesTerminalDetection() {
        assertThat(ProgressBar.stderrIsTerminal(Map.of("NMCC_PROGRESS", "1"))).isTrue();
        assertThat(ProgressBar.stderrIsTerminal(Map.of("NMCC_PROGRESS", "0"))).isFalse();
    }
}
