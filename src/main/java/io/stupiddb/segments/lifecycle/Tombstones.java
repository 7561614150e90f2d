package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.DurableFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The durable record of documents deleted by filter (SPEC §11): one tombstone file per segment
 * that has deletions not yet rewritten away, and the in-memory set of every deleted id that reads
 * consult (O(1) per document).
 *
 * <p>Layout: {@code <data>/<segment-id>.tomb} (also for archived segments: the file is keyed by
 * id, so it survives sealing and archiving), a sequence of frames, big-endian:
 * <pre>
 * frame: u8 kind | u32 k | u32 crc32c(kind, k, ids) | k × 16 bytes ids (msb, lsb)
 *        kind 1 = these ids are deleted; kind 2 (k = 0) = every id before it is in the journal
 * </pre>
 * A frame that is torn or fails its checksum ends the file (it is cut off when loaded): it was
 * never acknowledged, because a delete is acknowledged only after its frame is fsynced.
 *
 * <p>Invariants: an id is in {@link #hidden} before the delete that named it is acknowledged and
 * stays there until the process ends (a reader holding an old mapping of a rewritten segment must
 * still not see it; ids are unique, so hiding an id that is gone costs only memory: about 60 bytes
 * an id until the next start). A segment's pending ids (its file) shrink only once a rewrite
 * without them is renamed into place.
 *
 * <p>Thread-safety: {@link #isDeleted} is lock-free; everything that writes files holds
 * {@link #fileLock} (named for what it guards: the tombstone files and the pending map).
 */
public final class Tombstones {
    public static final String SUFFIX = ".tomb";
    private static final byte KIND_DELETED = 1;
    private static final byte KIND_JOURNALED = 2;
    private static final int FRAME_HEADER = 1 + 4 + 4;

    private final Path dir;
    private final Set<UUID> hidden = ConcurrentHashMap.newKeySet();
    /** Segment id → ids deleted from it and not yet rewritten away (what its file holds). Under {@link #fileLock}. */
    private final Map<String, Set<UUID>> pending = new HashMap<>();
    /** Segment id → ids in its file after its last "journaled" mark (a crash before journaling). */
    private final Map<String, List<UUID>> unjournaled = new HashMap<>();

    private final ReentrantLock fileLock = new ReentrantLock();

    private Tombstones(Path dir) {
        this.dir = dir;
    }

    /**
     * Loads every tombstone file of {@code dir}, cutting torn tails; files of segments not in
     * {@code segmentIds} (evicted, or quarantined) are deleted. Single-threaded, at start-up.
     */
    public static Tombstones load(Path dir, Set<String> segmentIds) throws IOException {
        Tombstones tombstones = new Tombstones(dir);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "*" + SUFFIX + ".tmp")) {
            for (Path file : leftovers) {
                Files.delete(file); // an interrupted trim: the original file is still complete
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String segment = name.substring(0, name.length() - SUFFIX.length());
                if (!segmentIds.contains(segment)) {
                    Files.delete(file);
                    continue;
                }
                tombstones.read(segment, file);
            }
        }
        DurableFiles.syncDirectory(dir);
        return tombstones;
    }

    private void read(String segment, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Set<UUID> ids = new HashSet<>();
        List<UUID> notJournaled = new ArrayList<>();
        int good = 0;
        while (b.remaining() >= FRAME_HEADER) {
            byte kind = b.get();
            int k = b.getInt();
            int crc = b.getInt();
            if ((kind != KIND_DELETED && kind != KIND_JOURNALED) || k < 0 || (long) k * 16 > b.remaining()) {
                break;
            }
            if (crc != crc(kind, k, b.duplicate().limit(b.position() + k * 16))) {
                break;
            }
            if (kind == KIND_JOURNALED) {
                notJournaled.clear();
            }
            for (int i = 0; i < k; i++) {
                UUID id = new UUID(b.getLong(), b.getLong());
                ids.add(id);
                notJournaled.add(id);
            }
            good = b.position();
        }
        if (good < bytes.length) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(good);
                channel.force(true);
            }
        }
        if (ids.isEmpty()) {
            Files.delete(file);
            return;
        }
        hidden.addAll(ids);
        pending.put(segment, ids);
        if (!notJournaled.isEmpty()) {
            unjournaled.put(segment, notJournaled);
        }
    }

    /** Whether {@code id} was deleted. Lock-free. */
    public boolean isDeleted(UUID id) {
        return !hidden.isEmpty() && hidden.contains(id);
    }

    /** The lock a delete holds from its first tombstone write to its last journal event. */
    public ReentrantLock fileLock() {
        return fileLock;
    }

    /**
     * Durably records the ids of each segment as deleted from it (appended to its file and
     * fsynced; the directory is fsynced once when files were created), then hides them. Caller
     * holds {@link #fileLock}.
     */
    public void add(Map<String, ? extends Collection<UUID>> idsBySegment) throws IOException {
        checkLocked();
        boolean created = false;
        for (Map.Entry<String, ? extends Collection<UUID>> entry : idsBySegment.entrySet()) {
            Path file = file(entry.getKey());
            created |= !Files.exists(file);
            try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                DurableFiles.writeFully(channel, frame(KIND_DELETED, entry.getValue()), channel.size());
                channel.force(true);
            }
        }
        if (created) {
            DurableFiles.syncDirectory(dir);
        }
        for (Map.Entry<String, ? extends Collection<UUID>> entry : idsBySegment.entrySet()) {
            pending.computeIfAbsent(entry.getKey(), s -> new HashSet<>()).addAll(entry.getValue());
            hidden.addAll(entry.getValue());
        }
    }

    /**
     * Marks everything in {@code segment}'s file as journaled (not fsynced: losing the mark only
     * journals those ids again at the next start). Caller holds {@link #fileLock}.
     */
    public void markJournaled(String segment) throws IOException {
        checkLocked();
        Path file = file(segment);
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            DurableFiles.writeFully(channel, frame(KIND_JOURNALED, List.of()), channel.size());
        }
        unjournaled.remove(segment);
    }

    /** Ids found after the last journaled mark at start-up, by segment: journal them again. */
    public Map<String, List<UUID>> unjournaled() {
        fileLock.lock();
        try {
            return Map.copyOf(unjournaled);
        } finally {
            fileLock.unlock();
        }
    }

    /** Segments with deleted documents not yet rewritten away, and how many each. */
    public Map<String, Integer> pendingCounts() {
        fileLock.lock();
        try {
            Map<String, Integer> counts = new HashMap<>();
            pending.forEach((segment, ids) -> counts.put(segment, ids.size()));
            return counts;
        } finally {
            fileLock.unlock();
        }
    }

    /** A copy of the ids pending for {@code segment} (empty when none). */
    public Set<UUID> pending(String segment) {
        fileLock.lock();
        try {
            return Set.copyOf(pending.getOrDefault(segment, Set.of()));
        } finally {
            fileLock.unlock();
        }
    }

    /**
     * After a rewrite without {@code removed} is in place: the segment's file keeps only the ids
     * deleted since (written to a temp file, fsynced, renamed over; deleted when none remain).
     * The ids stay hidden. Caller holds {@link #fileLock}.
     */
    public void rewritten(String segment, Set<UUID> removed) throws IOException {
        checkLocked();
        Set<UUID> left = new HashSet<>(pending.getOrDefault(segment, Set.of()));
        left.removeAll(removed);
        forget(segment, Optional.of(left));
    }

    /** The segment is gone (evicted): its file goes too. Caller holds {@link #fileLock}. */
    public void dropped(String segment) throws IOException {
        checkLocked();
        forget(segment, Optional.empty());
    }

    private void forget(String segment, Optional<Set<UUID>> left) throws IOException {
        Path file = file(segment);
        if (left.isEmpty() || left.get().isEmpty()) {
            pending.remove(segment);
            unjournaled.remove(segment);
            Files.deleteIfExists(file);
        } else {
            Path tmp = dir.resolve(segment + SUFFIX + ".tmp");
            try (FileChannel channel = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                DurableFiles.writeFully(channel, frame(KIND_DELETED, left.get()), 0);
                DurableFiles.writeFully(channel, frame(KIND_JOURNALED, List.of()), channel.size());
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            pending.put(segment, new HashSet<>(left.get()));
            unjournaled.remove(segment);
        }
        DurableFiles.syncDirectory(dir);
    }

    private Path file(String segment) {
        return dir.resolve(segment + SUFFIX);
    }

    private void checkLocked() {
        if (!fileLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("caller must hold the tombstone file lock");
        }
    }

    private static ByteBuffer frame(byte kind, Collection<UUID> ids) {
        ByteBuffer b = ByteBuffer.allocate(FRAME_HEADER + 16 * ids.size());
        b.position(FRAME_HEADER);
        for (UUID id : ids) {
            b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        }
        int crc = crc(kind, ids.size(), b.duplicate().flip().position(FRAME_HEADER));
        b.put(0, kind).putInt(1, ids.size()).putInt(5, crc);
        return b.flip();
    }

    private static int crc(byte kind, int k, ByteBuffer ids) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(5).put(kind).putInt(k).flip());
        crc.update(ids.duplicate());
        return (int) crc.getValue();
    }
}
