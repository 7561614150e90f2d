package io.stupiddb.segments.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Segment file names. A file's suffix is its state, so start-up can tell what was going on when
 * the process stopped (docs/FORMAT.md, "Files"; the directories they live in: store.DataDirectory):
 * <ul>
 *   <li>{@code <id>.active}: the segment being written; recovered and sealed at start-up;</li>
 *   <li>{@code <id>.seg}: sealed (or archived in place), complete with index and footer;</li>
 *   <li>{@code <id>.seg.deleted}: evicted, deleted once its last reader is gone; leftovers are deleted at start-up;</li>
 * </ul>
 */
public final class SegmentFiles {
    public static final String ACTIVE = ".active";
    public static final String SEALED = ".seg";
    public static final String DELETED = ".seg.deleted";

    private SegmentFiles() {}

    public static Path active(Path dir, String segmentId) {
        return dir.resolve(segmentId + ACTIVE);
    }

    public static Path sealed(Path dir, String segmentId) {
        return dir.resolve(segmentId + SEALED);
    }

    public static Path deleted(Path dir, String segmentId) {
        return dir.resolve(segmentId + DELETED);
    }

    /** The segment id of a file name with the given suffix; empty when the name has another suffix. */
    public static Optional<String> idOf(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.endsWith(suffix)
                ? Optional.of(name.substring(0, name.length() - suffix.length()))
                : Optional.empty();
    }

    /** A segment file's name without its {@code .seg} or {@code .active} suffix (the whole name when it has neither). */
    public static String stem(Path file) {
        return idOf(file, SEALED)
                .or(() -> idOf(file, ACTIVE))
                .orElse(file.getFileName().toString());
    }

    /** Regular files in {@code dir} whose name ends with {@code suffix}, sorted; none when {@code dir} does not exist. */
    public static List<Path> list(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p ->
                            Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }

    public static void deleteMatching(Path dir, String suffix) throws IOException {
        for (Path file : list(dir, suffix)) {
            Files.deleteIfExists(file);
        }
    }
}
