package io.stupiddb.segments.store;

import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.segment.DocumentCursor;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;

/**
 * The documents of several cursors in one id order: the retention classes' stores each scan in id
 * order, and ids are drawn from one generator, so merging by id gives the order a single store
 * would. Each source keeps at most one segment open; there are as many sources as classes.
 *
 * <p>Not thread-safe, like every cursor. Closing closes every source.
 */
final class MergedCursor implements DocumentCursor {
    private final DocumentCursor[] sources;
    /** Whether each source is on a document (false once it is exhausted). */
    private final boolean[] onDocument;

    private boolean started;
    /** The source whose document is current; -1 before the first and after the last. */
    private int current = -1;

    MergedCursor(List<DocumentCursor> sources) {
        this.sources = sources.toArray(DocumentCursor[]::new);
        this.onDocument = new boolean[this.sources.length];
    }

    @Override
    public boolean advance() {
        if (!started) {
            started = true;
            for (int i = 0; i < sources.length; i++) {
                onDocument[i] = sources[i].advance();
            }
        } else if (current >= 0) {
            onDocument[current] = sources[current].advance();
        } else {
            return false;
        }
        current = -1;
        for (int i = 0; i < sources.length; i++) {
            if (onDocument[i] && (current < 0 || DocumentIds.compare(sources[i].id(), sources[current].id()) < 0)) {
                current = i;
            }
        }
        return current >= 0;
    }

    private DocumentCursor currentSource() {
        if (current < 0) {
            throw new IllegalStateException("no current document");
        }
        return sources[current];
    }

    @Override
    public UUID id() {
        return currentSource().id();
    }

    @Override
    public long timestamp() {
        return currentSource().timestamp();
    }

    @Override
    public String segmentId() {
        return currentSource().segmentId();
    }

    @Override
    public ByteBuffer source() {
        return currentSource().source();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (DocumentCursor source : sources) {
            try {
                source.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
