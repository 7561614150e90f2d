package io.stupiddb.segments.cold;

import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.journal.LifecycleJournal;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a node has in the bucket, read at start-up: a listing of {@code <prefix>node-<N>/} and
 * one HEAD per object (the segment's facts are its user metadata, {@link ColdSegment}). Objects
 * of segments the journal says were evicted are deleted (an eviction that stopped between the
 * journal and the delete, or an upload that finished after its segment was evicted); objects
 * that are not ours are logged and left alone. Stateless.
 */
final class BucketListing {
    private static final System.Logger LOG = System.getLogger(BucketListing.class.getName());

    private BucketListing() {}

    /**
     * @throws ObjectStoreUnavailableException when the bucket cannot be listed (start-up fails: retry)
     */
    static List<ColdSegment> read(ColdSettings settings, int nodeId, S3Objects objects, LifecycleJournal journal)
            throws IOException {
        Set<String> evicted = evictedIds(journal);
        List<ColdSegment> found = new ArrayList<>();
        String prefix = settings.nodePrefix(nodeId);
        for (S3Object object : objects.list(prefix)) {
            String name = object.key().substring(prefix.length());
            if (!name.endsWith(".seg") || name.contains("/")) {
                continue; // not ours
            }
            String id = name.substring(0, name.length() - ".seg".length());
            if (evicted.contains(id)) {
                objects.delete(object.key());
                continue;
            }
            Optional<S3Objects.Head> head = objects.head(object.key());
            head.flatMap(h -> ColdSegment.fromMetadata(
                            object.key(), settings.location(object.key()), id, h.size(), h.metadata()))
                    .ifPresentOrElse(
                            found::add,
                            () -> LOG.log(
                                    Level.WARNING, "ignoring {0}: not a segment archived by a store", object.key()));
        }
        LOG.log(Level.INFO, "cold tier: {0} archived segment(s) under {1}", found.size(), settings.location(prefix));
        return found;
    }

    private static Set<String> evictedIds(LifecycleJournal journal) throws IOException {
        Set<String> evicted = new HashSet<>();
        long after = 0;
        for (List<LifecycleEvent> page = journal.eventsAfter(after, 10_000);
                !page.isEmpty();
                page = journal.eventsAfter(after, 10_000)) {
            for (LifecycleEvent event : page) {
                if (event.type() == LifecycleEventType.SEGMENT_EVICTED) {
                    evicted.add(event.segment());
                }
                after = event.seq();
            }
        }
        return evicted;
    }
}
