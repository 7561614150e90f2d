package io.stupiddb.segments.service.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one stored source, a MessagePack value, into a Jackson {@link JsonGenerator} by walking its
 * bytes: strings go to the generator as the UTF-8 they are stored in
 * ({@link JsonGenerator#writeUTF8String}, escaped by the JSON generator on the way), numbers as
 * numbers, containers with an explicit stack (no recursion). It replaces a MessagePack parser plus
 * {@code copyCurrentStructure} and a separate pass checking that the source is exactly one value (a
 * String per string value, a token object per value, and two passes): the walk itself ends exactly
 * at the last byte or fails. Output is the same token for token (TranscoderPropertyTest compares).
 *
 * <p>Sources are trusted to hold only what {@link DocumentDecoder} stores (string keys, no binary or
 * extension values); anything else, or a truncated or over-long source, is an {@link IOException},
 * never a partial success. One instance per source; not thread-safe.
 */
final class SourceWriter {
    private final SourceReader in = new SourceReader();
    /**
     * Whether strings go to the generator as UTF-8 bytes: only the JSON generator over a byte stream
     * takes them (the Writer-based one refuses, msgpack-jackson's mishandles the offset).
     */
    private final boolean utf8;

    private SourceWriter(byte[] source, boolean utf8) {
        in.start(source);
        this.utf8 = utf8;
    }

    /** Writes {@code source} as the next value of {@code gen}. */
    static void write(JsonGenerator gen, byte[] source) throws IOException {
        if (source.length == 0) {
            throw new IOException("empty document source");
        }
        new SourceWriter(source, gen instanceof UTF8JsonGenerator).walk(gen);
    }

    private void walk(JsonGenerator gen) throws IOException {
        // left[d]: items still to write in the container at depth d; depth 0 holds the one root value
        long[] left = new long[16];
        boolean[] map = new boolean[16];
        int depth = 0;
        left[0] = 1;
        while (true) {
            if (left[depth] == 0) {
                if (depth == 0) {
                    break;
                }
                if (map[depth]) {
                    gen.writeEndObject();
                } else {
                    gen.writeEndArray();
                }
                depth--;
                continue;
            }
            boolean keyPosition = map[depth] && left[depth] % 2 == 0;
            left[depth]--;
            int f = in.u8();
            if (keyPosition) {
                int len = in.stringLength(f);
                if (len < 0) {
                    throw in.bad("a map key is not a string (format 0x" + Integer.toHexString(f) + ")");
                }
                in.need(len);
                gen.writeFieldName(new String(in.bytes, in.pos, len, StandardCharsets.UTF_8));
                in.pos += len;
                continue;
            }
            long n = in.containerLength(f);
            if (n >= 0) {
                boolean isMap = SourceReader.isMap(f);
                if (isMap) {
                    gen.writeStartObject();
                } else {
                    gen.writeStartArray();
                }
                if (++depth == left.length) {
                    left = Arrays.copyOf(left, 2 * depth);
                    map = Arrays.copyOf(map, 2 * depth);
                }
                left[depth] = isMap ? 2 * n : n;
                map[depth] = isMap;
                continue;
            }
            scalar(gen, f);
        }
        in.requireEnd();
    }

    private void scalar(JsonGenerator gen, int f) throws IOException {
        if (f <= 0x7f) {
            gen.writeNumber(f);
            return;
        }
        if (f >= 0xe0) {
            gen.writeNumber((byte) f);
            return;
        }
        int len = in.stringLength(f);
        if (len >= 0) {
            in.need(len);
            if (utf8) {
                gen.writeUTF8String(in.bytes, in.pos, len);
            } else {
                gen.writeString(new String(in.bytes, in.pos, len, StandardCharsets.UTF_8));
            }
            in.pos += len;
            return;
        }
        switch (f) {
            case 0xc0 -> gen.writeNull();
            case 0xc2 -> gen.writeBoolean(false);
            case 0xc3 -> gen.writeBoolean(true);
            // as a double, as msgpack-jackson's parser read it: 0.1f is written 0.10000000149011612
            case 0xca -> gen.writeNumber((double) Float.intBitsToFloat((int) in.be(4)));
            case 0xcb -> gen.writeNumber(Double.longBitsToDouble(in.be(8)));
            case 0xcc -> gen.writeNumber((int) in.be(1));
            case 0xcd -> gen.writeNumber((int) in.be(2));
            case 0xce -> gen.writeNumber(in.be(4));
            case 0xcf -> {
                long v = in.be(8);
                if (v >= 0) {
                    gen.writeNumber(v);
                } else { // above Long.MAX_VALUE
                    gen.writeNumber(new BigInteger(Long.toUnsignedString(v)));
                }
            }
            case 0xd0 -> gen.writeNumber((byte) in.be(1));
            case 0xd1 -> gen.writeNumber((short) in.be(2));
            case 0xd2 -> gen.writeNumber((int) in.be(4));
            case 0xd3 -> gen.writeNumber(in.be(8));
            default -> throw in.bad("unsupported format 0x" + Integer.toHexString(f));
        }
    }
}
