package io.stupiddb.segments.query;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads one top-level string field of an encoded document without decoding the rest: the
 * retention class a document names ({@code segments.retention-class-field}) is looked up this
 * way on every write. Keys are compared as UTF-8 bytes; other values are skipped whole.
 *
 * <p>Immutable (holds the field name's bytes); thread-safe.
 */
public final class TopLevelString {
    private final byte[] name;

    public TopLevelString(String field) {
        this.name = field.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The field's value when the document (a MessagePack map) has it at the top level as a
     * string; empty when it is absent or holds another type. The first occurrence wins.
     *
     * @throws IllegalArgumentException when the bytes are not a well-formed MessagePack map
     */
    public Optional<String> in(byte[] document) {
        ByteBuffer buffer = ByteBuffer.wrap(document);
        MsgpackReader reader = new MsgpackReader(buffer, 0, document.length);
        if (!reader.nextIsMap()) {
            throw new IllegalArgumentException("not a MessagePack map");
        }
        long entries = reader.readMapHeader();
        for (long i = 0; i < entries; i++) {
            boolean match = false;
            if (reader.nextIsString()) {
                int length = reader.readStringHeader();
                match = length == name.length && sameBytes(buffer, reader.position());
                reader.skipBytes(length);
            } else {
                reader.skipValue();
            }
            if (!match) {
                reader.skipValue();
            } else if (reader.nextIsString()) {
                int length = reader.readStringHeader();
                return Optional.of(new String(document, reader.position(), length, StandardCharsets.UTF_8));
            } else {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private boolean sameBytes(ByteBuffer buffer, int at) {
        for (int i = 0; i < name.length; i++) {
            if (buffer.get(at + i) != name[i]) {
                return false;
            }
        }
        return true;
    }
}
