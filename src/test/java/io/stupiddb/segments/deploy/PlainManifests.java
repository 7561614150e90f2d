package io.stupiddb.segments.deploy;

import io.stupiddb.segments.deploy.Manifests.KubeObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The plain manifests in kubernetes/. */
final class PlainManifests {

    static final Path DIR = Path.of("kubernetes");
    static final String KUSTOMIZATION = "kustomization.yaml";

    private PlainManifests() {}

    /** Every YAML file in kubernetes/ except the kustomization, sorted by name. */
    static List<Path> resourceFiles() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml"))
                    .filter(f -> !f.getFileName().toString().equals(KUSTOMIZATION))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object of every resource file, validated. */
    static List<KubeObject> objects() {
        var objects = new ArrayList<KubeObject>();
        for (Path file : resourceFiles()) {
            objects.addAll(Manifests.validateAll(read(file)));
        }
        return objects;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
