package io.stupiddb.segments.service.codec;

/**
 * UTF-16 text to UTF-8 bytes without an intermediate String or array: the JSON reader hands the
 * parser's character buffer straight to {@link MsgpackBuilder}. {@code length} first finds the
 * encoded size (a MessagePack string header comes before the bytes) and refuses unpaired surrogates,
 * which JSON's {@code \\uD800} escapes can produce but Unicode, and so UTF-8, has no form for.
 * Stateless; thread-safe.
 */
final class Utf8 {
    private Utf8() {}

    /** UTF-8 length of {@code n} chars from {@code off}, or -1 when one is an unpaired surrogate. */
    static int length(char[] chars, int off, int n) {
        int bytes = n;
        int end = off + n;
        for (int i = off; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes++;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                bytes += 2; // 2 chars, 4 bytes
                i++;
            } else {
                return -1;
            }
        }
        return bytes;
    }

    /**
     * Writes {@code n} chars from {@code off} as UTF-8 at {@code at}, which has room for
     * {@link #length(char[], int, int)} bytes (surrogates already checked); returns the position after.
     */
    static int encode(char[] chars, int off, int n, byte[] out, int at) {
        int end = off + n;
        int i = off;
        while (i < end && chars[i] < 0x80) { // the common case, ASCII, without the branches below
            out[at++] = (byte) chars[i++];
        }
        for (; i < end; i++) {
            char c = chars[i];
            if (Character.isHighSurrogate(c)) {
                at = put(Character.toCodePoint(c, chars[++i]), out, at);
            } else {
                at = put(c, out, at);
            }
        }
        return at;
    }

    /** Writes code point {@code cp} (not a surrogate) as UTF-8 at {@code at}; returns the position after. */
    static int put(int cp, byte[] out, int at) {
        if (cp < 0x80) {
            out[at++] = (byte) cp;
        } else if (cp < 0x800) {
            out[at++] = (byte) (0xc0 | (cp >> 6));
            out[at++] = (byte) (0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out[at++] = (byte) (0xe0 | (cp >> 12));
            out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            out[at++] = (byte) (0x80 | (cp & 0x3f));
        } else {
            out[at++] = (byte) (0xf0 | (cp >> 18));
            out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
            out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            out[at++] = (byte) (0x80 | (cp & 0x3f));
        }
        return at;
    }
}
