package io.stupiddb.segments.query;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The page token a scan hands out as {@code next} and takes back as the API's {@code cursor}
 * parameter (not to be confused with a {@code DocumentCursor}, which walks documents): where a
 * scan continues, for each node the id of the last document returned (ids strictly
 * increase in a store, so "after this id" is a complete position that survives rotation,
 * archive and eviction, and needs no server-side state). A single node has one entry; a
 * cluster scan carries one per node (SPEC §9).
 *
 * <p>Text form (opaque to clients): base64url without padding of
 * {@code u8 version (1) | u16 entries | entries × (u16 node | u64 msb | u64 lsb)}.
 */
public record PageToken(SortedMap<Integer, UUID> positions) {
    private static final int VERSION = 1;
    private static final int MAX_ENTRIES = 1024;

    public PageToken {
        positions = Collections.unmodifiableSortedMap(new TreeMap<>(positions));
    }

    public static PageToken of(int node, UUID lastId) {
        return new PageToken(new TreeMap<>(Map.of(node, lastId)));
    }

    /** The last id returned by {@code node}, or null to start from its beginning. */
    public UUID after(int node) {
        return positions.get(node);
    }

    public String encode() {
        ByteBuffer out = ByteBuffer.allocate(3 + positions.size() * 18);
        out.put((byte) VERSION).putShort((short) positions.size());
        positions.forEach((node, id) -> out.putShort((short) (int) node)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    }

    /** @throws InvalidCursorException when the text is not a cursor this build wrote */
    public static PageToken decode(String text) {
        if (text == null || text.isBlank() || text.length() > 4 * (3 + MAX_ENTRIES * 18) / 3 + 4) {
            throw new InvalidCursorException("cursor is empty or too long");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException("cursor is not base64url: " + e.getMessage());
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < 3 || in.get() != VERSION) {
            throw new InvalidCursorException("cursor has an unknown version");
        }
        int entries = Short.toUnsignedInt(in.getShort());
        if (entries == 0 || entries > MAX_ENTRIES || in.remaining() != entries * 18) {
            throw new InvalidCursorException("cursor is truncated or has trailing bytes");
        }
        TreeMap<Integer, UUID> positions = new TreeMap<>();
        for (int i = 0; i < entries; i++) {
            int node = Short.toUnsignedInt(in.getShort());
            if (node > 1023 || positions.put(node, new UUID(in.getLong(), in.getLong())) != null) {
                throw new InvalidCursorException("cursor names node " + node + " twice or out of range");
            }
        }
        return new PageToken(positions);
    }

    /** A malformed {@code cursor} parameter (400). */
    public static final class InvalidCursorException extends IllegalArgumentException {
        public InvalidCursorException(String message) {
            super("invalid cursor: " + message);
        }
    }
}
