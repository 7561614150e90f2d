package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import io.stupiddb.segments.store.ConfigValues;
import io.stupiddb.segments.store.DocumentToWrite;

import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The state of one {@link DocumentDecoder#decode} call, shared by the body readers
 * ({@link JsonBodyReader}, {@link MsgpackBodyReader}) so that the rules every format obeys are
 * written once: the nesting limit, duplicate keys, which key is the event time and how its value is
 * judged, the document size limit, and the location every error names (element index, NDJSON line).
 *
 * <p>Holds the documents decoded so far, the {@link MsgpackBuilder} writing the current one, and one
 * key set per nesting level of the current document (reused across documents, so a batch allocates
 * them once). A reader calls {@link #startDocument()}, then {@link #startMap()} /
 * {@link #startArray()} / {@link #isNewKey} + {@link #key} and the builder's value and
 * {@code end()} methods, then {@link #finishDocument()}.
 *
 * <p>Not thread-safe: one per request.
 */
final class DecodeState {
    private static final int QUOTE_MAX = 64;

    private final String timestampField;
    private final long maxDocumentSize;
    private final MsgpackBuilder out;
    private final KeySet[] keys;
    private final List<DocumentToWrite> docs = new ArrayList<>();
    /** Where the element being read is: its index and, for NDJSON, its line; -1 for the body as a whole. */
    private int index = -1;

    private int line = -1;
    /** The current document's event time, when its timestamp field has been read. */
    private long timestamp;

    private boolean hasTimestamp;

    DecodeState(String timestampField, long maxDocumentSize) {
        this.timestampField = timestampField;
        this.maxDocumentSize = maxDocumentSize;
        this.out = new MsgpackBuilder(maxDocumentSize, DocumentDecoder.MAX_DEPTH);
        this.keys = new KeySet[DocumentDecoder.MAX_DEPTH + 1];
    }

    // -------------------------------------------------------------------- location

    /** The element read next is element {@code index} of a JSON or MessagePack body. */
    void element(int index) {
        this.index = index;
    }

    /** The element read next is element {@code index}, on NDJSON line {@code line} (1-based). */
    void line(int index, int line) {
        this.index = index;
        this.line = line;
    }

    /** What is read next belongs to the body as a whole (what surrounds the elements). */
    void wholeBody() {
        index = -1;
        line = -1;
    }

    /** Whether errors are located by NDJSON line (so a column is within that line). */
    boolean inLine() {
        return line > 0;
    }

    // -------------------------------------------------------------------- documents

    /** The top-level field holding the event time ({@code segments.timestamp-field}). */
    String timestampField() {
        return timestampField;
    }

    /** The largest MessagePack encoding of one document; longer strings need not be kept. */
    long maxDocumentSize() {
        return maxDocumentSize;
    }

    /** Documents finished so far. */
    int documentCount() {
        return docs.size();
    }

    /** The documents in body order, unmodifiable. */
    List<DocumentToWrite> documents() {
        return Collections.unmodifiableList(docs);
    }

    /** Where the current document's values go. */
    MsgpackBuilder out() {
        return out;
    }

    /** Begins a document: the builder is empty and no event time is known. */
    void startDocument() {
        startDocument(true);
    }

    /** Begins a document whose bytes the builder keeps ({@code store}) or only counts. */
    void startDocument(boolean store) {
        out.reset(store);
        hasTimestamp = false;
    }

    /** Opens a map (a document's root or a nested object) after checking the nesting limit. */
    void startMap() {
        enter();
        out.startMap();
        keySet().clear();
    }

    /** Opens an array after checking the nesting limit. */
    void startArray() {
        enter();
        out.startArray();
    }

    /** Registers a key of the innermost map; false when that map already has it (the caller says where). */
    boolean isNewKey(String name) {
        return keySet().add(name);
    }

    /**
     * Writes a key registered by {@link #isNewKey}.
     *
     * @return whether it names the event time: the top-level field {@code segments.timestamp-field}
     */
    boolean key(String name, byte[] utf8) {
        out.key(utf8);
        return isTimestampKey(name);
    }

    /** Whether a key of the innermost map, {@code name}, is the top-level field {@code segments.timestamp-field}. */
    boolean isTimestampKey(String name) {
        return out.depth() == 1 && name.equals(timestampField);
    }

    /** The current document's event time (its value is written to the document by the reader too). */
    void timestamp(long epochMillis) {
        timestamp = epochMillis;
        hasTimestamp = true;
    }

    /** Ends the current document, whose root map is closed: checks its size and adds it to the batch. */
    void finishDocument() {
        checkSize();
        add(out.toByteArray());
    }

    /**
     * Ends the current document, closed and counted by the builder, with {@code source} as its
     * bytes: the body's own bytes of it, found to be exactly what the builder would write.
     */
    void finishDocument(byte[] source) {
        checkSize();
        add(source);
    }

    /** TOO_LARGE when the current document, whose root map is closed, is over the limit. */
    void checkSize() {
        if (out.tooLarge()) {
            throw fail(
                    Kind.TOO_LARGE,
                    "document is " + out.size() + " bytes, larger than" + " segments.max-document-size ("
                            + ConfigValues.size(maxDocumentSize) + ")");
        }
    }

    private void add(byte[] source) {
        docs.add(hasTimestamp ? DocumentToWrite.at(source, timestamp) : DocumentToWrite.atIngestTime(source));
    }

    private void enter() {
        if (out.depth() >= DocumentDecoder.MAX_DEPTH) {
            throw tooDeep();
        }
    }

    private KeySet keySet() {
        int d = out.depth();
        if (keys[d] == null) {
            keys[d] = new KeySet();
        }
        return keys[d];
    }

    // -------------------------------------------------------------------- event time

    /** Epoch milliseconds of the timestamp field's string value, or BAD_TIMESTAMP saying why not. */
    long rfc3339(String text) {
        try {
            return Timestamps.parseRfc3339(text);
        } catch (DateTimeParseException e) {
            throw badTimestamp(": " + quote(text) + " is not an RFC 3339 date-time such as " + Timestamps.EXAMPLE + " ("
                    + e.getMessage().replaceFirst("^Text '.*' ", "") + ")");
        } catch (ArithmeticException e) {
            throw badTimestamp(": " + quote(text) + " is out of range");
        }
    }

    /** The timestamp field is an integer beyond int64. */
    InvalidDocumentException epochOutOfRange(String digits) {
        return badTimestamp(": epoch milliseconds " + quoteNumber(digits) + " are out of range");
    }

    /** The timestamp field is neither a string nor an integer ({@code got}: "a boolean", "null", …). */
    InvalidDocumentException badTimestampType(String got) {
        return badTimestamp(" must be an RFC 3339 date-time such as " + Timestamps.EXAMPLE
                + " or integer epoch milliseconds (got " + got + ")");
    }

    /** BAD_TIMESTAMP: {@code field '<timestamp-field>'} followed by {@code detail}. */
    InvalidDocumentException badTimestamp(String detail) {
        return fail(Kind.BAD_TIMESTAMP, "field " + quote(timestampField) + detail);
    }

    // -------------------------------------------------------------------- errors

    /** An error in the element being read (or the body, when none is). */
    InvalidDocumentException fail(Kind kind, String detail) {
        return new InvalidDocumentException(kind, index, line, detail);
    }

    /** An error in the body as a whole, wherever reading is. */
    InvalidDocumentException body(Kind kind, String detail) {
        return new InvalidDocumentException(kind, -1, -1, detail);
    }

    InvalidDocumentException emptyBody() {
        return body(Kind.MALFORMED, "request body is empty");
    }

    InvalidDocumentException emptyArray() {
        return body(Kind.MALFORMED, "empty batch: the array has no documents");
    }

    InvalidDocumentException tooDeep() {
        return fail(Kind.MALFORMED, "nested deeper than " + DocumentDecoder.MAX_DEPTH + " levels");
    }

    /** @param where location text appended to the message ("" when there is none) */
    InvalidDocumentException duplicateKey(String name, String where) {
        return fail(Kind.MALFORMED, "duplicate key " + quote(name) + where);
    }

    /** A string that cannot fit in a document, refused before it is read whole. */
    InvalidDocumentException stringTooLarge() {
        return fail(
                Kind.TOO_LARGE,
                "a string is longer than segments.max-document-size (" + ConfigValues.size(maxDocumentSize) + ")");
    }

    /** A name or value for a message, in quotes, cut at {@value #QUOTE_MAX} characters. */
    static String quote(String s) {
        String shown = s.length() > QUOTE_MAX ? s.substring(0, QUOTE_MAX) + "…" : s;
        return "'" + shown + "'";
    }

    /** A number's digits for a message, cut at {@value #QUOTE_MAX} characters. */
    static String quoteNumber(String digits) {
        return digits.length() > QUOTE_MAX ? digits.substring(0, QUOTE_MAX) + "…" : digits;
    }
}
