package io.stupiddb.segments.store;

import io.stupiddb.segments.lifecycle.RotationReason;
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

/** Child process of {@link LifecycleCrashTest}: writes, rotates, archives and evicts until killed. */
public final class LifecycleChurner {
    private LifecycleChurner() {}

    static StoreConfig config(Path dir) {
        return StoreConfig.builder(dir.resolve("data"))
                .maxSegmentSize(1L << 20)
                .archiveAfter(Duration.ofMillis(1))
                .archiveCompressionLevel(3)
                .minFreeDisk(0)
                .nodeId(2)
                .build();
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        SegmentStore store = SegmentStore.open(config(Path.of(args[0])), InstantSource.system());
        for (int round = 0; ; round++) {
            List<DocumentToWrite> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(DocumentToWrite.atIngestTime(TestDocuments.msgpack(Map.of("round", round, "i", i))));
            }
            for (WrittenDocument written : store.write(batch)) {
                out.println("ACK " + written.id() + " " + written.segmentId());
            }
            out.flush();
            store.rotate(RotationReason.MANUAL);
            store.archiveDue();
            while (store.segments().size() > 6) {
                store.evict(store.segments().getFirst().id());
            }
        }
    }
}
