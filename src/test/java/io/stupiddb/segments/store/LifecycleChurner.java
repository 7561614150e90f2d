package io.stupiddb.segments.store;

import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.testing.TestDocuments;

import io.stupiddb.segments.format.Codec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Child process of {@link LifecycleCrashTest}: writes, rotates, archives and evicts until killed. */
public final class LifecycleChurner {
    private LifecycleChurner() {
    }

    static StoreConfig config(Path dir) {
        return new StoreConfig(dir.resolve("data"), Duration.ofHours(1), 1L << 20, Duration.ofDays(30),
                OptionalLong.empty(), Optional.of(Duration.ofMillis(1)), Optional.empty(), Codec.ZSTD, 3, 3,
                DurabilityMode.ALWAYS, Duration.ofSeconds(1), 1L << 20, Duration.ofHours(1), 0, 2);
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
