package io.stupiddb.segments.format.column;

import io.stupiddb.segments.format.ByteKeyedTable;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Every value a MessagePack document holds at an addressable dotted path, read in one walk, and
 * the rule that turns them into one {@link ColumnKind} per column path exactly as the filter
 * evaluation (io.stupiddb.segments.query, docs/QUERY.md) would see the field:
 *
 * <ul>
 *   <li>a path walks through objects only; a key that is not a string, is empty, contains a dot
 *       or is not valid UTF-8 can never be named by a filter path, so it is skipped;</li>
 *   <li>a non-object on the way (scalar, null) means the path reaches nothing: {@link ColumnKind#MISSING};</li>
 *   <li>an array on the way (a filter looks into arrays of objects), an array or object at the
 *       path, a key repeated in one map (a filter considers every occurrence), an integer above
 *       {@link Long#MAX_VALUE}, NaN, bin and ext: {@link ColumnKind#OTHER}, "ask the document";</li>
 *   <li>otherwise the scalar itself: null, boolean, int64, float (float32 widened), string bytes.</li>
 * </ul>
 *
 * <p>Objects are descended at most {@value #MAX_DEPTH} levels, the longest filter path.
 * Used when a block is written (background rewrite) and checked, not on the query path: one map
 * entry per path. Whoever reads many documents uses a {@link Reader}, which names each path once;
 * the static {@code of} methods read one document alone (a new Reader each).
 *
 * <p>Immutable after {@link #of}; not meant to be shared across threads.
 */
public final class FieldValues {

    /** The longest filter path, in segments (FilterLimits.MAX_PATH_SEGMENTS). */
    public static final int MAX_DEPTH = 32;

    /** Tags beyond the column kinds: an object or an array at the path. */
    static final int TAG_MAP = 8;

    static final int TAG_ARRAY = 9;

    /** One path's value. {@code count > 1} when a map repeats the key. */
    static final class Value {
        int tag;
        long bits;
        double dbl;
        byte[] utf8;
        int count = 1;

        ColumnKind kind() {
            return tag >= TAG_MAP ? ColumnKind.OTHER : ColumnKind.ofCode(tag);
        }
    }

    private final Map<String, Value> values;

    private FieldValues(Map<String, Value> values) {
        this.values = values;
    }

    /**
     * Reads the document in {@code msgpack[position, limit)}; the buffer is not moved.
     *
     * @throws IllegalArgumentException if it is not a well-formed MessagePack map
     */
    public static FieldValues of(ByteBuffer msgpack) {
        return new Reader(null).read(msgpack);
    }

    public static FieldValues of(byte[] msgpack) {
        return of(msgpack, 0, msgpack.length);
    }

    public static FieldValues of(byte[] msgpack, int offset, int length) {
        return of(msgpack, offset, length, null);
    }

    /**
     * Reads only the paths in {@code wanted} (which must hold every proper prefix of each path it
     * holds, as {@link #wantedFor} makes it): what a writer of known columns needs, several times
     * cheaper than reading every path. {@code null} reads every path.
     */
    public static FieldValues of(byte[] msgpack, int offset, int length, Set<String> wanted) {
        return new Reader(wanted).read(msgpack, offset, length);
    }

    /** The paths and their proper prefixes: what {@link #of(byte[], int, int, Set)} must read for them. */
    public static Set<String> wantedFor(List<ColumnPath> paths) {
        Set<String> wanted = new HashSet<>();
        for (ColumnPath path : paths) {
            wanted.add(path.path());
            wanted.addAll(Arrays.asList(path.prefixes()));
        }
        return wanted;
    }

    /**
     * Reads many documents' values, as {@link #of(byte[], int, int, Set)} reads one: what a writer
     * or a check that walks a whole segment uses. The documents of a segment repeat the same keys,
     * so each path it meets is named once, by its parent and its key's bytes (a tree of the paths
     * seen), instead of a new String per key and per path in every document: a compaction spent
     * about a quarter of its time there. The path Strings are those of {@code wanted} when it has
     * them, so the lookups of {@link #resolve} find them by identity. Keeps at most
     * {@value #MAX_NODES} paths; beyond them each document names the others again. Not thread-safe.
     */
    public static final class Reader {
        static final int MAX_NODES = 4096;

        private final Set<String> wanted;
        private final Map<String, String> canonical = new HashMap<>();
        private final Node root = new Node("", true);
        private int nodes;
        private byte[] key = new byte[64];

        /** {@code wanted} as for {@link #of(byte[], int, int, Set)}: null reads every path. */
        public Reader(Set<String> wanted) {
            this.wanted = wanted;
            if (wanted != null) {
                for (String path : wanted) {
                    canonical.put(path, path);
                }
            }
        }

        /** Reads the document in {@code msgpack[position, limit)}; the buffer is not moved. */
        public FieldValues read(ByteBuffer msgpack) {
            ByteBuffer view = msgpack.duplicate();
            if (view.hasArray()) {
                return read(view.array(), view.arrayOffset() + view.position(), view.remaining());
            }
            byte[] copy = new byte[view.remaining()];
            view.get(copy);
            return read(copy, 0, copy.length);
        }

        /**
         * Reads the document in {@code msgpack[offset, offset + length)}.
         *
         * @throws IllegalArgumentException if it is not a well-formed MessagePack map
         */
        public FieldValues read(byte[] msgpack, int offset, int length) {
            Map<String, Value> values = new HashMap<>();
            try (MessageUnpacker in = MessagePack.newDefaultUnpacker(msgpack, offset, length)) {
                if (!in.hasNext() || in.getNextFormat().getValueType() != org.msgpack.value.ValueType.MAP) {
                    throw new IllegalArgumentException("document is not a MessagePack map");
                }
                walkMap(in, root, 1, values);
            } catch (IOException | MessagePackException e) {
                throw new IllegalArgumentException("malformed MessagePack document: " + e.getMessage(), e);
            }
            return new FieldValues(values);
        }

        private void walkMap(MessageUnpacker in, Node parent, int depth, Map<String, Value> into) throws IOException {
            int entries = in.unpackMapHeader();
            for (int i = 0; i < entries; i++) {
                Node node;
                if (in.getNextFormat().getValueType() == org.msgpack.value.ValueType.STRING) {
                    int n = in.unpackRawStringHeader();
                    if (key.length < n) {
                        key = new byte[Math.max(n, 2 * key.length)];
                    }
                    in.readPayload(key, 0, n);
                    node = child(parent, key, n);
                } else {
                    in.skipValue(); // a non-string key: no path can name it
                    node = null;
                }
                if (node == null || node.path == null || !node.wanted) {
                    in.skipValue();
                    continue;
                }
                Value value = new Value();
                MessageFormat format = in.getNextFormat();
                switch (format.getValueType()) {
                    case NIL -> {
                        in.unpackNil();
                        value.tag = ColumnKind.NULL.code();
                    }
                    case BOOLEAN -> value.tag = in.unpackBoolean() ? ColumnKind.TRUE.code() : ColumnKind.FALSE.code();
                    case INTEGER -> {
                        if (format == MessageFormat.UINT64) {
                            BigInteger big = in.unpackBigInteger();
                            if (big.bitLength() < 64) {
                                value.tag = ColumnKind.INT.code();
                                value.bits = big.longValue();
                            } else {
                                value.tag = ColumnKind.OTHER.code();
                            }
                        } else {
                            value.tag = ColumnKind.INT.code();
                            value.bits = in.unpackLong();
                        }
                    }
                    case FLOAT -> {
                        double d = in.unpackDouble();
                        value.tag = Double.isNaN(d) ? ColumnKind.OTHER.code() : ColumnKind.FLOAT.code();
                        value.dbl = d;
                    }
                    case STRING -> {
                        int n = in.unpackRawStringHeader();
                        value.tag = ColumnKind.STRING.code();
                        value.utf8 = in.readPayload(n);
                    }
                    case MAP -> {
                        value.tag = TAG_MAP;
                        if (depth < MAX_DEPTH) {
                            walkMap(in, node, depth + 1, into);
                        } else {
                            in.skipValue();
                        }
                    }
                    case ARRAY -> {
                        value.tag = TAG_ARRAY;
                        in.skipValue();
                    }
                    default -> { // BINARY, EXTENSION
                        value.tag = ColumnKind.OTHER.code();
                        in.skipValue();
                    }
                }
                Value previous = into.putIfAbsent(node.path, value);
                if (previous != null) {
                    previous.count++;
                }
            }
        }

        /** The node of {@code parent}'s key {@code bytes[0, length)}, named once and kept while there is room. */
        private Node child(Node parent, byte[] bytes, int length) {
            Node known = parent.find(bytes, length);
            if (known != null) {
                return known;
            }
            String name = name(bytes, length);
            String path = name == null ? null : parent.path.isEmpty() ? name : parent.path + "." + name;
            if (path != null) {
                path = canonical.getOrDefault(path, path);
            }
            Node node = new Node(path, path != null && (wanted == null || wanted.contains(path)));
            if (nodes < MAX_NODES) {
                nodes++;
                parent.add(bytes, length, node);
            }
            return node;
        }

        /** A key a filter path segment can equal, or null: empty, not valid UTF-8, or with a dot. */
        private static String name(byte[] utf8, int length) {
            if (length == 0) {
                return null;
            }
            if (isAscii(utf8, length)) { // the usual key: no decoder needed, and ASCII is valid UTF-8
                String key = new String(utf8, 0, length, StandardCharsets.US_ASCII);
                return key.indexOf('.') >= 0 ? null : key;
            }
            try {
                String key = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(utf8, 0, length))
                        .toString();
                return key.indexOf('.') >= 0 ? null : key;
            } catch (CharacterCodingException e) {
                return null;
            }
        }
    }

    private static boolean isAscii(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A path met in the documents read: its name (null when no filter can name it) and whether it
     * is read, with its children by their keys' bytes (none until the first).
     */
    private static final class Node {
        final String path;
        final boolean wanted;
        private ByteKeyedTable<Node> children;

        Node(String path, boolean wanted) {
            this.path = path;
            this.wanted = wanted;
        }

        Node find(byte[] bytes, int length) {
            return children == null ? null : children.get(bytes, 0, length);
        }

        void add(byte[] bytes, int length, Node child) {
            if (children == null) {
                children = new ByteKeyedTable<>(8);
            }
            children.put(bytes, 0, length, child);
        }
    }

    /**
     * What a filter sees at {@code path}: MISSING, OTHER, or a scalar kind whose value is in the
     * returned {@link Value} ({@link Value#bits}, {@link Value#dbl} or {@link Value#utf8}).
     */
    Value resolve(ColumnPath path) {
        String[] prefixes = path.prefixes();
        for (String prefix : prefixes) {
            Value step = values.get(prefix);
            if (step == null) {
                return MISSING;
            }
            if (step.count > 1 || step.tag == TAG_ARRAY || step.tag == ColumnKind.OTHER.code()) {
                // Several values or an array on the way: the filter may find the path inside.
                // (OTHER here is bin/ext/u64/NaN: a non-object, so nothing below; but staying
                // conservative costs nothing.)
                return OTHER;
            }
            if (step.tag != TAG_MAP) {
                return MISSING;
            }
        }
        Value leaf = values.get(path.path());
        if (leaf == null) {
            return MISSING;
        }
        return leaf.count > 1 ? OTHER : leaf;
    }

    /** The kind a filter sees at {@code path}; see {@link #resolve}. */
    public ColumnKind kindAt(String path) {
        return resolve(ColumnPath.of(path)).kind();
    }

    /** Visits every path with its raw value (objects and arrays included), for discovery. */
    void forEach(BiConsumer<String, Value> visitor) {
        values.forEach(visitor);
    }

    private static final Value MISSING = constant(ColumnKind.MISSING.code());
    private static final Value OTHER = constant(ColumnKind.OTHER.code());

    private static Value constant(int tag) {
        Value value = new Value();
        value.tag = tag;
        return value;
    }
}
