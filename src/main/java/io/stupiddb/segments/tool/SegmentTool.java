package io.stupiddb.segments.tool;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.SegmentFooter;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.format.column.ColumnIndex;
import io.stupiddb.segments.format.column.ColumnSchema;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.lifecycle.Compactor;
import io.stupiddb.segments.segment.ActiveSegmentRecovery;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.store.DataDirectory;
import io.stupiddb.segments.store.StoreLockedException;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Operator's tool for segment files, like Kafka's dump-log: {@code inspect}, {@code verify},
 * {@code dump}, which are read-only and never change a file, and {@code journal-repair} and
 * {@code salvage} ({@link SalvageCommand}), which write, only with the service stopped. Exit codes: 0 fine,
 * 1 corruption found, 2 usage or I/O error.
 */
public final class SegmentTool {
    public static final int OK = 0;
    public static final int CORRUPT = 1;
    public static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            usage: segment-tool <command> [args]
              inspect FILE|DIR        header, footer, counts, time range, compression ratio (of every
                                      segment in DIR and in its retention classes' DIR/classes/*)
              verify  FILE|DIR        full check of every byte (of every segment in DIR and
                                      DIR/classes/*); exit 1 on any corruption
              dump    FILE [--id ID]  documents as NDJSON ({"id","timestamp","segment","source"})
              journal-repair DATA_DIR sets a damaged lifecycle journal's files aside so the service starts
                                      again (service stopped; events in those files are lost, seqs never reused)
              salvage FILE [--archive-dir DIR]
                                      rewrites FILE's segment (damaged, or a copy under quarantine/) from its
                                      intact records and puts it back into service under its id (service
                                      stopped; DIR: the service's segments.archive-dir when it has one)
            FILE is a sealed segment (<id>.seg) or, for inspect and verify, an active one (<id>.active).
            Other files (the lifecycle journal under journal/, .lock) are not segments: the service
            checks its journal at start-up.""";

    private final PrintStream out;
    private final PrintStream err;
    private final ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
    private final ObjectMapper json = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    public SegmentTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new SegmentTool(System.out, System.err).run(args));
    }

    /** Runs one command; returns the exit code. */
    public int run(String... args) {
        if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
            (args.length == 0 ? err : out).println(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        try {
            return switch (args[0]) {
                case "inspect" ->
                    args.length == 2 ? inspectAll(Path.of(args[1])) : usage("inspect takes one FILE or DIR");
                case "verify" -> args.length == 2 ? verify(Path.of(args[1])) : usage("verify takes one FILE or DIR");
                case "dump" -> dump(args);
                case "journal-repair" ->
                    args.length == 2
                            ? repairJournal(Path.of(args[1]))
                            : usage("journal-repair takes the service's DATA_DIR");
                case "salvage" ->
                    args.length == 2 || (args.length == 4 && args[2].equals("--archive-dir"))
                            ? new SalvageCommand(out, err)
                                    .run(
                                            Path.of(args[1]),
                                            args.length == 4 ? Optional.of(Path.of(args[3])) : Optional.empty())
                            : usage("salvage takes one FILE, optionally --archive-dir DIR");
                default -> usage("unknown command '" + args[0] + "'");
            };
        } catch (NoSuchFileException e) {
            err.println("segment-tool: no such file: " + e.getFile());
            return USAGE;
        } catch (CorruptSegmentException e) {
            err.println("segment-tool: CORRUPT " + e.getMessage());
            return CORRUPT;
        } catch (NotASegmentException e) {
            err.println("segment-tool: " + e.getMessage());
            return USAGE;
        } catch (IOException | RuntimeException e) {
            err.println("segment-tool: " + e);
            return USAGE;
        }
    }

    private int usage(String problem) {
        err.println("segment-tool: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }

    /** One segment file, or every segment file of a directory (a blank line between them). */
    private int inspectAll(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            requireSegmentFile(target);
            return inspect(target);
        }
        List<Path> files = segmentFiles(target);
        if (files.isEmpty()) {
            out.println("no segment files (<id>.seg, <id>.active) in " + target);
            return OK;
        }
        int worst = OK;
        for (int i = 0; i < files.size(); i++) {
            if (i > 0) {
                out.println();
            }
            try {
                worst = Math.max(worst, inspect(files.get(i)));
            } catch (CorruptSegmentException e) {
                out.println("CORRUPT " + e.getMessage());
                worst = CORRUPT;
            }
        }
        return worst;
    }

    private int inspect(Path file) throws IOException {
        if (isActive(file)) {
            ActiveSegmentRecovery.ActiveFileReport report = ActiveSegmentRecovery.check(file);
            printHeader(file, report.header());
            out.println("state:            ACTIVE (no index or footer yet; recovered and sealed at start-up)");
            out.println("documents:        " + report.records());
            out.println("valid bytes:      " + report.validBytes());
            out.println("torn tail bytes:  " + report.tailBytes()
                    + (report.stopReason() == null ? "" : " (" + report.stopReason() + ")"));
            if (report.intactRecordsAfterStop() > 0) {
                out.println("DAMAGED:          " + report.intactRecordsAfterStop()
                        + " intact record(s) after the bad one" + " (not a torn append)");
            }
            out.println("time range:       " + range(report.minTimestamp(), report.maxTimestamp()));
            return OK;
        }
        SealedSegment segment = SealedSegment.open(file, SegmentState.SEALED);
        try {
            printHeader(file, segment.header());
            SegmentFooter footer = segment.footer();
            SealedSegment.PayloadStats stats = segment.payloadStats();
            out.println("state:            SEALED at " + Instant.ofEpochMilli(footer.sealedAtMillis()));
            out.println("documents:        " + footer.documents());
            out.println("time range:       " + range(footer.minTimestamp(), footer.maxTimestamp()));
            out.println("id range:         " + footer.minId() + " .. " + footer.maxId());
            out.println("file bytes:       " + segment.sizeBytes());
            out.println("index:            offset " + footer.indexOffset() + ", " + footer.indexLength() + " bytes");
            out.println("payload bytes:    " + stats.storedBytes() + " stored, " + stats.rawBytes() + " MessagePack");
            out.printf(
                    "compression:      %.2fx over MessagePack (payloads), %.2fx over the whole file%n",
                    stats.ratio(), (double) stats.rawBytes() / segment.sizeBytes());
            if (segment.columns().isEmpty()) {
                out.println("column index:     none (format v1"
                        + (Compactor.needsCompaction(segment) ? "; the store compacts it to v2)" : ")"));
            } else {
                ColumnIndex columns = segment.columns().get();
                long columnBytes = 0;
                for (int g = 0; g < columns.granules(); g++) {
                    columnBytes += columns.groupBytes(g).byteSize();
                }
                out.println("column index:     " + columns.granules() + " granule(s) of up to " + columns.granuleRows()
                        + " rows, " + columnBytes + " bytes of columns");
                for (ColumnSchema.Field field : columns.schema().fields()) {
                    out.println("  column " + field.path() + ": "
                            + field.type().name().toLowerCase(java.util.Locale.ROOT)
                            + ", in " + field.present() + " of "
                            + columns.schema().sampleDocuments()
                            + " sampled documents, ~" + field.distinct() + " distinct"
                            + (field.forced() ? " (segments.indexed-fields)" : ""));
                }
            }
            return OK;
        } finally {
            segment.close();
        }
    }

    private void printHeader(Path file, SegmentHeader header) {
        out.println("file:             " + file);
        out.println("segment:          " + header.segmentId());
        out.println("format version:   " + header.version());
        out.println("node:             " + header.nodeId());
        out.println("created at:       " + Instant.ofEpochMilli(header.createdAtMillis()));
        out.println("codec:            " + header.codec().label() + " level " + header.level()
                + (header.hasDictionary() ? ", dictionary " + header.dictionaryLength() + " bytes" : ""));
    }

    private int verify(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            List<Path> files = segmentFiles(target);
            int worst = OK;
            for (Path file : files) {
                worst = Math.max(worst, verifyOne(file));
            }
            out.println(files.size() + " segment file(s) checked: " + (worst == OK ? "all good" : "CORRUPTION FOUND"));
            return worst;
        }
        requireSegmentFile(target);
        return verifyOne(target);
    }

    private int verifyOne(Path file) throws IOException {
        try {
            if (isActive(file)) {
                ActiveSegmentRecovery.ActiveFileReport report = ActiveSegmentRecovery.check(file);
                if (report.intactRecordsAfterStop() > 0) {
                    out.println("CORRUPT " + file + ": active, damaged at byte " + report.validBytes() + " ("
                            + report.stopReason() + ") with " + report.intactRecordsAfterStop() + " intact record(s)"
                            + " after it; recovery keeps the " + report.records()
                            + " before it and a copy of the file");
                    return CORRUPT;
                }
                out.println("OK      " + file + ": active, " + report.records() + " documents"
                        + (report.tailBytes() > 0
                                ? ", " + report.tailBytes() + " torn tail bytes that recovery will cut ("
                                        + report.stopReason() + ")"
                                : ""));
                return OK;
            }
            SealedSegment segment = SealedSegment.open(file, SegmentState.SEALED);
            try {
                segment.verify();
                out.println("OK      " + file + ": " + segment.footer().documents() + " documents");
            } finally {
                segment.close();
            }
            return OK;
        } catch (CorruptSegmentException e) {
            out.println("CORRUPT " + e.getMessage());
            return CORRUPT;
        }
    }

    private int dump(String[] args) throws IOException {
        UUID only = null;
        if (args.length == 4 && args[2].equals("--id")) {
            try {
                only = UUID.fromString(args[3]);
            } catch (IllegalArgumentException e) {
                return usage("not a document id: " + args[3]);
            }
        } else if (args.length != 2) {
            return usage("dump takes FILE [--id ID]");
        }
        Path file = Path.of(args[1]);
        requireSegmentFile(file);
        if (isActive(file)) {
            return usage("dump reads sealed segments; an active file is sealed by the service at start-up "
                    + "(use inspect or verify on it)");
        }
        SealedSegment segment = SealedSegment.open(file, SegmentState.SEALED);
        try {
            if (only != null) {
                Optional<StoredDocument> doc = segment.get(only);
                if (doc.isEmpty()) {
                    err.println("segment-tool: no document " + only + " in " + file);
                    return USAGE;
                }
                printDocument(
                        doc.get().id(),
                        doc.get().timestamp(),
                        segment.id(),
                        doc.get().source());
                return OK;
            }
            try (DocumentCursor cursor = segment.scan(ScanSpec.ALL)) {
                byte[] buffer = new byte[0];
                while (cursor.advance()) {
                    var source = cursor.source();
                    if (buffer.length < source.remaining()) {
                        buffer = new byte[source.remaining()];
                    }
                    int length = source.remaining();
                    source.get(buffer, 0, length);
                    printDocument(
                            cursor.id(), cursor.timestamp(), segment.id(), java.util.Arrays.copyOf(buffer, length));
                }
            }
            out.flush();
            return OK;
        } finally {
            segment.close();
        }
    }

    /**
     * Runs {@link LifecycleJournal#repair} on {@code dataDir/journal} while holding the data
     * directory's lock, so it can never run beside a service that has the journal open.
     */
    private int repairJournal(Path dataDir) throws IOException {
        Path journal = DataDirectory.journalOf(dataDir);
        if (!Files.isDirectory(journal)) {
            throw new NoSuchFileException(journal.toString());
        }
        try (DataDirectory locked = DataDirectory.lockExisting(dataDir)) {
            List<Path> moved = LifecycleJournal.repair(journal, InstantSource.system());
            if (moved.isEmpty()) {
                out.println("journal in " + journal + " is healthy: nothing to repair");
            } else {
                moved.forEach(path -> out.println("set aside " + path));
                out.println("journal repaired: " + moved.size() + " file(s) set aside; the events in them are lost"
                        + " to consumers, which resynchronise from the first retained seq");
            }
            return OK;
        } catch (StoreLockedException e) {
            err.println("segment-tool: " + dataDir + " is in use (its .lock is held): stop the service first");
            return USAGE;
        }
    }

    private void printDocument(UUID id, long timestamp, String segmentId, byte[] source) throws IOException {
        ObjectNode line = json.createObjectNode();
        line.put("id", id.toString());
        line.put("timestamp", Instant.ofEpochMilli(timestamp).toString());
        line.put("segment", segmentId);
        JsonNode tree = msgpack.readTree(source);
        line.set("source", tree);
        out.println(json.writeValueAsString(line));
    }

    private static String range(Long min, Long max) {
        return min == null ? "none" : Instant.ofEpochMilli(min) + " .. " + Instant.ofEpochMilli(max);
    }

    private static boolean isActive(Path file) {
        return file.getFileName().toString().endsWith(SegmentFiles.ACTIVE);
    }

    private static boolean isSealed(Path file) {
        return file.getFileName().toString().endsWith(SegmentFiles.SEALED);
    }

    private static void requireFile(Path file) throws NoSuchFileException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
    }

    /**
     * A regular file named like a segment. Anything else (a journal file, {@code .lock}) would
     * otherwise be read as a segment and reported CORRUPT.
     */
    private static void requireSegmentFile(Path file) throws NoSuchFileException {
        requireFile(file);
        if (!isActive(file) && !isSealed(file)) {
            throw new NotASegmentException(file + " is not a segment file (<id>.seg or <id>.active)"
                    + (file.getFileName().toString().startsWith("journal-")
                            ? ": it is a lifecycle journal file, which the service checks at every start (docs/JOURNAL.md)"
                            : ""));
        }
    }

    /**
     * The segment files of a directory, sorted by name (so by segment id), then those of each
     * retention class's directory under {@code classes/} (a data directory's classes, SPEC §12).
     */
    private static List<Path> segmentFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>(segmentFilesIn(dir));
        Path classes = dir.resolve("classes");
        if (Files.isDirectory(classes)) {
            try (Stream<Path> listing = Files.list(classes)) {
                for (Path classDir : listing.filter(Files::isDirectory).sorted().toList()) {
                    files.addAll(segmentFilesIn(classDir));
                }
            }
        }
        return files;
    }

    private static List<Path> segmentFilesIn(Path dir) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(p -> (isActive(p) || isSealed(p)) && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
    }

    /** A file given as a segment that is not named like one (usage error, exit 2). */
    private static final class NotASegmentException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotASegmentException(String message) {
            super(message);
        }
    }
}
