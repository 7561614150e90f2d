package io.stupiddb.segments.segment;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for {@link DurabilityMode#ALWAYS}: a writer waits until the file is durable up to
 * its batch's end. The first waiter becomes the leader and runs one fsync that covers every
 * batch written before it started; the others wait for it and usually find themselves covered.
 * So N concurrent batches cost about two fsyncs, not N.
 *
 * <p>An fsync failure is sticky: after it the page cache can no longer be trusted to hold what
 * was written (Linux clears the error once reported), so every later wait fails too and the
 * segment must be recovered from disk. Thread-safe.
 */
final class GroupCommit {
    /** Forces the file and returns the position it is now durable up to. */
    @FunctionalInterface
    interface Sync {
        long sync() throws IOException;
    }

    private final Sync sync;
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition syncDone = stateLock.newCondition();
    private long durablePosition;
    private boolean syncing;
    private IOException failure;

    GroupCommit(Sync sync, long durablePosition) {
        this.sync = sync;
        this.durablePosition = durablePosition;
    }

    /** Returns once the file is durable up to {@code position}; thread-safe. */
    void awaitDurable(long position) throws IOException {
        stateLock.lock();
        try {
            while (true) {
                if (failure != null) {
                    throw new IOException("an earlier fsync failed; the segment needs recovery", failure);
                }
                if (durablePosition >= position) {
                    return;
                }
                if (syncing) {
                    syncDone.awaitUninterruptibly();
                    continue;
                }
                syncing = true;
                stateLock.unlock();
                long covered = -1;
                IOException error = null;
                try {
                    covered = sync.sync();
                } catch (IOException e) {
                    error = e;
                } finally {
                    stateLock.lock();
                    syncing = false;
                    if (error != null) {
                        failure = error;
                    } else {
                        durablePosition = Math.max(durablePosition, covered);
                    }
                    syncDone.signalAll();
                }
            }
        } finally {
            stateLock.unlock();
        }
    }

    /** Marks the segment failed (e.g. a failed write that could not be undone). */
    void fail(IOException cause) {
        stateLock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            syncDone.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    IOException failure() {
        stateLock.lock();
        try {
            return failure;
        } finally {
            stateLock.unlock();
        }
    }
}
