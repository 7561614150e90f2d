package io.stupiddb.segments.tool;

import io.stupiddb.segments.lifecycle.NotSalvageableException;
import io.stupiddb.segments.lifecycle.Salvager;
import io.stupiddb.segments.store.ClassedStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.StoreLockedException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;

/**
 * {@code segment-tool salvage FILE [--archive-dir DIR]}: the offline form of
 * {@code POST /api/v1/segments/{id}/salvage}, with the service stopped. FILE names the segment: a
 * {@code <id>.seg} of the data directory or its archive, or a copy under {@code quarantine/}
 * ({@code <id>.seg.<ms>}, {@code <id>.active.<ms>}). The data directory is the nearest one above
 * FILE holding {@code journal/}; the store is opened there with every retention class's store in
 * {@code classes/} (taking their locks, recovering as a start would), salvaged by segment id exactly
 * as the service does (journal included) and closed.
 *
 * <p>Exit codes as {@link SegmentTool}: 0 salvaged, 1 nothing salvageable, 2 usage, I/O error or
 * the directory in use.
 */
final class SalvageCommand {
    private final PrintStream out;
    private final PrintStream err;

    SalvageCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(Path file, Optional<Path> archiveDir) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        Optional<Path> dataDir = dataDirOf(file.toAbsolutePath());
        if (dataDir.isEmpty()) {
            err.println("segment-tool: no data directory (a directory with journal/) above " + file);
            return SegmentTool.USAGE;
        }
        String name = file.getFileName().toString();
        String segmentId = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        StoreConfig config = StoreConfig.builder(dataDir.get())
                .archiveDir(archiveDir)
                .minFreeDisk(0)
                .build();
        try (ClassedStore store = ClassedStore.open(config, InstantSource.system())) {
            Salvager.Salvaged salvaged = store.salvage(segmentId);
            out.println("salvaged segment " + segmentId + " from " + salvaged.sources() + ": " + salvaged.kept()
                    + " documents kept, " + salvaged.lost().size() + " lost"
                    + (salvaged.lossKnown() ? "" : " (no intact index: which ones is unknown)"));
            salvaged.lost().forEach(id -> out.println("lost " + id));
            return SegmentTool.OK;
        } catch (StoreLockedException e) {
            err.println("segment-tool: " + e.getMessage()
                    + ": stop the service first, or salvage through it: POST /api/v1/segments/" + segmentId
                    + "/salvage");
            return SegmentTool.USAGE;
        } catch (NotSalvageableException e) {
            err.println("segment-tool: " + e.getMessage());
            return SegmentTool.CORRUPT;
        }
    }

    /** The nearest directory at or above {@code file}'s own that holds {@code journal/}. */
    private static Optional<Path> dataDirOf(Path file) {
        for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("journal"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
