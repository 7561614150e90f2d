package io.stupiddb.segments.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A parsed document filter: the MongoDB-style subset of SPEC §3, evaluated directly on the
 * MessagePack bytes of stored documents. docs/QUERY.md is the full reference; in short:
 *
 * <ul>
 *   <li>{@code {"level":"error"}} is equality; {@code {"status":{"$gte":500,"$lt":600}}} applies
 *       operators ({@code $eq $ne $gt $gte $lt $lte $in $nin $exists $prefix $not}); several entries
 *       in one object all have to hold; {@code $and}/{@code $or} take non-empty arrays of filters;
 *       {@code $not} negates a field's operators ({@code {"f":{"$not":{...}}}}) or, at the top
 *       level, a whole filter; {@code "http.status"} reaches into nested objects.</li>
 *   <li>Values of different kinds never compare: a number is neither equal to, greater nor less
 *       than a string. Integers and floats compare exactly by numeric value ({@code 1 == 1.0},
 *       and 2<sup>63</sup>+1 is not rounded). Strings compare by Unicode code point (the order of
 *       their UTF-8 bytes). Booleans only support equality.</li>
 *   <li>Negations are exact complements: {@code $ne} is "not {@code $eq}" and {@code $nin} is "not
 *       {@code $in}", so they match when the field is missing or holds another kind of value.</li>
 *   <li>A missing field fails every test except {@code $exists:false}, {@code null} equality and
 *       the negations. {@code {"f":null}} matches an explicit null <em>or</em> a missing field;
 *       {@code {"f":{"$ne":null}}} therefore means "f has a non-null value".</li>
 *   <li>When the field holds an array, a test passes if any scalar element passes (so
 *       {@code {"tags":"x"}} matches {@code ["x","y"]}); a path step through an array of objects
 *       looks into each of them. Whole arrays or objects are never equal to anything.</li>
 * </ul>
 *
 * <p>Evaluation walks the encoded map once, descending only into keys on a referenced path and
 * skipping every other value unread; no per-document map or tree is built.
 *
 * <p>Immutable and thread-safe: one instance can be shared by any number of concurrent scans.
 */
public final class Filter {

    private static final Filter MATCH_ALL = new Filter(Expr.TRUE, null, 0, 0);

    private final Expr root;
    /** Null when {@link #root} is a constant: such a filter never reads a document. */
    private final PathNode paths;

    private final int slots;
    private final int atoms;

    private Filter(Expr root, PathNode paths, int slots, int atoms) {
        this.root = root;
        this.paths = paths;
        this.slots = slots;
        this.atoms = atoms;
    }

    /** The filter that matches every document (what an absent {@code filter} parameter means). */
    public static Filter matchAll() {
        return MATCH_ALL;
    }

    /**
     * Parses filter JSON text, e.g. the URL-decoded {@code filter=} query parameter.
     *
     * @throws FilterSyntaxException for malformed JSON (with line and column), a non-object,
     *                               unknown operators, wrongly typed arguments, duplicate keys,
     *                               nesting deeper than 32 or more than 1,000 values; the
     *                               message and {@link FilterSyntaxException#location()} say where
     */
    public static Filter parse(String json) {
        Objects.requireNonNull(json, "json");
        return parse(FilterJson.read(json));
    }

    /**
     * Parses a filter already read as JSON, e.g. the {@code "filter"} member of a search body.
     * Only an object is a filter: JSON {@code null} is rejected like any other non-object, so a
     * caller that wants "absent or null means no filter" decides that and uses {@link #matchAll()}.
     *
     * @throws FilterSyntaxException as for {@link #parse(String)}; deep or huge trees are refused
     *                               without deep recursion
     */
    public static Filter parse(JsonNode node) {
        Objects.requireNonNull(node, "node");
        FilterParser parser = new FilterParser();
        Expr root = parser.parse(node);
        if (root instanceof Expr.Const(boolean value)) {
            return value ? MATCH_ALL : new Filter(root, null, 0, 0);
        }
        PathNode.Builder trie = new PathNode.Builder();
        register(root, trie);
        return new Filter(root, trie.build(), parser.slotCount(), parser.atomCount());
    }

    /** Adds the paths and atoms still reachable after constant folding to the trie. */
    private static void register(Expr expr, PathNode.Builder trie) {
        switch (expr) {
            case Expr.And and -> and.terms().forEach(term -> register(term, trie));
            case Expr.Or or -> or.terms().forEach(term -> register(term, trie));
            case Expr.Not not -> register(not.term(), trie);
            case Expr.Exists exists -> trie.path(exists.path(), exists.slot());
            case Expr.Holds holds -> trie.atom(holds.atom());
            case Expr.Const ignored -> {}
        }
    }

    /** True when this filter matches every document, so a scan can skip evaluating it. */
    public boolean isMatchAll() {
        return this == MATCH_ALL;
    }

    /**
     * Tests one MessagePack-encoded document: the map between the buffer's position and limit.
     * Reads with absolute gets only: the buffer's position, limit and byte order are left as they
     * were, and concurrent calls may share one buffer. Heap, direct, read-only and memory-mapped
     * buffers all work. Map keys that are not strings are ignored.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed MessagePack map (only as
     *                                  far as the walk reads them; a constant filter reads nothing)
     */
    public boolean matches(ByteBuffer msgpackDocument) {
        if (paths == null) {
            return root == Expr.TRUE;
        }
        // Multi-byte MessagePack values are big-endian; only a caller's other order costs a view.
        ByteBuffer buffer = msgpackDocument.order() == ByteOrder.BIG_ENDIAN
                ? msgpackDocument
                : msgpackDocument.duplicate().order(ByteOrder.BIG_ENDIAN);
        MsgpackReader reader = new MsgpackReader(buffer, buffer.position(), buffer.remaining());
        return new Evaluation(slots, atoms).run(root, paths, reader);
    }

    /** Tests the MessagePack map that fills {@code bytes}; see {@link #matches(ByteBuffer)}. */
    public boolean matches(byte[] msgpackDocument) {
        return matches(msgpackDocument, 0, msgpackDocument.length);
    }

    /** Tests the MessagePack map in {@code bytes[offset, offset + length)}; see {@link #matches(ByteBuffer)}. */
    public boolean matches(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (paths == null) {
            return root == Expr.TRUE;
        }
        MsgpackReader reader = new MsgpackReader(ByteBuffer.wrap(bytes), offset, length);
        return new Evaluation(slots, atoms).run(root, paths, reader);
    }

    /**
     * Tests a document held as a JSON tree, with exactly the semantics of the MessagePack path
     * (JSON numbers map to the same integer or float kinds).
     *
     * @throws IllegalArgumentException if the document is not a JSON object
     */
    public boolean matches(JsonNode document) {
        if (paths == null) {
            return root == Expr.TRUE;
        }
        return new Evaluation(slots, atoms).run(root, paths, document);
    }

    /**
     * The compiled form, for logs and tests: e.g. {@code and(eq(level, "error"), gte(status, 500))};
     * {@code $ne} shows as {@code not(eq(...))} and null equality as {@code or(eq(f, null), not(exists(f)))}.
     */
    @Override
    public String toString() {
        return root.toString();
    }
}
