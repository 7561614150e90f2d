package io.stupiddb.segments.format.column;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.msgpack.core.MessageBufferPacker;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link FieldValues.Reader}, which keeps the paths it has named from one document to the next,
 * reads every document exactly as a fresh read of that document alone ({@link FieldValues#of})
 * does: with every path or some, with keys no path can name (empty, dotted, not UTF-8, not strings),
 * repeated keys, every kind of value, and more distinct paths than it keeps.
 */
class FieldValuesReaderPropertyTest {
    /** Keys that repeat across documents, keys no filter path can name, and the odd new one. */
    private static final List<byte[]> KEYS = List.of(
            utf8("level"),
            utf8("http"),
            utf8("status"),
            utf8("method"),
            utf8("a"),
            utf8("é"),
            utf8(""),
            utf8("x.y"),
            new byte[] {(byte) 0xC3, (byte) 0x28}, // not UTF-8
            new byte[] {(byte) 0xE2, (byte) 0x82}); // cut short

    private static final Set<String> SOME = Set.of("level", "http", "http.status", "a", "a.a", "é", "http.method");

    @Property(tries = 200)
    void aReaderReadsEachDocumentAsAFreshReadDoes(@ForAll long seed) {
        Random random = new Random(seed);
        FieldValues.Reader every = new FieldValues.Reader(null);
        FieldValues.Reader some = new FieldValues.Reader(SOME);
        for (int d = 0; d < 20; d++) {
            byte[] document = document(random, random.nextInt(40) == 0);
            int offset = random.nextInt(3);
            byte[] framed = new byte[offset + document.length + 2];
            System.arraycopy(document, 0, framed, offset, document.length);
            assertEquals(
                    described(FieldValues.of(document)),
                    described(every.read(framed, offset, document.length)),
                    "document " + d);
            assertEquals(
                    described(FieldValues.of(document, 0, document.length, SOME)),
                    described(some.read(framed, offset, document.length)),
                    "document " + d + " with some paths");
        }
    }

    @Property(tries = 5)
    void moreDistinctPathsThanTheReaderKeepsAreStillRead(@ForAll long seed) {
        Random random = new Random(seed);
        FieldValues.Reader reader = new FieldValues.Reader(null);
        for (int d = 0; d < 6; d++) {
            int keys = FieldValues.Reader.MAX_NODES / 3;
            byte[] document = Msgpack.build(packer -> {
                packer.packMapHeader(keys);
                for (int k = 0; k < keys; k++) {
                    packer.packString("k" + random.nextInt(1 << 20));
                    packer.packInt(k);
                }
            });
            assertEquals(described(FieldValues.of(document)), described(reader.read(document, 0, document.length)));
        }
    }

    private static String described(FieldValues values) {
        TreeMap<String, String> out = new TreeMap<>();
        values.forEach((path, v) -> out.put(
                path,
                v.tag + "/" + v.bits + "/" + Double.doubleToRawLongBits(v.dbl) + "/"
                        + (v.utf8 == null ? "-" : Arrays.toString(v.utf8)) + "/" + v.count));
        return out.toString();
    }

    private static byte[] document(Random random, boolean deep) {
        return Msgpack.build(packer -> map(packer, random, deep ? 40 : 1 + random.nextInt(3)));
    }

    private static void map(MessageBufferPacker packer, Random random, int depth) throws IOException {
        int entries = random.nextInt(6);
        packer.packMapHeader(entries);
        for (int i = 0; i < entries; i++) {
            switch (random.nextInt(12)) {
                case 0 -> packer.packInt(random.nextInt(3)); // not a string
                case 1 -> {
                    byte[] fresh = utf8("n" + random.nextInt(1000));
                    packer.packRawStringHeader(fresh.length);
                    packer.writePayload(fresh);
                }
                default -> {
                    byte[] key = KEYS.get(random.nextInt(KEYS.size()));
                    packer.packRawStringHeader(key.length);
                    packer.writePayload(key);
                }
            }
            value(packer, random, depth);
        }
    }

    private static void value(MessageBufferPacker packer, Random random, int depth) throws IOException {
        switch (random.nextInt(depth > 1 ? 12 : 10)) {
            case 0 -> packer.packNil();
            case 1 -> packer.packBoolean(random.nextBoolean());
            case 2 -> packer.packLong(random.nextLong());
            case 3 -> packer.packBigInteger(BigInteger.ONE.shiftLeft(63).add(BigInteger.valueOf(random.nextInt(5))));
            case 4 -> packer.packDouble(random.nextInt(8) == 0 ? Double.NaN : random.nextGaussian());
            case 5 -> packer.packFloat(random.nextFloat());
            case 6 -> packer.packString(random.nextBoolean() ? "error" : "w" + random.nextInt(50));
            case 7 -> {
                packer.packArrayHeader(2);
                packer.packInt(1);
                packer.packString("x");
            }
            case 8 -> {
                packer.packBinaryHeader(2);
                packer.writePayload(new byte[] {1, 2});
            }
            case 9 -> packer.packInt(random.nextInt(600));
            default -> map(packer, random, depth - 1);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
