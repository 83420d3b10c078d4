package dev.nmcc.driver.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nmcc.sim.cycle.CycleStats;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimReportTest {
    /**
     * Three samples, T = 32, hand-computed: rates 94/960 = 9.8% and 68/(20·96) = 3.5%; SOPs mean
     * (300,000 + 312,400 + 324,800) / 3 = 312,400, p99 the largest; energy mean 880,000 pJ, dynamic
     * 750,000 / 3 = 250,000, static 1,890,000 / 3 = 630,000, always awake 4.4 µJ in all: sleeping
     * saved 1 − 2.64 / 4.4 = 40%; latency p50 = 93,600 cycles / 300 MHz = 312 µs, p99 = 174,000 /
     * 300 = 580 µs; cores asleep 600/1000 and 0/1000: mean 30%.
     */
    static SimReport cycleReport() {
        List<SimReport.LayerActivity> layers = List.of(
                new SimReport.LayerActivity("dense_0", 10, 94, new long[] {0, 0, 10, 10, 10, 10, 10, 14, 15, 15}),
                new SimReport.LayerActivity("dense_1", 20, 68, new long[20]));
        CycleStats cycle = new CycleStats(300, new long[] {90_000, 93_600, 174_000}, new long[32],
                List.of(new CycleStats.CoreStats(0, 100, 300, 600, 1000, 2), new CycleStats.CoreStats(1, 500, 500, 0, 2000, 0)),
                30, 0, 960, new double[] {800_000, 900_000, 940_000}, 750_000, 1_890_000, 4_400_000);
        return new SimReport("m.nmc", "cycle", 3, 32, 0, 2, layers, new long[] {312_400, 300_000, 324_800}, cycle, 0.8);
    }

    @Test
    void cycleModeLinesAreTheBoardsNumbers() {
        assertThat(cycleReport().lines()).containsExactly(
                "Accuracy: 66.7% (3 samples, T=32)",
                "Firing rate per layer: dense_0 9.8%, dense_1 3.5%",
                "SOPs/inference: mean 312,400  p99 324,800",
                "Energy/inference: mean 0.88 µJ  (dynamic 0.25, static 0.63; wake-on-spike saved 40%)",
                "Latency: p50 312 µs  p99 580 µs at 300 MHz",
                "Cores: 2 used, mean 30% asleep");
    }

    /** Functional mode knows only the SOPs: it prints their energy, labelled as such, and how to get the rest. */
    @Test
    void functionalModeSaysHowToGetEnergyAndLatency() {
        SimReport c = cycleReport();
        SimReport f = new SimReport("m.nmc", "functional", 3, 32, 0, 2, c.layers(), c.sampleSops(), null, 0.8);
        assertThat(f.lines()).containsExactly(
                "Accuracy: 66.7% (3 samples, T=32)",
                "Firing rate per layer: dense_0 9.8%, dense_1 3.5%",
                "SOPs/inference: mean 312,400  p99 324,800",
                "Energy/inference: SOPs alone 0.25 µJ (0.80 pJ/SOP); run with --mode cycle for total energy, latency and cores");
        SimReport interp = new SimReport("m.nmir", "interpreter", 3, 32, 0, -1, c.layers(), c.sampleSops(), null, Double.NaN);
        assertThat(interp.lines()).containsExactly("Samples: 3, T=32", "Firing rate per layer: dense_0 9.8%, dense_1 3.5%",
                "SOPs/inference: mean 312,400  p99 324,800");
    }

    /** The JSON has the text's numbers unrounded, and nulls where the cycle model did not run. */
    @Test
    void jsonHasTheSameNumbers() throws IOException {
        Map<String, Object> j = flatten(cycleReport().json());
        assertThat(j).containsEntry("engine", "cycle").containsEntry("samples", 3L).containsEntry("correct", 2L);
        assertThat((double) j.get("accuracy")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(j).containsEntry("layers.0.name", "dense_0").containsEntry("layers.0.spikes", 94L).containsEntry("layers.0.silent_neurons", 2L);
        assertThat((double) j.get("layers.0.firing_rate")).isEqualTo(94.0 / 960);
        assertThat(j).containsEntry("sops_per_inference.mean", 312_400.0).containsEntry("sops_per_inference.p50", 312_400L)
                .containsEntry("sops_per_inference.p99", 324_800L).containsEntry("sops_per_inference.max", 324_800L);
        assertThat(j).containsEntry("energy_uj_per_inference.mean", 0.88).containsEntry("energy_uj_per_inference.dynamic", 0.25)
                .containsEntry("energy_uj_per_inference.static", 0.63);
        assertThat((double) j.get("energy_uj_per_inference.wake_on_spike_saved")).isCloseTo(0.4, within(1e-12));
        assertThat(j).containsEntry("latency_us.p50", 312.0).containsEntry("latency_us.p99", 580.0).containsEntry("latency_us.clock_mhz", 300.0);
        assertThat(j).containsEntry("cores.used", 2L).containsEntry("cores.mean_asleep", 0.3).containsEntry("cores.per_core.0.asleep_cycles", 600L)
                .containsEntry("cores.hops_per_inference", 10.0);

        SimReport c = cycleReport();
        Map<String, Object> f = flatten(new SimReport("m.nmir", "interpreter", 3, 32, 0, -1, c.layers(), c.sampleSops(), null, Double.NaN).json());
        assertThat(f).containsEntry("correct", null).containsEntry("accuracy", null).containsEntry("pj_per_sop", null)
                .containsEntry("energy_uj_per_inference", null).containsEntry("latency_us", null).containsEntry("cores", null);
    }

    @Test
    void percentilesAreNearestRank() {
        long[] v = {5, 1, 4, 2, 3};
        assertThat(Percentiles.of(v, 0.5)).isEqualTo(3);
        assertThat(Percentiles.of(v, 0.99)).isEqualTo(5);
        assertThat(Percentiles.of(v, 0.0)).isEqualTo(1);
        assertThat(Percentiles.of(new long[0], 0.5)).isZero();
        assertThat(v).containsExactly(5, 1, 4, 2, 3); // not sorted in place
    }

    @Test
    void roundingKeepsAboutThreeDigits() {
        assertThat(List.of(SimReport.sig(0.0251), SimReport.sig(0.884), SimReport.sig(1.254), SimReport.sig(12.34), SimReport.sig(312.4),
                SimReport.sig(4210.2))).containsExactly("0.025", "0.88", "1.25", "12.3", "312", "4,210");
    }

    /** Energies and times are shown in the unit that suits them; 0.88 µJ stays µJ, 730 pJ becomes 0.73 nJ. */
    @Test
    void unitsFollowTheMagnitude() {
        assertThat(SimReport.Unit.energy(50).name()).isEqualTo("pJ");
        SimReport.Unit nj = SimReport.Unit.energy(730);
        assertThat(nj.name() + " " + SimReport.sig(nj.of(730))).isEqualTo("nJ 0.73");
        assertThat(SimReport.Unit.energy(880_000).name()).isEqualTo("µJ");
        assertThat(SimReport.Unit.energy(2e8).name()).isEqualTo("mJ");
        SimReport.Unit ms = SimReport.Unit.time(4099);
        assertThat(ms.name() + " " + SimReport.sig(ms.of(4099))).isEqualTo("ms 4.10");
        assertThat(SimReport.Unit.time(312).name()).isEqualTo("µs");
        SimReport c = cycleReport();
        CycleStats small = new CycleStats(300, new long[] {288, 288}, new long[32], c.cycle().cores(), 0, 0, 0, new double[] {730, 730}, 1220,
                240, 1460);
        assertThat(new SimReport("m.nmc", "cycle", 2, 32, 0, 2, c.layers(), new long[] {512, 512}, small, 0.8).lines()).contains(
                "Energy/inference: mean 0.73 nJ  (dynamic 0.61, static 0.12; wake-on-spike saved 0%)",
                "Latency: p50 0.96 µs  p99 0.96 µs at 300 MHz");
    }

    /** The JSON as "path.to.field" → value (Long, Double, String or null). */
    static Map<String, Object> flatten(String json) throws IOException {
        Map<String, Object> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            walk(p, p.nextToken(), "", out);
        }
        return out;
    }

    private static void walk(JsonParser p, JsonToken t, String path, Map<String, Object> out) throws IOException {
        String prefix = path.isEmpty() ? "" : path + ".";
        switch (t) {
            case START_OBJECT -> {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    walk(p, p.nextToken(), prefix + name, out);
                }
            }
            case START_ARRAY -> {
                int i = 0;
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) walk(p, e, prefix + i++, out);
            }
            case VALUE_NUMBER_INT -> out.put(path, p.getLongValue());
            case VALUE_NUMBER_FLOAT -> out.put(path, p.getDoubleValue());
            case VALUE_STRING -> out.put(path, p.getText());
            case VALUE_NULL -> out.put(path, null);
            default -> out.put(path, p.getText());
        }
    }
}
