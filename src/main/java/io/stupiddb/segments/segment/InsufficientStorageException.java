package io.stupiddb.segments.segment;

import java.io.IOException;

/** Free disk in the data directory is below {@code segments.min-free-disk} (or the disk is full): writes wait, reads go on (507). */
public final class InsufficientStorageException extends IOException {
    public InsufficientStorageException(String message) {
        super(message);
    }

    public InsufficientStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** ENOSPC/EDQUOT anywhere in the cause chain (the JDK reports them as plain IOExceptions), or this exception. */
    public static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof InsufficientStorageException
                    || message.contains("No space left")
                    || message.contains("Disk quota exceeded")) {
                return true;
            }
        }
        return false;
    }

    /** {@code e} as a disk-full refusal saying {@code what} when the disk is full, else {@code e} itself. */
    public static IOException whenDiskFull(IOException e, String what) {
        return isDiskFull(e) ? new InsufficientStorageException(what, e) : e;
    }
}
