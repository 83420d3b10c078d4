package dev.nmcc.tests.lit;

import dev.nmcc.driver.Main;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden tests: one container per feature directory under {@code lit/}, one test per case.
 * Files are read from the test class path (Maven copies {@code src/test/resources} to
 * {@code target/test-classes}), so relative {@code params} paths resolve next to the copies.
 */
class LitTest {
    static final LitRunner RUNNER = new LitRunner((args, out, err) -> Main.run(args, out, err, Map.of("NMCC_PROGRESS", "0")));

    @TestFactory
    Stream<DynamicNode> lit() throws IOException, URISyntaxException {
        Path root = Path.of(LitTest.class.getResource("/lit").toURI());
        List<DynamicNode> features = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                features.add(DynamicContainer.dynamicContainer(dir.getFileName().toString(), dir.toUri(), cases(dir).stream()));
            }
        }
        return features.stream();
    }

    static List<DynamicNode> cases(Path dir) throws IOException {
        List<DynamicNode> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(LitTest::isCandidate).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (!LitCase.isLitFile(text)) continue;
                List<LitCase> parsed;
                try {
                    parsed = LitCase.parseFile(f, text);
                } catch (IllegalArgumentException e) { // a malformed lit file is one failing test
                    tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> {
                        throw new AssertionError(e.getMessage());
                    }));
                    continue;
                }
                for (LitCase c : parsed) tests.add(DynamicTest.dynamicTest(c.name(), f.toUri(), () -> RUNNER.run(c)));
            }
        }
        return tests;
    }

    static boolean isCandidate(Path f) {
        String n = f.getFileName().toString();
        return Files.isRegularFile(f) && !n.startsWith(".") && (n.endsWith(".nmd") || n.endsWith(".nmir"));
    }
}
