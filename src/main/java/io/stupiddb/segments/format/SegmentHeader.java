package io.stupiddb.segments.format;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The header at byte 0 of every segment file (docs/FORMAT.md, "Header").
 *
 * <pre>
 * offset  size  field
 *      0     8  magic            "SDBSEG\r\n"
 *      8     2  format version   u16 (1)
 *     10     1  codec            0 none, 1 zstd
 *     11     1  codec level      i8 (zstd level the records were written with)
 *     12     2  node id          u16 (0-1023)
 *     14     8  created at       i64 epoch milliseconds
 *     22     1  id length n      u8 (1-64)
 *     23     n  segment id       ASCII [0-9a-z-]
 *   23+n     4  dictionary len d u32 (0: no dictionary)
 *   27+n     d  zstd dictionary
 * 27+n+d     4  header CRC32C    over bytes [0, 27+n+d)
 * </pre>
 *
 * Records start right after the header; its total length is {@link #encodedLength()}.
 * Immutable and thread-safe: the dictionary array is never handed out or changed, so headers
 * of segments trained from the same samples may share one array ({@link #withDictionary}).
 */
public record SegmentHeader(
        int version, String segmentId, long createdAtMillis, Codec codec, int level, int nodeId, byte[] dictionary) {

    public static final byte[] MAGIC = "SDBSEG\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Segment ids are opaque to users, but never contain anything that could form a path. */
    public static final Pattern SEGMENT_ID = Pattern.compile("[0-9a-z-]{1,64}");
    /** zstd dictionaries larger than this are refused: they would only be noise. */
    public static final int MAX_DICTIONARY_LENGTH = 1 << 20;

    private static final int FIXED_PREFIX = 23;

    public SegmentHeader {
        if (!SEGMENT_ID.matcher(segmentId).matches()) {
            throw new IllegalArgumentException("segment id must match [0-9a-z-]{1,64}: " + segmentId);
        }
        if (nodeId < 0 || nodeId > 1023) {
            throw new IllegalArgumentException("node id must be 0-1023: " + nodeId);
        }
        if (level < Byte.MIN_VALUE || level > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("codec level out of range: " + level);
        }
        dictionary = dictionary == null ? new byte[0] : dictionary;
        if (dictionary.length > MAX_DICTIONARY_LENGTH) {
            throw new IllegalArgumentException("dictionary larger than " + MAX_DICTIONARY_LENGTH + " bytes");
        }
        if (codec == Codec.NONE && dictionary.length > 0) {
            throw new IllegalArgumentException("a dictionary needs codec zstd");
        }
    }

    /** A header for a new active segment: the row layout, {@link FormatVersion#V1}. */
    public static SegmentHeader create(
            String segmentId, long createdAtMillis, Codec codec, int level, int nodeId, byte[] dictionary) {
        return new SegmentHeader(
                FormatVersion.V1,
                segmentId,
                createdAtMillis,
                codec,
                level,
                nodeId,
                dictionary == null ? null : dictionary.clone());
    }

    /**
     * This header with {@code shared} as its dictionary, which must hold the same bytes: lets a
     * store keep one copy of a dictionary that many segments use. The array must never change.
     */
    public SegmentHeader withDictionary(byte[] shared) {
        if (!Arrays.equals(shared, dictionary)) {
            throw new IllegalArgumentException("not the same dictionary");
        }
        return new SegmentHeader(version, segmentId, createdAtMillis, codec, level, nodeId, shared);
    }

    /** This header with another format version (e.g. {@link FormatVersion#V2} for a compacted file). */
    public SegmentHeader withVersion(int newVersion) {
        if (!FormatVersion.isReadable(newVersion)) {
            throw new IllegalArgumentException("unknown format version " + newVersion);
        }
        return new SegmentHeader(newVersion, segmentId, createdAtMillis, codec, level, nodeId, dictionary);
    }

    /** The dictionary array itself, for {@link DictionaryRegistry} (never modify it). */
    byte[] dictionaryArray() {
        return dictionary;
    }

    /** A copy of the zstd dictionary; empty when the records were compressed without one. */
    @Override
    public byte[] dictionary() {
        return dictionary.clone();
    }

    public boolean hasDictionary() {
        return dictionary.length > 0;
    }

    public int dictionaryLength() {
        return dictionary.length;
    }

    public int encodedLength() {
        return FIXED_PREFIX + segmentId.length() + 4 + dictionary.length + 4;
    }

    public byte[] encode() {
        byte[] id = segmentId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(encodedLength());
        out.put(MAGIC)
                .putShort((short) version)
                .put((byte) codec.code())
                .put((byte) level)
                .putShort((short) nodeId)
                .putLong(createdAtMillis)
                .put((byte) id.length)
                .put(id)
                .putInt(dictionary.length)
                .put(dictionary);
        int crc = Checksums.crc32c(out.array(), 0, out.position());
        out.putInt(crc);
        return out.array();
    }

    /**
     * Reads and verifies the header at the start of {@code file}; O(header size).
     *
     * @throws CorruptSegmentException on a bad magic, unknown version or codec, or checksum mismatch
     */
    public static SegmentHeader decode(MemorySegment file, Path path) {
        return decode(file, path, null);
    }

    /**
     * As {@link #decode(MemorySegment, Path)}, the dictionary taken from {@code dictionaries} when it
     * already holds the same bytes (compared where they are mapped): a store opening a thousand
     * segments trained from the same samples then copies their dictionary once, not a thousand
     * times (at start-up that copy was most of the time spent opening segments). Null
     * {@code dictionaries}: always a copy.
     *
     * @throws CorruptSegmentException on a bad magic, unknown version or codec, or checksum mismatch
     */
    public static SegmentHeader decode(MemorySegment file, Path path, DictionaryRegistry dictionaries) {
        long size = file.byteSize();
        if (size < FIXED_PREFIX + 1 + 8) {
            throw new CorruptSegmentException(path, 0, "file too short for a header (" + size + " bytes)");
        }
        byte[] magic = file.asSlice(0, MAGIC.length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CorruptSegmentException(path, 0, "not a segment file (bad magic)");
        }
        int version = Short.toUnsignedInt(file.get(Layouts.SHORT, 8));
        if (!FormatVersion.isReadable(version)) {
            throw new CorruptSegmentException(
                    path,
                    8,
                    "format version " + version + " is not readable by this build " + "(reads "
                            + FormatVersion.OLDEST_READABLE + "-" + FormatVersion.CURRENT + ")");
        }
        Codec codec = Codec.ofCode(Byte.toUnsignedInt(file.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 10)));
        if (codec == null) {
            throw new CorruptSegmentException(path, 10, "unknown codec byte");
        }
        int level = file.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 11);
        int nodeId = Short.toUnsignedInt(file.get(Layouts.SHORT, 12));
        long createdAt = file.get(Layouts.LONG, 14);
        int idLength = Byte.toUnsignedInt(file.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 22));
        long dictLengthAt = FIXED_PREFIX + (long) idLength;
        if (idLength == 0 || dictLengthAt + 8 > size) {
            throw new CorruptSegmentException(path, 22, "bad segment id length " + idLength);
        }
        int dictLength = file.get(Layouts.INT, dictLengthAt);
        if (dictLength < 0 || dictLength > MAX_DICTIONARY_LENGTH || dictLengthAt + 4 + dictLength + 4 > size) {
            throw new CorruptSegmentException(path, dictLengthAt, "bad dictionary length " + dictLength);
        }
        long crcAt = dictLengthAt + 4 + dictLength;
        int expected = file.get(Layouts.INT, crcAt);
        int actual = Checksums.crc32c(file, 0, crcAt);
        if (expected != actual) {
            throw new CorruptSegmentException(path, crcAt, "header checksum mismatch");
        }
        String id = new String(
                file.asSlice(FIXED_PREFIX, idLength).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII);
        MemorySegment mapped = file.asSlice(dictLengthAt + 4, dictLength);
        byte[] dictionary = dictionaries == null || dictLength == 0
                ? mapped.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)
                : dictionaries.bytesLike(mapped);
        try {
            return new SegmentHeader(version, id, createdAt, codec, level, nodeId, dictionary);
        } catch (IllegalArgumentException e) {
            throw new CorruptSegmentException(path, 0, "header fields invalid: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentHeader h
                && version == h.version
                && createdAtMillis == h.createdAtMillis
                && level == h.level
                && nodeId == h.nodeId
                && segmentId.equals(h.segmentId)
                && codec == h.codec
                && Arrays.equals(dictionary, h.dictionary);
    }

    @Override
    public int hashCode() {
        return segmentId.hashCode() * 31 + Long.hashCode(createdAtMillis);
    }

    @Override
    public String toString() {
        return "SegmentHeader[v" + version + " " + segmentId + " createdAt=" + createdAtMillis + " " + codec.label()
                + "(" + level + ") node=" + nodeId + " dictionary=" + dictionary.length + "B]";
    }
}
