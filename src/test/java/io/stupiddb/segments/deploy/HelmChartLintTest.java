package io.stupiddb.segments.deploy;

import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code helm lint --strict} of the chart, and proof that the lint really looks at it. */
class HelmChartLintTest {

    @Test
    void chartPassesStrictLint() {
        var result = Chart.helm().lint().strict().call();
        assertFalse(result.isFailed(), () -> "helm lint --strict: " + result.getMessages());
        assertTrue(
                result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                () -> "lint warnings: " + result.getMessages());
    }

    @Test
    void chartMetadata() throws IOException {
        Map<String, Object> chart = Manifests.parseYaml(Files.readString(Chart.DIR.resolve("Chart.yaml")))
                .getFirst();
        assertEquals("v2", chart.get("apiVersion"));
        assertEquals("segment-store", chart.get("name"));
        assertEquals("0.1.0", chart.get("appVersion"));
        assertEquals("application", chart.get("type"));
        assertTrue(Files.isRegularFile(Chart.DIR.resolve("values.schema.json")), "values.schema.json");
        assertTrue(Files.isRegularFile(Chart.DIR.resolve("templates/NOTES.txt")), "NOTES.txt");
        assertTrue(Files.isRegularFile(Chart.DIR.resolve("templates/_helpers.tpl")), "_helpers.tpl");
    }

    @Test
    void lintFailsOnABrokenCopyOfTheChart(@TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("segment-store");
        try (Stream<Path> files = Files.walk(Chart.DIR)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(Chart.DIR.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        assertFalse(new Helm(copy).lint().strict().call().isFailed(), "the untouched copy lints");
        Files.writeString(
                copy.resolve("templates/service.yaml"),
                "\n  bad: {{ .Values.service.port | nosuchfunction }}\n",
                StandardOpenOption.APPEND);
        var result = new Helm(copy).lint().strict().call();
        assertTrue(result.isFailed(), () -> "lint of a broken template must fail: " + result.getMessages());
    }
}
