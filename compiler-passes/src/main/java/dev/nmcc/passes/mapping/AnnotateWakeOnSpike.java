package dev.nmcc.passes.mapping;

import dev.nmcc.backend.target.Target;
import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.Type;
import dev.nmcc.passes.OptionSpec;
import dev.nmcc.passes.Pass;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassInfo;
import dev.nmcc.passes.PassOptions;
import dev.nmcc.passes.mapping.NetworkLayers.Input;
import dev.nmcc.passes.mapping.NetworkLayers.Layer;
import dev.nmcc.passes.mapping.Traffic.Edge;
import dev.nmcc.passes.mapping.Traffic.Slice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code annotate-wake-on-spike} (hw → hw): decides for every core slice whether its NPU may sleep
 * between input events, which slices' spikes wake it, and how long it waits without input before
 * sleeping again. With {@code P_a}, {@code P_s} the target's static power awake and asleep and
 * {@code L} its wake latency (cycles), the expected activity from {@link EnergyModel}:
 *
 * <pre>
 * break_even   = ceil(L · P_a / (P_a − P_s))          cycles asleep that pay for one wake-up
 * gap          = busy / max(1, events_in)             mean cycles between input events while busy
 * idle_timeout = max(break_even, ceil(3 · gap))
 * wake = always    if the slice is fed by direct (analog) input: it has input every timestep;
 *                  or P_a ≤ P_s; or L + busy + idle_timeout ≥ the timestep (it would never sleep)
 * wake = on_spike  otherwise, with wake_sources = the src of every hw.route listing it in dst
 * </pre>
 *
 * A slice fed by rate-coded input may sleep: the host interface's input events wake it too (they
 * come from no core slice, so they are not listed). The timeout is the ski-rental rule (waiting
 * as long as a wake-up costs is at most twice the optimal energy), lengthened to cover the gaps
 * between events of one burst so a core does not sleep in the middle of its work. Reports the
 * estimated energy per inference with and without the annotations and updates the
 * {@link MappingReport} in the context.
 */
public final class AnnotateWakeOnSpike implements Pass {
    public static final PassInfo INFO = new PassInfo("annotate-wake-on-spike",
            "mark cores that may sleep between input events, their wake sources and idle timeouts",
            Set.of(Stage.HW), null,
            List.of(OptionSpec.number("rate", 0.1, "firing rate assumed for every neuron when the context has no activity profile (allocate-cores leaves the one it used)")),
            AnnotateWakeOnSpike::new);

    private final PassOptions options;

    /** @throws IllegalArgumentException for a rate outside [0, 1] (reported at the pass in the pipeline text) */
    public AnnotateWakeOnSpike(PassOptions options) {
        this.options = options;
        AllocateCores.checkRate(options.number("rate"));
    }

    @Override public PassInfo info() { return INFO; }

    /** The annotated module, per slice (by id order) its decision, and the energy estimate with the annotations. */
    public record Result(Module module, List<Integer> ids, boolean[] onSpike, long[] timeout, List<TreeSet<Integer>> sources,
                         EnergyModel.Estimate estimate) {
        public int sleeping() {
            int n = 0;
            for (boolean b : onSpike) if (b) n++;
            return n;
        }
    }

    @Override
    public PassResult run(Module module, PassContext context) {
        ActivityProfile act = context.get(ActivityProfile.class).orElse(ActivityProfile.uniform(options.number("rate")));
        Result r = annotate(module, context.settings().targetOrDefault(), act, context.settings().timesteps());
        var e = r.estimate();
        double saved = e.totalAlwaysPj() > 0 ? 100 * (1 - e.totalWakePj() / e.totalAlwaysPj()) : 0;
        context.report("Wake-on-spike: " + r.sleeping() + " of " + r.ids().size() + " cores may sleep; estimated energy/inference "
                + MappingReport.energy(e.totalWakePj()) + " with it, " + MappingReport.energy(e.totalAlwaysPj()) + " without ("
                + String.format(Locale.ROOT, "%.1f", saved) + "% saved)");
        context.get(MappingReport.class).ifPresent(rep -> {
            List<MappingReport.SliceInfo> out = new ArrayList<>();
            Map<Integer, Integer> pos = new HashMap<>();
            for (int i = 0; i < r.ids().size(); i++) pos.put(r.ids().get(i), i);
            for (MappingReport.SliceInfo s : rep.slices()) {
                Integer i = pos.get(s.id());
                if (i == null) { out.add(s); continue; }
                out.add(new MappingReport.SliceInfo(s.id(), s.layer(), s.chip(), s.node(), s.npu(), s.start(), s.end(), s.bytes(),
                        r.onSpike()[i] ? "on_spike" : "always", r.onSpike()[i] ? r.timeout()[i] : 0));
            }
            context.put(MappingReport.class, rep.withWake(out, e));
        });
        return new PassResult(r.module(), attrsChanged(module, r.module()));
    }

    private static boolean attrsChanged(Module a, Module b) {
        List<Op> x = a.graph().ops(), y = b.graph().ops();
        for (int i = 0; i < x.size(); i++) if (!x.get(i).attributes().text().equals(y.get(i).attributes().text())) return true;
        return false;
    }

    /** The mapping read back from an hw module's annotations. */
    record Mapped(NetworkLayers net, Target target, List<Slice> slices, List<Integer> ids, int[] npuOf, List<Op> sliceOps) {}

    static Mapped read(Module module, Target base) {
        NetworkLayers net = NetworkLayers.of(module);
        Map<Value, Integer> layerOf = new HashMap<>();
        for (Layer l : net.layers()) layerOf.put(l.value(), l.index());
        List<Op> sliceOps = new ArrayList<>(module.graph().opsOf(OpKind.HW_CORE_SLICE));
        sliceOps.sort((p, q) -> Long.compare(p.attributes().getInt("id", 0), q.attributes().getInt("id", 0)));
        int maxChip = 0;
        for (Op op : sliceOps) maxChip = Math.max(maxChip, op.attributes().getInts("core", new int[] {0, 0, 0})[0]);
        Target target = maxChip + 1 > base.geometry().chips() ? base.withChips(maxChip + 1) : base;
        List<Slice> slices = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        int[] npuOf = new int[sliceOps.size()];
        for (int i = 0; i < sliceOps.size(); i++) {
            Op op = sliceOps.get(i);
            Integer layer = layerOf.get(op.operand(0));
            if (layer == null) {
                throw new CompilationException(Diagnostic.error(op.location(),
                        "hw.core_slice must annotate a population (snn.if, snn.lif) or a potential decoder"));
            }
            int[] nr = op.attributes().getInts("neurons", null);
            int[] c = op.attributes().getInts("core", null);
            try {
                npuOf[i] = target.index(c[0], c[1], c[2]);
            } catch (IndexOutOfBoundsException e) {
                throw new CompilationException(Diagnostic.error(op.location(), "core [" + c[0] + ", " + c[1] + ", " + c[2]
                        + "] is not an NPU of target '" + target.name() + "'"));
            }
            slices.add(new Slice(i, layer, nr[0], nr[1]));
            ids.add((int) op.attributes().getInt("id", 0));
        }
        return new Mapped(net, target, slices, ids, npuOf, sliceOps);
    }

    /** Annotates a module; see the class comment. */
    public static Result annotate(Module module, Target base, ActivityProfile activity, int timesteps) {
        Mapped m = read(module, base);
        int n = m.slices().size();
        List<Edge> edges = Traffic.edges(m.net(), m.slices(), activity);
        EnergyModel.Estimate awake = EnergyModel.estimate(m.target(), m.net(), m.slices(), m.npuOf(), edges, activity, timesteps, null, null);
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) index.put(m.ids().get(i), i);
        List<TreeSet<Integer>> sources = new ArrayList<>();
        for (int i = 0; i < n; i++) sources.add(new TreeSet<>());
        for (Op r : module.graph().opsOf(OpKind.HW_ROUTE)) {
            int src = (int) r.attributes().getInt("src", -1);
            for (int d : r.attributes().getInts("dst", new int[0])) {
                Integer i = index.get(d);
                if (i != null) sources.get(i).add(src);
            }
        }
        var en = m.target().energy();
        var timing = m.target().timing();
        boolean[] onSpike = new boolean[n];
        long[] timeout = new long[n];
        double pa = en.staticPowerAwakeUw(), ps = en.staticPowerAsleepUw();
        long latency = timing.wakeLatencyCycles();
        for (int i = 0; i < n; i++) {
            Layer l = m.net().layer(m.slices().get(i).layer());
            boolean direct = false;
            for (Input in : l.inputs()) if (in.fromNetworkInput() && "direct".equals(in.encoding())) direct = true;
            if (direct || pa <= ps) continue;
            long breakEven = (long) Math.ceil(latency * pa / (pa - ps));
            double gap = awake.busyCycles()[i] / Math.max(1.0, awake.eventsIn()[i]);
            long t = Math.max(breakEven, (long) Math.ceil(3 * gap));
            if (latency + awake.busyCycles()[i] + t >= awake.timestepCycles()) continue;
            onSpike[i] = true;
            timeout[i] = t;
        }
        EnergyModel.Estimate withWake = EnergyModel.estimate(m.target(), m.net(), m.slices(), m.npuOf(), edges, activity, timesteps,
                onSpike, timeout);
        Map<Op, Integer> pos = new IdentityHashMap<>();
        for (int i = 0; i < n; i++) pos.put(m.sliceOps().get(i), i);
        Module out = rewriteAttributes(module, op -> {
            Integer i = pos.get(op);
            if (i == null) return op.attributes();
            Attributes a = op.attributes().without("wake").without("wake_sources").without("idle_timeout")
                    .with("wake", new Attribute.Symbol(onSpike[i] ? "on_spike" : "always"));
            if (onSpike[i]) {
                a = a.with("wake_sources", Attribute.Array.ofInts(sources.get(i).stream().mapToInt(Integer::intValue).toArray()))
                        .with("idle_timeout", new Attribute.Int(timeout[i]));
            }
            return a;
        });
        return new Result(out, m.ids(), onSpike, timeout, sources, withWake);
    }

    /** A copy of the module with each op's attributes replaced by {@code attrs(op)} (in schema order). */
    static Module rewriteAttributes(Module module, java.util.function.Function<Op, Attributes> attrs) {
        Graph g = module.graph();
        GraphBuilder b = new GraphBuilder(module.blobs());
        Value[] map = new Value[g.valueCount()];
        for (Op op : g.ops()) {
            List<Value> operands = new ArrayList<>();
            for (Value v : op.operands()) operands.add(map[v.id()]);
            List<Type> types = new ArrayList<>();
            for (Value r : op.results()) types.add(g.type(r));
            List<Value> res = b.addTyped(op.kind(), operands, attrs.apply(op), types, op.location());
            for (int i = 0; i < res.size(); i++) {
                Value old = op.results().get(i), now = res.get(i);
                map[old.id()] = now;
                g.name(old).ifPresent(nm -> b.setName(now, nm));
            }
        }
        return new Module(module.name(), module.stage(), module.blobs(), b.build());
    }
}
