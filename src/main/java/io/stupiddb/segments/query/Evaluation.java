package io.stupiddb.segments.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One evaluation of a filter against one document: a single walk over the document that visits
 * only the values on the filter's paths and records, per path, whether it is present and, per
 * atom, whether some value passed; then the boolean tree is evaluated from those two arrays.
 *
 * <p>Arrays: a scalar test passes if any scalar element of an array at the path passes; a map
 * inside an array at an intermediate step is descended into (so {@code "items.sku"} reaches every
 * element's {@code sku}); arrays inside arrays are not looked into.
 *
 * <p>Not thread-safe: create one per call (it is a few small arrays).
 */
final class Evaluation {

    private final boolean[] present;
    private final boolean[] hits;
    private final Scalar scalar = new Scalar();

    Evaluation(int slots, int atoms) {
        this.present = new boolean[slots];
        this.hits = new boolean[atoms];
    }

    // ---- MessagePack -------------------------------------------------------------------------

    boolean run(Expr root, PathNode trie, MsgpackReader reader) {
        if (!reader.nextIsMap()) {
            throw new IllegalArgumentException("document is not a MessagePack map");
        }
        walkMap(trie, reader);
        return root.eval(present, hits);
    }

    private void walkMap(PathNode node, MsgpackReader reader) {
        ByteBuffer buffer = reader.buffer();
        long entries = reader.readMapHeader();
        for (long i = 0; i < entries; i++) {
            PathNode child = null;
            if (reader.nextIsString()) {
                int length = reader.readStringHeader();
                int offset = reader.position();
                reader.skipBytes(length);
                child = node.child(buffer, offset, length);
            } else {
                reader.skipValue(); // a non-string key: no path can name it
            }
            if (child == null) {
                reader.skipValue();
            } else {
                visit(child, reader);
            }
        }
    }

    private void visit(PathNode node, MsgpackReader reader) {
        if (node.slot >= 0) {
            present[node.slot] = true;
        }
        if (reader.nextIsArray()) {
            long elements = reader.readArrayHeader();
            for (long i = 0; i < elements; i++) {
                element(node, reader);
            }
        } else {
            element(node, reader);
        }
    }

    /** A value at {@code node}'s path, or one element of an array there. */
    private void element(PathNode node, MsgpackReader reader) {
        if (reader.nextIsMap()) {
            if (node.hasChildren()) {
                walkMap(node, reader);
            } else {
                reader.skipValue();
            }
        } else if (reader.nextIsArray() || node.atoms.length == 0) {
            reader.skipValue();
        } else {
            reader.readScalar(scalar);
            test(node);
        }
    }

    private void test(PathNode node) {
        for (Atom atom : node.atoms) {
            int index = atom.index();
            if (!hits[index] && atom.test().test(scalar)) {
                hits[index] = true;
            }
        }
    }

    // ---- JsonNode (same rules, for tests and for callers holding a tree) ----------------------

    boolean run(Expr root, PathNode trie, JsonNode document) {
        if (!document.isObject()) {
            throw new IllegalArgumentException("document is not a JSON object");
        }
        walkObject(trie, document);
        return root.eval(present, hits);
    }

    private void walkObject(PathNode node, JsonNode object) {
        for (PathNode child : node.children) {
            JsonNode value = object.get(child.name);
            if (value != null) {
                visit(child, value);
            }
        }
    }

    private void visit(PathNode node, JsonNode value) {
        if (node.slot >= 0) {
            present[node.slot] = true;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                element(node, element);
            }
        } else {
            element(node, value);
        }
    }

    private void element(PathNode node, JsonNode value) {
        if (value.isObject()) {
            if (node.hasChildren()) {
                walkObject(node, value);
            }
        } else if (!value.isArray() && node.atoms.length > 0) {
            load(value, scalar);
            test(node);
        }
    }

    /** Reads a JSON scalar the way the same value would read from MessagePack. */
    static void load(JsonNode value, Scalar out) {
        if (value.isNull()) {
            out.setNil();
        } else if (value.isBoolean()) {
            out.setBool(value.booleanValue());
        } else if (value.isIntegralNumber()) {
            if (value.canConvertToLong()) {
                out.setLong(value.longValue());
            } else {
                BigInteger big = value.bigIntegerValue();
                if (big.signum() > 0 && big.bitLength() <= 64) {
                    out.setUnsigned(big.longValue());
                } else {
                    out.setDouble(big.doubleValue());
                }
            }
        } else if (value.isNumber()) {
            out.setDouble(value.doubleValue());
        } else if (value.isTextual()) {
            byte[] utf8 = value.textValue().getBytes(StandardCharsets.UTF_8);
            out.setString(ByteBuffer.wrap(utf8), 0, utf8.length);
        } else {
            out.setOther();
        }
    }
}
