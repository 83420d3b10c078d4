package dev.nmcc.passes.mapping;

import dev.nmcc.backend.target.Targets;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.text.IrPrinter;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test void kwsAndCnn() {
        var t = Targets.resolve("akd1500");
        var a = AllocateCores.allocate(TestNets.mlp("kws", new int[] {4040, 512, 256, 128, 35}, ElementType.I4, 1), t, AllocateCores.Settings.defaults());
        a.report().lines().forEach(System.out::println);
        System.out.println("greedy " + a.report().greedyTrafficHops());
        var c = AllocateCores.allocate(TestNets.cnn(ElementType.I4, 1), t, AllocateCores.Settings.defaults());
        c.report().lines().forEach(System.out::println);
        System.out.println("greedy " + c.report().greedyTrafficHops());
        System.out.println(IrPrinter.print(c.module(), IrPrinter.Options.ELIDED));
    }
}
