package dev.nmcc.driver.io;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr, for work that takes more than a moment:
 * {@code run-float [=========>          ]  45%  4500/10000 samples  0:03 < 0:04}.
 *
 * <p>Disabled bars do nothing, so callers need not check. An enabled bar stays invisible for
 * the first second (short work prints nothing), redraws at most ten times a second, and erases
 * itself when closed, so that what follows starts on a clean line.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final String label;
    private final String unit;
    private final long total;
    private final LongSupplier clock;
    private final long start;
    private long lastDraw = Long.MIN_VALUE;
    private long done;
    private boolean drawn;

    ProgressBar(PrintStream err, boolean enabled, String label, String unit, long total, LongSupplier clock) {
        this.err = err;
        this.enabled = enabled && total > 0;
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /** @param enabled true only when stderr is a terminal */
    public static ProgressBar start(PrintStream err, boolean enabled, String label, String unit, long total) {
        return new ProgressBar(err, enabled, label, unit, total, System::nanoTime);
    }

    public static ProgressBar disabled() { return new ProgressBar(System.err, false, "", "", 0, () -> 0); }

    /** Adds n units of completed work. */
    public synchronized void step(long n) {
        done = Math.min(total, done + n);
        if (!enabled) return;
        long now = clock.getAsLong();
        if (now - start < SHOW_AFTER_NANOS || (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS)) return;
        lastDraw = now;
        err.print("\r" + line(now));
        err.flush();
        drawn = true;
    }

    String line(long now) {
        double frac = total == 0 ? 1 : (double) done / total;
        int fill = (int) Math.round(frac * WIDTH);
        StringBuilder bar = new StringBuilder(WIDTH + 2).append('[');
        for (int i = 0; i < WIDTH; i++) bar.append(i < fill ? '=' : i == fill ? '>' : ' ');
        bar.append(']');
        long elapsed = (now - start) / 1_000_000_000L;
        String eta = done == 0 ? "?" : clock((long) (elapsed / frac) - elapsed);
        return String.format(Locale.ROOT, "%s %s %3d%%  %d/%d %s  %s < %s", label, bar, Math.round(frac * 100), done, total, unit,
                clock(elapsed), eta);
    }

    private static String clock(long seconds) { return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60); }

    /** Erases the bar if it was drawn. */
    @Override public synchronized void close() {
        if (drawn) {
            err.print("\r" + " ".repeat(line(clock.getAsLong()).length()) + "\r");
            err.flush();
            drawn = false;
        }
    }

    /**
     * Whether stderr is a terminal. The launcher knows ({@code [ -t 2 ]}) and passes
     * {@code -Dnmcc.stderr.tty=true|false}; {@code NMCC_PROGRESS=0|1} overrides. Without either,
     * Java can only tell whether there is an interactive console.
     */
    public static boolean stderrIsTerminal(java.util.Map<String, String> env) {
        String forced = env.get("NMCC_PROGRESS");
        if (forced != null) return forced.equals("1") || forced.equalsIgnoreCase("true");
        String prop = System.getProperty("nmcc.stderr.tty");
        if (prop != null) return Boolean.parseBoolean(prop);
        var console = System.console();
        return console != null && console.isTerminal();
    }
}
