package io.stupiddb.segments.format;

import java.nio.file.Path;

/**
 * A segment file failed one of its checks (magic, version, checksum, bounds). Never means
 * "try again": the file is quarantined by the caller and never served.
 */
public final class CorruptSegmentException extends RuntimeException {
    private final transient Path path;
    private final long offset;

    public CorruptSegmentException(Path path, long offset, String problem) {
        super(path + " at byte " + offset + ": " + problem);
        this.path = path;
        this.offset = offset;
    }

    public CorruptSegmentException(Path path, long offset, String problem, Throwable cause) {
        this(path, offset, problem);
        initCause(cause);
    }

    /** The file that failed its checks (may be null for in-memory data). */
    public Path path() {
        return path;
    }

    /** Byte offset in the file where the check failed. */
    public long offset() {
        return offset;
    }
}
