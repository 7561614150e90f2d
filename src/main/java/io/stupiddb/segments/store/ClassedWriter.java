package io.stupiddb.segments.store;

import io.stupiddb.segments.id.DocumentIdGenerator;
import io.stupiddb.segments.query.TopLevelString;

import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes the batches of a {@link ClassedStore} with retention classes: routes each document to the
 * store of the class it names ({@link RetentionClasses}), checks the whole batch, then appends each
 * class's part under the writer locks of every class involved, with ids drawn in the order of the
 * batch from the generator all the stores share.
 *
 * <p>Thread-safety: any number of concurrent writers; writer locks are always taken in the order of
 * {@code all}, so two batches cannot deadlock, and fsyncs are waited for after they are released.
 */
final class ClassedWriter {
    private final RetentionClasses retentionClasses;
    private final TopLevelString classField;
    private final SegmentStore defaultStore;
    private final Map<String, SegmentStore> classes;
    private final List<SegmentStore> all;
    private final DocumentIdGenerator ids;
    private final InstantSource clock;

    ClassedWriter(
            RetentionClasses retentionClasses,
            SegmentStore defaultStore,
            Map<String, SegmentStore> classes,
            List<SegmentStore> all,
            DocumentIdGenerator ids,
            InstantSource clock) {
        this.retentionClasses = retentionClasses;
        this.classField = new TopLevelString(retentionClasses.field());
        this.defaultStore = defaultStore;
        this.classes = classes;
        this.all = all;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Writes a batch, each document into its class's store ({@link SegmentStore#write}). The whole
     * batch is checked first (class names, and each document's timestamp against its own class's
     * retention), so a rejected document means nothing was written.
     *
     * <p>Ids increase in the order of the batch, across its classes. A batch whose documents name
     * several classes is appended class by class, each part atomically; only an I/O error (a disk
     * filling up after the free-disk check) between two parts can leave the earlier parts written.
     * The error says so.
     *
     * @throws DocumentRejectedException naming the first bad document (an unknown class: 422)
     */
    List<WrittenDocument> write(List<DocumentToWrite> documents) throws IOException {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        long now = clock.millis();
        // The first bad document is reported, whichever rule it breaks: route until the first document
        // naming an unknown class, check the parts routed so far, report the lowest index of either.
        Map<SegmentStore, List<Integer>> parts = new LinkedHashMap<>();
        DocumentRejectedException rejected = null;
        for (int i = 0; i < documents.size() && rejected == null; i++) {
            try {
                parts.computeIfAbsent(storeFor(documents.get(i), i), s -> new ArrayList<>())
                        .add(i);
            } catch (DocumentRejectedException e) {
                rejected = e;
            }
        }
        Map<SegmentStore, List<DocumentToWrite>> partDocuments = new HashMap<>();
        parts.forEach((store, indexes) -> partDocuments.put(store, pick(documents, indexes)));
        Map<SegmentStore, long[]> timestamps = new HashMap<>();
        for (Map.Entry<SegmentStore, List<Integer>> part : parts.entrySet()) {
            List<Integer> indexes = part.getValue();
            try {
                timestamps.put(part.getKey(), part.getKey().writer().timestamps(partDocuments.get(part.getKey()), now));
            } catch (DocumentRejectedException e) {
                DocumentRejectedException inBatch = e.at(indexes.get(e.index()));
                rejected = rejected == null || inBatch.index() < rejected.index() ? inBatch : rejected;
            }
        }
        if (rejected != null) {
            throw rejected;
        }
        defaultStore.writer().checkFreeDisk(); // one file system for every class
        // Ids in the order of the batch, as one store gives them: hold the writer lock of every
        // class the batch goes to (always in the order of `all`, so two batches cannot deadlock)
        // while drawing them and appending; wait for fsyncs after releasing, so they are shared.
        List<SegmentStore> involved = all.stream().filter(parts::containsKey).toList();
        UUID[] drawn = new UUID[documents.size()];
        List<StoreWriter.Appended> appended = new ArrayList<>(involved.size());
        int locked = 0;
        try {
            for (SegmentStore store : involved) {
                store.writer().writerLock().lock();
                locked++;
            }
            for (int i = 0; i < drawn.length; i++) {
                drawn[i] = ids.next();
            }
            for (SegmentStore store : involved) {
                List<Integer> indexes = parts.get(store);
                Iterator<Integer> next = indexes.iterator();
                try {
                    appended.add(store.writer()
                            .append(partDocuments.get(store), timestamps.get(store), now, () -> drawn[next.next()]));
                } catch (IOException | RuntimeException e) {
                    if (!appended.isEmpty()) {
                        e.addSuppressed(new IllegalStateException("the documents of this batch naming other"
                                + " retention classes were written before this failure"));
                    }
                    throw e;
                }
            }
        } finally {
            for (int i = locked - 1; i >= 0; i--) {
                involved.get(i).writer().writerLock().unlock();
            }
        }
        WrittenDocument[] written = new WrittenDocument[documents.size()];
        for (int p = 0; p < involved.size(); p++) {
            List<Integer> indexes = parts.get(involved.get(p));
            List<WrittenDocument> result = appended.get(p).awaitDurable();
            for (int j = 0; j < indexes.size(); j++) {
                written[indexes.get(j)] = result.get(j);
            }
        }
        return List.of(written);
    }

    /** The store of the class document {@code index} names; the default store when it names none. */
    private SegmentStore storeFor(DocumentToWrite document, int index) {
        Optional<String> named;
        try {
            named = classField.in(document.source());
        } catch (IllegalArgumentException e) {
            throw new DocumentRejectedException(
                    index, DocumentRejectedException.Kind.MALFORMED, "not a MessagePack map: " + e.getMessage());
        }
        if (named.isEmpty() || named.get().equals(RetentionClass.DEFAULT)) {
            return defaultStore;
        }
        if (retentionClasses.named(named.get()).isEmpty()) {
            throw new DocumentRejectedException(
                    index,
                    DocumentRejectedException.Kind.UNKNOWN_RETENTION_CLASS,
                    "field '" + retentionClasses.field() + "' names retention class '" + named.get()
                            + "', which segments.retention-classes does not define (classes: " + classNames()
                            + ")");
        }
        return classes.get(named.get());
    }

    private String classNames() {
        List<String> names = new ArrayList<>();
        names.add(RetentionClass.DEFAULT);
        retentionClasses.classes().forEach(c -> names.add(c.name()));
        return String.join(", ", names);
    }

    private static List<DocumentToWrite> pick(List<DocumentToWrite> documents, List<Integer> indexes) {
        List<DocumentToWrite> picked = new ArrayList<>(indexes.size());
        indexes.forEach(i -> picked.add(documents.get(i)));
        return picked;
    }
}
