package io.stupiddb.segments.format;

import com.github.luben.zstd.ZstdDictDecompress;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The zstd dictionaries in use by a store's segments, one copy each: segments written with the
 * same dictionary share its bytes on the heap and its digested (native) form, instead of
 * every mapped segment holding its own. Entries are reference-counted by the segments that
 * use them and freed with the last one. Thread-safe.
 */
public final class DictionaryRegistry {
    private final Map<Key, Entry> entries = new HashMap<>();

    private record Key(int crc, int length) {}

    private static final class Entry {
        final byte[] bytes;
        ZstdDictDecompress digested;
        int users;

        Entry(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /** A handle on one shared dictionary; {@link #release()} exactly once when the segment goes. */
    public final class Lease {
        private final Key key;
        private final Entry entry;
        private boolean released;

        private Lease(Key key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        /** The shared bytes (never modify). */
        public byte[] bytes() {
            return entry.bytes;
        }

        /** The digested dictionary, built on first use. */
        public ZstdDictDecompress digested() {
            synchronized (DictionaryRegistry.this) {
                if (released) {
                    throw new IllegalStateException("dictionary lease released");
                }
                if (entry.digested == null) {
                    entry.digested = new ZstdDictDecompress(entry.bytes);
                }
                return entry.digested;
            }
        }

        public void release() {
            synchronized (DictionaryRegistry.this) {
                if (released) {
                    return;
                }
                released = true;
                if (--entry.users == 0) {
                    entries.remove(key, entry); // a colliding twin under the same key stays
                    if (entry.digested != null) {
                        entry.digested.close();
                    }
                }
            }
        }
    }

    /** Registers a use of the header's dictionary (which must have one). */
    public synchronized Lease acquire(SegmentHeader header) {
        byte[] bytes = header.dictionaryArray();
        for (Map.Entry<Key, Entry> held : entries.entrySet()) {
            if (held.getValue().bytes == bytes) { // from bytesLike: no need to checksum it again
                held.getValue().users++;
                return new Lease(held.getKey(), held.getValue());
            }
        }
        Key key = new Key(Checksums.crc32c(bytes, 0, bytes.length), bytes.length);
        Entry entry = entries.get(key);
        if (entry == null || !Arrays.equals(entry.bytes, bytes)) {
            entry = new Entry(bytes);
            if (!entries.containsKey(key)) {
                entries.put(key, entry);
            }
        }
        entry.users++;
        return new Lease(key, entry);
    }

    /**
     * The bytes of {@code dictionary}: the array of a dictionary in use with the same bytes (compared
     * in place, so nothing is copied), or else a copy. For decoding a header without copying a
     * dictionary the store already holds; {@link #acquire} still registers the use.
     */
    public synchronized byte[] bytesLike(MemorySegment dictionary) {
        long length = dictionary.byteSize();
        for (Entry entry : entries.values()) {
            if (entry.bytes.length == length
                    && MemorySegment.mismatch(dictionary, 0, length, MemorySegment.ofArray(entry.bytes), 0, length)
                            < 0) {
                return entry.bytes;
            }
        }
        return dictionary.toArray(ValueLayout.JAVA_BYTE);
    }

    /** Distinct dictionaries in use (for tests and diagnostics). */
    public synchronized int size() {
        return entries.size();
    }
}
