package io.stupiddb.segments.deploy;

import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.stupiddb.segments.deploy.StoreInvariants.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dockerfiles cannot be built here (no container engine), so their instructions are
 * checked against what the manifests expect: user, volume, ports, data directory.
 */
class DockerfilesTest {

    private static final Path DIR = Path.of("src", "main", "docker");

    /** Instructions with continuation lines joined and comments dropped. */
    static List<String> instructions(String file) throws IOException {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DIR.resolve(file))) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            result.add(current.toString());
            current.setLength(0);
        }
        return result;
    }

    static List<String> withKeyword(List<String> instructions, String keyword) {
        return instructions.stream()
                .filter(i -> i.toUpperCase(Locale.ROOT).startsWith(keyword + " "))
                .toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void matchesWhatTheManifestsExpect(String file) {
        List<String> instructions = assertDoesNotThrowIo(file);
        List<String> users = withKeyword(instructions, "USER");
        int runAsUser = single(PlainManifests.objects(), V1StatefulSet.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext()
                .getRunAsUser()
                .intValue();
        assertEquals("USER " + runAsUser, users.getLast(), "runs as the user the manifests run it as");
        assertTrue(withKeyword(instructions, "VOLUME").stream().anyMatch(v -> v.contains("/data")), "VOLUME /data");
        assertTrue(withKeyword(instructions, "EXPOSE").contains("EXPOSE 8080 9000"), "EXPOSE 8080 9000");
        assertTrue(
                withKeyword(instructions, "ENV").contains("ENV SEGMENTS_DATA_DIR=/data/segments"),
                "data dir on the volume");
    }

    @Test
    void jvmImageUsesTheQuarkusLayoutOnJava25() throws IOException {
        List<String> instructions = instructions("Dockerfile.jvm");
        assertTrue(withKeyword(instructions, "FROM").getFirst().contains("openjdk-25"), "a Java 25 runtime");
        assertEquals(
                List.of(
                        "COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/",
                        "COPY --chown=185 target/quarkus-app/*.jar /deployments/",
                        "COPY --chown=185 target/quarkus-app/app/ /deployments/app/",
                        "COPY --chown=185 target/quarkus-app/quarkus/ /deployments/quarkus/",
                        "COPY --chown=185 src/main/bin/aot-train /deployments/aot-train"),
                withKeyword(instructions, "COPY"));
        // the AOT cache: trained in the image by its own JDK, as the runtime user, and used
        assertEquals(
                List.of("RUN /deployments/aot-train --java java /deployments && rm /deployments/aot-train"),
                withKeyword(instructions, "RUN").stream()
                        .filter(r -> r.contains("aot-train"))
                        .toList());
        assertTrue(
                instructions.indexOf("USER 185")
                        < instructions.indexOf(withKeyword(instructions, "RUN").getLast()),
                "trained as the user that runs the service (it owns /deployments)");
        assertTrue(withKeyword(instructions, "ENV").stream()
                .anyMatch(
                        e -> e.startsWith("ENV JAVA_OPTS_APPEND=") && e.contains("-XX:AOTCache=/deployments/app.aot")));
        assertTrue(withKeyword(instructions, "ENV").stream()
                .anyMatch(e ->
                        e.startsWith("ENV JAVA_OPTS_APPEND=") && e.contains("--enable-native-access=ALL-UNNAMED")));
    }

    @Test
    void nativeImageUsesTheQuarkusMicroBase() throws IOException {
        List<String> instructions = instructions("Dockerfile.native-micro");
        assertTrue(
                withKeyword(instructions, "FROM").getFirst().startsWith("FROM quay.io/quarkus/quarkus-micro-image:"));
        assertTrue(withKeyword(instructions, "COPY").getFirst().contains("target/*-runner"));
    }

    private static List<String> assertDoesNotThrowIo(String file) {
        try {
            return instructions(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
