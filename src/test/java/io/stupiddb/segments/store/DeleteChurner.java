package io.stupiddb.segments.store;

import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.testing.TestDocuments;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Child process of {@link DeleteCrashTest}: per round, writes 200 documents, deletes every fourth
 * one of the round by filter, rewrites what is sealed without them and archives it (every eighth
 * round seals the active segment first), until killed; rounds are numbered from the second argument on. Prints {@code ACK <id> <round>
 * <i>} per written document and {@code DELETED <round>} once that round's delete returned. The
 * documents of a round are spread over two retention classes and the default one
 * ({@link #retentionClass}), so every batch, delete and rewrite spans three stores.
 */
public final class DeleteChurner {
    static final int PER_ROUND = 200;

    private DeleteChurner() {}

    static StoreConfig config(Path dir) {
        return StoreConfig.builder(dir.resolve("data"))
                .archiveAfter(Duration.ofMillis(1))
                .archiveCompressionLevel(3)
                .minFreeDisk(0)
                .nodeId(4)
                .retentionClasses(new RetentionClasses(
                        "retention",
                        List.of(
                                new RetentionClass("debug", Duration.ofDays(30), OptionalLong.empty()),
                                new RetentionClass("audit", Duration.ofDays(400), OptionalLong.empty()))))
                .build();
    }

    /** The retention class document {@code i} of a round names. */
    static String retentionClass(int i) {
        return switch (i % 3) {
            case 0 -> "debug";
            case 1 -> "audit";
            default -> RetentionClass.DEFAULT;
        };
    }

    /** Whether the churner deletes document {@code i} of a round. */
    static boolean deleted(int i) {
        return i % 4 == 0;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        ClassedStore store = ClassedStore.open(config(Path.of(args[0])), InstantSource.system());
        int first = Integer.parseInt(args[1]);
        for (int round = first; ; round++) {
            List<DocumentToWrite> batch = new ArrayList<>();
            for (int i = 0; i < PER_ROUND; i++) {
                batch.add(DocumentToWrite.atIngestTime(TestDocuments.msgpack(
                        Map.of("round", round, "i", i, "retention", retentionClass(i), "pad", "x".repeat(200)))));
            }
            List<WrittenDocument> written = store.write(batch);
            for (int i = 0; i < written.size(); i++) {
                out.println("ACK " + written.get(i).id() + " " + round + " " + i);
            }
            out.flush();
            if (round % 8 == 7) {
                // Seldom: most rounds delete from the active segment, whose deletes wait for the seal,
                // so a kill mostly finds deletes only the tombstones remember.
                store.rotate(RotationReason.MANUAL);
            }
            Filter filter = Filter.parse("{\"round\":" + round + ",\"i\":{\"$in\":" + fourths() + "}}");
            store.delete(ScanSpec.filtered(filter::matches));
            out.println("DELETED " + round);
            out.flush();
            store.reclaimDeleted();
            store.archiveDue();
        }
    }

    private static String fourths() {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < PER_ROUND; i++) {
            if (deleted(i)) {
                values.add(i);
            }
        }
        return values.toString();
    }
}
