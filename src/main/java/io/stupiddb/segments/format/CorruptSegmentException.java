package io.stupiddb.segments.format;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A segment file failed one of its checks (magic, version, checksum, bounds). Never means
 * "try again": the file is quarantined by the caller and never served.
 *
 * <p>The message names the file by its path, for the log, readiness and the journal. What may
 * leave the server (an API answer) is built from {@link #segmentId()}, {@link #offset()} and
 * {@link #problem()}, which never carry a path.
 */
public sealed class CorruptSegmentException extends RuntimeException permits CorruptRecordException {
    private final transient Path path;
    private final long offset;
    private final String problem;

    public CorruptSegmentException(Path path, long offset, String problem) {
        super(path + " at byte " + offset + ": " + problem);
        this.path = path;
        this.offset = offset;
        this.problem = problem;
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

    /** What was wrong at {@link #offset()}, without the file's name. */
    public String problem() {
        return problem;
    }

    /**
     * The id of the segment the file holds: its name up to the first dot ({@code <id>.seg},
     * {@code <id>.active}, …; ids never contain one). Empty for in-memory data.
     */
    public Optional<String> segmentId() {
        if (path == null || path.getFileName() == null) {
            return Optional.empty();
        }
        String name = path.getFileName().toString();
        int dot = name.indexOf('.');
        return Optional.of(dot < 0 ? name : name.substring(0, dot));
    }
}
