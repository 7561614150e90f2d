package io.stupiddb.segments.id;

import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/**
 * Parsing, formatting, ordering and field access for document ids: UUIDv7 (RFC 9562) as laid
 * out by {@link DocumentIdGenerator} (see docs/IDS.md).
 *
 * <pre>
 *  msb:  63            16 15  12 11           0
 *       | unix_ts_ms (48) | ver=7 | counter_hi (12) |        (counter_hi = rand_a)
 *  lsb:  63 62 61      52 51            22 21        0
 *       | var=10 | node (10) | counter_lo (30) | tail (22) |  (node..tail = rand_b)
 * </pre>
 *
 * <h2>Text form</h2>
 * Canonical text is the RFC 9562 form, 36 characters {@code 8-4-4-4-12}, lowercase hex.
 * {@link #format} always writes it. {@link #parse} accepts exactly that form and, as RFC 9562
 * §4 asks ("case insensitive on input"), also upper- or mixed-case hex, which it normalises:
 * {@code format(parse(s))} is the canonical spelling. Anything else — other lengths, braces,
 * {@code urn:uuid:}, whitespace, misplaced hyphens, non-hex digits, a version other than 7, a
 * variant other than {@code 10} — is an {@link InvalidDocumentIdException}.
 *
 * <h2>Order</h2>
 * Ids order as unsigned 128-bit numbers, which is the same as the order of their canonical
 * text. {@link UUID#compareTo} compares the two halves as <em>signed</em> longs and so
 * disagrees for about half of all ids: use {@link #compare} or {@link #ORDER}.
 *
 * <p>Thread-safety: stateless, all methods are thread-safe.
 */
public final class DocumentIds {

    /** Unsigned 128-bit order, equal to canonical text order. */
    public static final Comparator<UUID> ORDER = DocumentIds::compare;

    /** Length of the canonical text form. */
    public static final int TEXT_LENGTH = 36;

    static final int NODE_SHIFT = 52;
    static final long NODE_MASK = 0x3FFL;
    static final int COUNTER_LO_BITS = 30;
    static final int COUNTER_LO_SHIFT = 22;
    static final long COUNTER_LO_MASK = (1L << COUNTER_LO_BITS) - 1;
    static final long TAIL_MASK = (1L << COUNTER_LO_SHIFT) - 1;
    static final long RAND_A_MASK = 0xFFFL;
    static final long VERSION_BITS = 0x7000L;
    static final long VARIANT_BITS = 0x8000_0000_0000_0000L;

    private static final int MAX_QUOTED = 48;

    private DocumentIds() {}

    /** Canonical text: 36 characters, lowercase hex. */
    public static String format(UUID id) {
        // UUID.toString() is specified as the RFC 4122/9562 layout and writes lowercase hex.
        return id.toString();
    }

    /**
     * Writes {@link #format}'s text, {@link #TEXT_LENGTH} ASCII bytes, into {@code out} at {@code at}
     * and returns the position after it: for writers of JSON bytes, without a String per id.
     */
    public static int formatAscii(UUID id, byte[] out, int at) {
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        int s = hex(out, at, msb >>> 32, 8);
        out[s++] = '-';
        s = hex(out, s, msb >>> 16, 4);
        out[s++] = '-';
        s = hex(out, s, msb, 4);
        out[s++] = '-';
        s = hex(out, s, lsb >>> 48, 4);
        out[s++] = '-';
        return hex(out, s, lsb, 12);
    }

    /** The low {@code digits} hex digits of {@code bits}, lowercase, at {@code out[at…]}; the position after. */
    private static int hex(byte[] out, int at, long bits, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            int nibble = (int) (bits & 0xf);
            out[at + i] = (byte) (nibble < 10 ? '0' + nibble : 'a' - 10 + nibble);
            bits >>>= 4;
        }
        return at + digits;
    }

    /**
     * Parses canonical UUIDv7 text (case-insensitive hex, see the class comment).
     *
     * @throws InvalidDocumentIdException when {@code text} is not a UUIDv7 in canonical form
     * @throws NullPointerException when {@code text} is null
     */
    public static UUID parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() != TEXT_LENGTH) {
            throw invalid(text, "expected " + TEXT_LENGTH + " characters (8-4-4-4-12 hex), got " + text.length());
        }
        long msb = 0;
        long lsb = 0;
        int digits = 0;
        for (int i = 0; i < TEXT_LENGTH; i++) {
            char c = text.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    throw invalid(text, "expected '-' at position " + i);
                }
                continue;
            }
            int v = hexValue(c);
            if (v < 0) {
                throw invalid(text, "not a hex digit at position " + i);
            }
            if (digits < 16) {
                msb = (msb << 4) | v;
            } else {
                lsb = (lsb << 4) | v;
            }
            digits++;
        }
        if (versionOf(msb) != 7) {
            throw invalid(
                    text, "not a UUIDv7 (version digit at position 14 is '" + text.charAt(14) + "', expected '7')");
        }
        if ((lsb >>> 62) != 0b10) {
            throw invalid(
                    text,
                    "not an RFC 9562 UUID (variant digit at position 19 is '" + text.charAt(19)
                            + "', expected one of 8, 9, a, b)");
        }
        return new UUID(msb, lsb);
    }

    /** Whether {@code id} is a version 7, variant {@code 10} UUID (any layout of its random bits). */
    public static boolean isVersion7(UUID id) {
        return versionOf(id.getMostSignificantBits()) == 7 && (id.getLeastSignificantBits() >>> 62) == 0b10;
    }

    /** The node number (0–1023) stored in the top 10 bits of {@code rand_b}. */
    public static int nodeOf(UUID id) {
        return (int) ((id.getLeastSignificantBits() >>> NODE_SHIFT) & NODE_MASK);
    }

    /** The 48-bit Unix timestamp in milliseconds. */
    public static long timestampMillisOf(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    /** Unsigned 128-bit comparison; agrees with {@code format(a).compareTo(format(b))}. */
    public static int compare(UUID a, UUID b) {
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    /** The 42-bit counter: {@code rand_a} (high 12 bits) then {@code counter_lo} (low 30 bits). */
    static long counterOf(UUID id) {
        return ((id.getMostSignificantBits() & RAND_A_MASK) << COUNTER_LO_BITS)
                | ((id.getLeastSignificantBits() >>> COUNTER_LO_SHIFT) & COUNTER_LO_MASK);
    }

    /** Assembles an id from its fields; callers guarantee the ranges. */
    static UUID compose(long timestampMillis, int node, long counter, long tail) {
        long msb = (timestampMillis << 16) | VERSION_BITS | ((counter >>> COUNTER_LO_BITS) & RAND_A_MASK);
        long lsb = VARIANT_BITS
                | ((long) node << NODE_SHIFT)
                | ((counter & COUNTER_LO_MASK) << COUNTER_LO_SHIFT)
                | (tail & TAIL_MASK);
        return new UUID(msb, lsb);
    }

    private static int versionOf(long msb) {
        return (int) ((msb >>> 12) & 0xF);
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static InvalidDocumentIdException invalid(String text, String why) {
        StringBuilder quoted = new StringBuilder(Math.min(text.length(), MAX_QUOTED) + 1);
        for (int i = 0; i < text.length() && i < MAX_QUOTED; i++) {
            char c = text.charAt(i);
            quoted.append(Character.isISOControl(c) ? '?' : c); // keep logs and problem details on one line
        }
        if (text.length() > MAX_QUOTED) {
            quoted.append('…');
        }
        return new InvalidDocumentIdException("invalid document id \"" + quoted + "\": " + why);
    }
}
