package io.stupiddb.segments.id;

import java.util.Optional;

/**
 * The id of a segment this store creates: {@code <node>-<number>}, the node as 4 decimal digits,
 * the number as 13, e.g. {@code 0003-1795600800000}. The number is the creation time in epoch
 * milliseconds, or one more than the previous segment's number when the clock has not moved on,
 * so ids of one node sort by creation as text, and document ids in a later segment are larger.
 * Every segment id is also an opaque {@code [0-9a-z-]{1,64}} string (docs/FORMAT.md): that is all
 * readers, the API and the journal rely on; only the store that creates segments parses them.
 */
public record SegmentId(int nodeId, long number) {
    private static final int NODE_DIGITS = 4;
    private static final int NUMBER_DIGITS = 13;

    public SegmentId {
        if (nodeId < 0 || nodeId > 1023) {
            throw new IllegalArgumentException("node id must be 0-1023: " + nodeId);
        }
        if (number < 0 || number > 9_999_999_999_999L) {
            throw new IllegalArgumentException("segment number must have at most 13 digits: " + number);
        }
    }

    /**
     * The id of a segment created at {@code nowMillis} after a segment numbered {@code previousNumber}:
     * its number is the time, or one more than the previous when the clock has not moved on.
     */
    public static SegmentId next(int nodeId, long nowMillis, long previousNumber) {
        return new SegmentId(nodeId, Math.max(nowMillis, previousNumber + 1));
    }

    /** The id in {@code text}, when it has this store's form (ids of other forms stay opaque). */
    public static Optional<SegmentId> parse(String text) {
        if (text == null || text.length() != NODE_DIGITS + 1 + NUMBER_DIGITS || text.charAt(NODE_DIGITS) != '-') {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (i != NODE_DIGITS && (text.charAt(i) < '0' || text.charAt(i) > '9')) {
                return Optional.empty();
            }
        }
        int node = Integer.parseInt(text, 0, NODE_DIGITS, 10);
        return node > 1023
                ? Optional.empty()
                : Optional.of(new SegmentId(node, Long.parseLong(text, NODE_DIGITS + 1, text.length(), 10)));
    }

    /** The number of {@code text}'s id, 0 when it is not of this store's form. */
    public static long numberOf(String text) {
        return parse(text).map(SegmentId::number).orElse(0L);
    }

    @Override
    public String toString() {
        return String.format("%0" + NODE_DIGITS + "d-%0" + NUMBER_DIGITS + "d", nodeId, number);
    }
}
