package dev.nmcc.passes.mapping;

import dev.nmcc.backend.target.NpuCoord;
import dev.nmcc.backend.target.Target;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.diag.Severity;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.Type;
import dev.nmcc.ir.verify.Verifier;
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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code allocate-cores} (snn with integer parameters → hw): cuts every layer into core slices
 * under the target's limits ({@link CoreBudget}), places the slices on the chip mesh to minimise
 * expected spike traffic × distance ({@link Placement}), and writes the mapping into the IR: one
 * {@code hw.core_slice} per slice right after its layer's op, and one {@code hw.route} per
 * (projection path, source slice) right after the path's first projection, listing the
 * destination slices its spikes reach ({@link Traffic}) and the mesh hops summed over them.
 * Projections fed by the network input get no route (the input arrives through the chip's host
 * interface). Stores a {@link MappingReport} in the context and adds its lines to the report.
 *
 * <p>A network with more slices than the target's NPUs is an error naming the layer that broke
 * the budget, by how much, and the smallest {@code chips} that fits; {@code chips=N} maps onto N
 * chips, {@code chips=auto} onto as few as needed.
 */
public final class AllocateCores implements Pass {
    public static final PassInfo INFO = new PassInfo("allocate-cores",
            "split populations into core slices under the target's limits and place them on the chip mesh",
            Set.of(Stage.SNN), Stage.HW,
            List.of(new OptionSpec("chips", OptionSpec.Type.STRING, null, List.of(),
                            "spread over N chips (an integer), or 'auto' for as few as needed; default: the target's chips, error if the network does not fit"),
                    OptionSpec.integer("seed", 0, "seed of the annealing phase of placement"),
                    OptionSpec.integer("rounds", 100, "largest number of local-search rounds (each stops early at a local minimum)"),
                    OptionSpec.integer("anneal-steps", -1, "annealing moves after the descent (-1: 200 per slice; 0: none)"),
                    OptionSpec.number("rate", 0.1, "firing rate assumed for every neuron when no measured rates are given"),
                    OptionSpec.integer("samples", 100, "calibration samples the SNN interpreter runs to measure firing rates (0: do not measure)"),
                    OptionSpec.choice("rates", "calibration", List.of("calibration", "measure"),
                            "calibration: the rates calibrate-thresholds measured, when the network still has its layers and neurons; "
                                    + "measure: run the (quantized) network on 'samples' calibration samples")),
            AllocateCores::new);

    private final PassOptions options;

    /** @throws IllegalArgumentException for an option out of its range (reported at the pass in the pipeline text) */
    public AllocateCores(PassOptions options) {
        this.options = options;
        checkRate(options.number("rate"));
        if (options.integer("rounds") < 0) throw new IllegalArgumentException("rounds must be >= 0, got " + options.integer("rounds"));
        if (options.integer("anneal-steps") < -1) {
            throw new IllegalArgumentException("anneal-steps must be >= 0, or -1 for 200 per slice, got " + options.integer("anneal-steps"));
        }
        if (options.integer("samples") < 0) throw new IllegalArgumentException("samples must be >= 0, got " + options.integer("samples"));
        parseChips(options.string("chips"));
    }

    /** A firing rate: spikes per neuron per timestep, in [0, 1]. */
    static void checkRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("rate must be in [0, 1] (spikes per neuron per timestep), got " + rate);
    }

    @Override public PassInfo info() { return INFO; }

    /** How to allocate: chips (0 = the target's, -1 = auto), search effort, seed, and the activity to weigh by. */
    public record Settings(int chips, int rounds, int annealSteps, long seed, ActivityProfile activity, int timesteps) {
        public static Settings defaults() { return new Settings(0, 100, -1, 0, ActivityProfile.uniform(0.1), 32); }

        public Settings withChips(int c) { return new Settings(c, rounds, annealSteps, seed, activity, timesteps); }

        public Settings withActivity(ActivityProfile a) { return new Settings(chips, rounds, annealSteps, seed, a, timesteps); }

        public Settings withSearch(int r, int steps, long s) { return new Settings(chips, r, steps, s, activity, timesteps); }
    }

    /**
     * The result of an allocation: the hw module and its report, plus the mapper's working data
     * (for tests, the bench and annotate-wake-on-spike).
     *
     * @param target  the target as mapped (with its chip count)
     * @param npuOf   NPU index of each slice (slice ids are indices)
     * @param greedy  the greedy placement, before local search
     * @param naive   the in-order placement
     */
    public record Allocation(Module module, MappingReport report, Target target, NetworkLayers net, List<Slice> slices,
                             List<Edge> edges, int[] npuOf, int[] greedy, int[] naive, List<CoreBudget> budgets) {}

    @Override
    public PassResult run(Module module, PassContext context) {
        Settings s = new Settings(parseChips(chipsAsked(context)), options.integer("rounds"), options.integer("anneal-steps"),
                options.integer("seed"), activity(module, context), context.settings().timesteps());
        Allocation a = allocate(module, context.settings().targetOrDefault(), s);
        context.put(ActivityProfile.class, s.activity()); // annotate-wake-on-spike estimates with the same activity
        context.put(MappingReport.class, a.report());
        a.report().lines().forEach(context::report);
        return PassResult.changed(a.module());
    }

    /** The pipeline's {@code chips} option, else the driver's {@code --chips} ({@link ChipCount}); both is an error. */
    private String chipsAsked(PassContext context) {
        var driver = context.get(ChipCount.class);
        boolean inPipeline = options.given().containsKey("chips");
        if (driver.isPresent() && inPipeline) {
            throw new CompilationException(Diagnostic.error(Location.UNKNOWN, "the chips are given twice: --chips " + driver.get().value()
                    + " and allocate-cores{chips=" + options.string("chips") + "}; give one"));
        }
        return inPipeline || driver.isEmpty() ? options.string("chips") : driver.get().value();
    }

    /**
     * The expected activity: a profile already in the context; else (option {@code rates=calibration})
     * the rates calibrate-thresholds measured, when the network still has the layers and neurons
     * they were measured on; else, with calibration data, the SNN interpreter's firing rates on its
     * first {@code samples} samples; else the uniform default {@code rate}. The one used is stored in
     * the context for annotate-wake-on-spike.
     */
    private ActivityProfile activity(Module module, PassContext context) {
        var given = context.get(ActivityProfile.class);
        if (given.isPresent()) return given.get();
        if (options.string("rates").equals("calibration")) {
            var calibrated = context.get(CalibrationActivity.class).flatMap(c -> c.profileFor(module));
            if (calibrated.isPresent()) return calibrated.get();
        }
        double rate = options.number("rate");
        var calib = context.settings().calibration();
        if (calib != null && options.integer("samples") > 0) {
            try {
                ActivityProfile p = ActivityProfile.measure(NetworkLayers.of(module), calib, context.settings().timesteps(),
                        context.settings().seed(), options.integer("samples"), rate);
                context.put(ActivityProfile.class, p);
                return p;
            } catch (RuntimeException e) {
                context.diagnostics().report(Diagnostic.warning(Location.UNKNOWN, "allocate-cores could not measure firing rates ("
                        + e.getMessage() + "); assuming rate " + rate));
            }
        }
        return ActivityProfile.uniform(rate);
    }

    static int parseChips(String v) {
        if (v == null || v.isEmpty()) return 0;
        if (v.equals("auto")) return -1;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("chips must be a positive integer or 'auto', got '" + v + "'");
    }

    /** Maps a module; see the class comment. */
    public static Allocation allocate(Module module, Target base, Settings settings) {
        NetworkLayers net = NetworkLayers.of(module);
        List<CoreBudget> budgets = new ArrayList<>();
        List<Slice> slices = new ArrayList<>();
        int[] firstSlice = new int[net.layers().size() + 1];
        for (Layer l : net.layers()) {
            CoreBudget b = new CoreBudget(base, net, l);
            budgets.add(b);
            firstSlice[l.index()] = slices.size();
            for (int[] r : b.slices()) slices.add(new Slice(slices.size(), l.index(), r[0], r[1]));
        }
        firstSlice[net.layers().size()] = slices.size();
        Target target = chooseChips(base, settings.chips(), net, firstSlice, budgets);

        List<Edge> edges = Traffic.edges(net, slices, settings.activity());
        Placement placement = new Placement(target, slices.size(), edges);
        int[] greedy = placement.greedy();
        int steps = settings.annealSteps() < 0 ? 200 * slices.size() : settings.annealSteps();
        int[] npuOf = placement.optimise(settings.rounds(), steps, settings.seed());
        int[] naive = placement.inOrder();

        Module hw = emit(module, net, slices, edges, npuOf, target, budgets);
        List<Diagnostic> problems = Verifier.verify(hw);
        if (!problems.isEmpty()) {
            List<Diagnostic> errs = new ArrayList<>();
            for (Diagnostic d : problems) {
                if (d.severity() != Severity.ERROR) continue;
                errs.add(Diagnostic.error(d.location(), "allocate-cores: " + d.message()
                        + (d.message().contains("integer") ? " (run quantize-weights before allocate-cores)" : "")));
            }
            if (!errs.isEmpty()) throw new CompilationException(errs);
        }
        MappingReport report = report(module, net, target, settings, slices, edges, npuOf, greedy, naive, budgets);
        return new Allocation(hw, report, target, net, slices, edges, npuOf, greedy, naive, budgets);
    }

    /** The target with the chips asked for, or an error naming the layer that broke the budget. */
    static Target chooseChips(Target base, int chips, NetworkLayers net, int[] firstSlice, List<CoreBudget> budgets) {
        int total = firstSlice[net.layers().size()];
        int perChip = base.geometry().npusPerChip();
        int needChips = (int) CoreBudget.ceilDiv(total, perChip);
        Target t = switch (chips) {
            case 0 -> base;
            case -1 -> base.withChips(Math.max(1, needChips));
            default -> base.withChips(chips);
        };
        if (total <= t.totalNpus()) return t;
        int available = t.totalNpus();
        for (Layer l : net.layers()) {
            int upTo = firstSlice[l.index() + 1];
            if (upTo <= available) continue;
            int own = upTo - firstSlice[l.index()];
            int before = firstSlice[l.index()];
            int over = upTo - available;
            CoreBudget b = budgets.get(l.index());
            throw new CompilationException(Diagnostic.error(l.location(), "the network does not fit on target '" + t.name() + "' ("
                    + available + " NPUs on " + t.geometry().chips() + (t.geometry().chips() == 1 ? " chip" : " chips")
                    + "): layer '" + l.name() + "' needs " + own + (own == 1 ? " core (" : " cores (") + l.neurons() + " neurons, "
                    + MappingReport.memory(b.bytes(0, l.neurons())) + " of synapse memory at " + b.weightBits()
                    + "-bit weights), " + (before == 0 ? "which alone is " : "and with the " + before + " cores of the layers before it that is ")
                    + over + (over == 1 ? " core" : " cores") + " over the budget; the network needs " + total + " cores in all: the smallest number of chips that fits is "
                    + needChips + " (--chips " + needChips + " or --chips auto; in --passes: allocate-cores{chips=" + needChips + "})"));
        }
        throw new IllegalStateException("unreachable");
    }

    /** The hw module: the snn ops with core slices after each layer and routes after each path's first projection. */
    static Module emit(Module module, NetworkLayers net, List<Slice> slices, List<Edge> edges, int[] npuOf, Target target,
                       List<CoreBudget> budgets) {
        Graph g = module.graph();
        Map<Op, List<Integer>> slicesAfter = new IdentityHashMap<>();
        for (Slice s : slices) slicesAfter.computeIfAbsent(net.layer(s.layer()).op(), k -> new ArrayList<>()).add(s.id());
        // routes: per (layer, input) path, per source slice, its destinations
        Map<Op, List<Route>> routesAfter = new IdentityHashMap<>();
        Map<Long, TreeSet<Integer>> dsts = new java.util.TreeMap<>();
        for (Edge e : edges) {
            int layer = slices.get(e.dst()).layer();
            long key = ((long) layer << 42) | ((long) e.input() << 21) | e.src();
            dsts.computeIfAbsent(key, k -> new TreeSet<>()).add(e.dst());
        }
        for (var entry : dsts.entrySet()) {
            long key = entry.getKey();
            int layer = (int) (key >>> 42), input = (int) ((key >>> 21) & 0x1FFFFF), src = (int) (key & 0x1FFFFF);
            Input in = net.layer(layer).inputs().get(input);
            Op after = Traffic.firstProjection(in);
            int hops = 0;
            for (int d : entry.getValue()) hops += target.hopDistance(npuOf[src], npuOf[d]);
            routesAfter.computeIfAbsent(after, k -> new ArrayList<>()).add(new Route(in.routeValue(), src, entry.getValue(), hops, after.location()));
        }
        GraphBuilder b = new GraphBuilder(module.blobs());
        Value[] map = new Value[g.valueCount()];
        for (Op op : g.ops()) {
            List<Value> operands = new ArrayList<>(op.operands().size());
            for (Value v : op.operands()) operands.add(map[v.id()]);
            List<Type> types = new ArrayList<>();
            for (Value r : op.results()) types.add(g.type(r));
            List<Value> res = b.addTyped(op.kind(), operands, op.attributes(), types, op.location());
            for (int i = 0; i < res.size(); i++) {
                Value old = op.results().get(i);
                map[old.id()] = res.get(i);
                Value now = res.get(i);
                g.name(old).ifPresent(n -> b.setName(now, n));
            }
            for (Route r : routesAfter.getOrDefault(op, List.of())) {
                Attributes a = Attributes.builder().putInt("src", r.src())
                        .putInts("dst", r.dst().stream().mapToInt(Integer::intValue).toArray()).putInt("hops", r.hops()).build();
                b.addTyped(OpKind.HW_ROUTE, List.of(map[r.value().id()]), a, List.of(), r.loc());
            }
            for (int id : slicesAfter.getOrDefault(op, List.of())) {
                Slice s = slices.get(id);
                NpuCoord c = target.coordinates(npuOf[id]);
                Attributes a = Attributes.builder().putInt("id", id).putInts("core", c.chip(), c.node(), c.npu())
                        .putInts("neurons", s.start(), s.end()).putInt("synapse_bytes", budgets.get(s.layer()).bytes(s.start(), s.end()))
                        .build();
                b.addTyped(OpKind.HW_CORE_SLICE, List.of(map[op.result().id()]), a, List.of(), op.location());
            }
        }
        return new Module(module.name(), Stage.HW, module.blobs(), b.build());
    }

    private record Route(Value value, int src, TreeSet<Integer> dst, int hops, Location loc) {}

    /** Events × plain hops per timestep of a placement. */
    public static double trafficHops(Target t, List<Edge> edges, int[] npuOf) {
        double s = 0;
        for (Edge e : edges) s += e.events() * t.hopDistance(npuOf[e.src()], npuOf[e.dst()]);
        return s;
    }

    static String encoding(NetworkLayers net) {
        for (Layer l : net.layers()) for (Input in : l.inputs()) if (in.fromNetworkInput()) return in.encoding();
        return "none";
    }

    static MappingReport report(Module module, NetworkLayers net, Target target, Settings settings, List<Slice> slices,
                                List<Edge> edges, int[] npuOf, int[] greedy, int[] naive, List<CoreBudget> budgets) {
        ActivityProfile act = settings.activity();
        List<MappingReport.LayerInfo> layers = new ArrayList<>();
        int[] count = new int[net.layers().size()];
        long[] bytes = new long[net.layers().size()];
        List<MappingReport.SliceInfo> infos = new ArrayList<>();
        for (Slice s : slices) {
            count[s.layer()]++;
            long by = budgets.get(s.layer()).bytes(s.start(), s.end());
            bytes[s.layer()] += by;
            NpuCoord c = target.coordinates(npuOf[s.id()]);
            infos.add(new MappingReport.SliceInfo(s.id(), s.layer(), c.chip(), c.node(), c.npu(), s.start(), s.end(), by, "always", 0));
        }
        double rateSum = 0;
        long firing = 0;
        for (Layer l : net.layers()) {
            CoreBudget b = budgets.get(l.index());
            long syn = 0;
            for (Input in : l.inputs()) syn += net.synapses(in);
            boolean integ = l.kind() == NetworkLayers.Kind.INTEGRATOR;
            double rate = integ ? 0 : act.meanRate(l.index(), 0, l.neurons());
            if (!integ) {
                rateSum += rate * l.neurons();
                firing += l.neurons();
            }
            layers.add(new MappingReport.LayerInfo(l.name(), l.kind().name().toLowerCase(java.util.Locale.ROOT), l.neurons(), syn,
                    b.fanIn(), b.weightBits(), count[l.index()], b.lowerBound(), bytes[l.index()], rate));
        }
        EnergyModel.Estimate est = EnergyModel.estimate(target, net, slices, npuOf, edges, act, settings.timesteps(), null, null);
        return new MappingReport(target.name(), target.geometry().chips(), encoding(net), settings.timesteps(), layers, infos,
                target.totalNpus(), target.geometry().npusPerChip(), target.totalSynapseMemoryBytes(), target.npu().neurons(),
                target.npu().synapseMemoryBytes(), target.energy().pjPerSop(), trafficHops(target, edges, npuOf),
                trafficHops(target, edges, greedy), trafficHops(target, edges, naive), act.source(),
                firing == 0 ? 0 : rateSum / firing, est, false);
    }
}
