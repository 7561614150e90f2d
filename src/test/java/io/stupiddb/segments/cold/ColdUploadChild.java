package io.stupiddb.segments.cold;

import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Child process of {@link ColdTierRecoveryTest}: opens a store archiving to S3 (args: data dir,
 * endpoint, bucket, prefix), writes one segment large enough for a multipart upload, seals it,
 * prints {@code SEALED <id>}, then archives it until it is killed (the test kills it mid-upload).
 */
public final class ColdUploadChild {
    private ColdUploadChild() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        ColdSettings settings = new ColdSettings(
                args[2],
                args[3],
                Optional.of(URI.create(args[1])),
                "us-east-1",
                true,
                64L << 20,
                ColdSettings.MIN_PART_SIZE,
                ColdSettings.DEFAULT_SCAN_BLOCK_SIZE);
        StoreConfig config = StoreConfig.builder(Path.of(args[0]))
                .minFreeDisk(0)
                .nodeId(5)
                .archiveAfter(Duration.ofMillis(1))
                .coldTier(settings)
                .build();
        SegmentStore store = SegmentStore.open(config, InstantSource.system());
        store.write(ColdTierRecoveryTest.noise(500, System.currentTimeMillis()));
        String id = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        System.out.println("SEALED " + id);
        System.out.flush();
        Thread.sleep(5);
        store.archiveDue();
        System.out.println("ARCHIVED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // wait to be killed
    }
}
