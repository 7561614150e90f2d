package io.stupiddb.segments.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A journal file holds bytes that cannot be a crash artefact: a bad record with intact records
 * after it, a bad record in a file that is not the newest, a bad header, or a gap in the
 * sequence numbers. The journal refuses to open (or to serve the read) rather than silently drop
 * durable events; docs/JOURNAL.md says how an operator recovers.
 */
public final class JournalCorruptedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final long offset;

    JournalCorruptedException(Path path, long offset, String what) {
        super("lifecycle journal corrupted: " + path + " at offset " + offset + ": " + what
                + ". The journal will not open over it: restore the file from a backup, or stop the service and run"
                + " 'segment-tool journal-repair <data-dir>', which sets this file and all older ones aside"
                + " (docs/JOURNAL.md)");
        this.path = path;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path path() {
        return path;
    }

    /** Byte offset of the first damaged record (or of the header) in {@link #path()}. */
    public long offset() {
        return offset;
    }
}
