package io.stupiddb.segments.format.column;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a column records per document: the filter's view of the path (docs/QUERY.md). */
class FieldValuesTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{'a':1}|a|INT",
                "{'a':1.5}|a|FLOAT",
                "{'a':'x'}|a|STRING",
                "{'a':true}|a|TRUE",
                "{'a':false}|a|FALSE",
                "{'a':null}|a|NULL",
                "{}|a|MISSING",
                "{'a':[1]}|a|OTHER", // arrays are not columnar
                "{'a':{'b':1}}|a|OTHER", // an object at the path: present, but no scalar
                "{'a':{'b':1}}|a.b|INT",
                "{'a':{'c':1}}|a.b|MISSING",
                "{'a':5}|a.b|MISSING", // a scalar on the way: the path reaches nothing
                "{'a':null}|a.b|MISSING",
                "{'a':[{'b':1}]}|a.b|OTHER", // a filter looks into arrays of objects
                "{'a':[]}|a.b|OTHER",
                "{'a.b':1}|a.b|MISSING", // a dotted key is never reached by a path
                "{'a.b':1,'a':{'b':'x'}}|a.b|STRING",
                "{'':{'b':1}}|b|MISSING",
                "{'a':{'b':{'c':-7}}}|a.b.c|INT",
            })
    void kindAtPath(String json, String path, ColumnKind expected) {
        assertEquals(expected, FieldValues.of(Msgpack.of(json)).kindAt(path));
    }

    @Test
    void repeatedKeysAndOddEncodingsAreOther() {
        byte[] repeated = Msgpack.build(p ->
                p.packMapHeader(2).packString("a").packInt(1).packString("a").packInt(2));
        assertEquals(ColumnKind.OTHER, FieldValues.of(repeated).kindAt("a"));
        byte[] repeatedOnTheWay = Msgpack.build(p -> p.packMapHeader(2)
                .packString("a")
                .packMapHeader(1)
                .packString("b")
                .packInt(1)
                .packString("a")
                .packInt(2));
        assertEquals(ColumnKind.OTHER, FieldValues.of(repeatedOnTheWay).kindAt("a.b"));
        byte[] odd = Msgpack.build(p -> p.packMapHeader(5)
                .packString("u")
                .packBigInteger(new BigInteger("18446744073709551615"))
                .packString("big")
                .packBigInteger(new BigInteger("9223372036854775807"))
                .packString("nan")
                .packDouble(Double.NaN)
                .packString("f32")
                .packFloat(1.5f)
                .packString("bin")
                .packBinaryHeader(1)
                .addPayload(new byte[] {1}));
        FieldValues values = FieldValues.of(odd);
        assertEquals(ColumnKind.OTHER, values.kindAt("u"));
        assertEquals(ColumnKind.INT, values.kindAt("big")); // uint64 encoding of a value that fits
        assertEquals(ColumnKind.OTHER, values.kindAt("nan"));
        assertEquals(ColumnKind.FLOAT, values.kindAt("f32"));
        assertEquals(ColumnKind.OTHER, values.kindAt("bin"));
    }

    @Test
    void keysThatNoPathCanNameAreSkipped() {
        byte[] document = Msgpack.build(p -> p.packMapHeader(3)
                .packInt(7)
                .packString("int key")
                .packRawStringHeader(1)
                .addPayload(new byte[] {(byte) 0xff})
                .packInt(1) // invalid UTF-8
                .packString("k")
                .packString("v"));
        FieldValues values = FieldValues.of(document);
        assertEquals(ColumnKind.STRING, values.kindAt("k"));
        assertEquals(ColumnKind.MISSING, values.kindAt("7"));
        assertEquals(ColumnKind.MISSING, values.kindAt("\ufffd"));
    }

    @Test
    void readsBuffersWithoutMovingThem() {
        byte[] bytes = Msgpack.of("{'s':'é'}");
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 2).position(2);
        direct.put(bytes).position(2);
        assertEquals(ColumnKind.STRING, FieldValues.of(direct).kindAt("s"));
        assertEquals(2, direct.position());
        assertEquals("é", new String(FieldValues.of(direct).resolve(ColumnPath.of("s")).utf8, StandardCharsets.UTF_8));
    }

    @Test
    void refusesWhatIsNotADocument() {
        assertThrows(IllegalArgumentException.class, () -> FieldValues.of(Msgpack.of("[1]")));
        assertThrows(IllegalArgumentException.class, () -> FieldValues.of(new byte[] {(byte) 0x81, (byte) 0xa1}));
        assertThrows(IllegalArgumentException.class, () -> FieldValues.of(new byte[0]));
    }
}
