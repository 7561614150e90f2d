package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import io.stupiddb.segments.store.DocumentToWrite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

import static io.stupiddb.segments.service.codec.Bodies.assertInvalid;
import static io.stupiddb.segments.service.codec.Bodies.invalidJson;
import static io.stupiddb.segments.service.codec.Bodies.invalidMsgpack;
import static io.stupiddb.segments.service.codec.Bodies.json;
import static io.stupiddb.segments.service.codec.Bodies.msgpack;
import static io.stupiddb.segments.service.codec.Bodies.pack;
import static io.stupiddb.segments.service.codec.Bodies.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DocumentDecoderTimestampTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2026-11-25T10:00:00Z, 1795600800000",
        "2026-11-25T10:00:00.123Z, 1795600800123",
        "2026-11-25T10:00:00.1239999Z, 1795600800123",
        "2026-11-25T11:00:00.250+01:00, 1795600800250",
        "2026-11-25T05:00:00-05:00, 1795600800000",
        "2026-11-25t10:00:00z, 1795600800000",
        "1970-01-01T00:00:00Z, 0",
        "1969-12-31T23:59:59.9995Z, -1",
    })
    void rfc3339StringsAreEventTimes(String text, long millis) {
        DocumentToWrite doc = json("{\"timestamp\":\"" + text + "\",\"x\":1}").getFirst();
        assertEquals(OptionalLong.of(millis), doc.timestamp());
        assertEquals(text, tree(doc).get("timestamp").asText(), "the field stays in the document as sent");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1795600800123L, -1, Long.MAX_VALUE, Long.MIN_VALUE})
    void integersAreEpochMilliseconds(long millis) {
        assertEquals(
                OptionalLong.of(millis),
                json("{\"timestamp\":" + millis + "}").getFirst().timestamp());
        assertEquals(
                OptionalLong.of(millis),
                msgpack(pack(p -> p.packMapHeader(1).packString("timestamp").packLong(millis)))
                        .getFirst()
                        .timestamp());
    }

    @Test
    void absentIsEmptyMeaningIngestTime() {
        assertEquals(
                OptionalLong.empty(),
                json("{\"time\":\"2026-11-25T10:00:00Z\"}").getFirst().timestamp());
    }

    @Test
    void onlyTheTopLevelFieldCounts() {
        DocumentToWrite doc = json("{\"meta\":{\"timestamp\":\"not a time\"},\"list\":[{\"timestamp\":true}]}")
                .getFirst();
        assertEquals(OptionalLong.empty(), doc.timestamp());
        DocumentToWrite both =
                json("{\"meta\":{\"timestamp\":1},\"timestamp\":2}").getFirst();
        assertEquals(OptionalLong.of(2L), both.timestamp());
        assertEquals(
                OptionalLong.empty(),
                msgpack(pack(p -> p.packMapHeader(1)
                                .packString("m")
                                .packMapHeader(1)
                                .packString("timestamp")
                                .packBoolean(true)))
                        .getFirst()
                        .timestamp());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "true | got a boolean",
                "null | got null",
                "1.7e12 | got a number",
                "1795600800000.0 | got a number",
                "{\"$date\":1} | got an object",
                "[1] | got an array",
            })
    void otherTypesAreBadTimestamps(String value, String got) {
        assertInvalid(
                invalidJson("[{},{\"timestamp\":" + value + "}]"),
                Kind.BAD_TIMESTAMP,
                1,
                "element 1: field 'timestamp' must be an RFC 3339 date-time such as 2026-11-25T10:00:00Z or integer"
                        + " epoch milliseconds (" + got + ")");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "yesterday",
                "2026-11-25",
                "2026-11-25T10:00:00",
                "2026-11-25T10:00Z",
                "2026-02-30T10:00:00Z",
                "2026-11-25T10:00:60Z",
                "2026-11-25 10:00:00Z",
                "2026-11-25T10:00:00+0100",
                "1795600800000",
                "",
                "+2026-11-25T10:00:00Z",
                "2026-11-25T10:00:00.1234567891Z"
            })
    void unparsableStringsAreBadTimestamps(String value) {
        assertInvalid(
                invalidJson("{\"timestamp\":\"" + value + "\"}"),
                Kind.BAD_TIMESTAMP,
                0,
                "element 0: field 'timestamp': '" + value
                        + "' is not an RFC 3339 date-time such as 2026-11-25T10:00:00Z");
    }

    @Test
    void integersBeyondInt64AreBadTimestamps() {
        assertInvalid(invalidJson("{\"timestamp\":9223372036854775808}"), Kind.BAD_TIMESTAMP, 0, "out of range");
        assertInvalid(
                invalidMsgpack(pack(
                        p -> p.packMapHeader(1).packString("timestamp").packBigInteger(BigInteger.ONE.shiftLeft(63)))),
                Kind.BAD_TIMESTAMP,
                0,
                "out of range");
    }

    @Test
    void msgpackTimestampsFollowTheSameRules() {
        assertEquals(
                OptionalLong.of(1795600800123L),
                msgpack(pack(p -> p.packMapHeader(2)
                                .packString("a")
                                .packInt(1)
                                .packString("timestamp")
                                .packString("2026-11-25T10:00:00.123Z")))
                        .getFirst()
                        .timestamp());
        assertEquals(
                OptionalLong.of(5L),
                msgpack(pack(p -> p.packMapHeader(1).packString("timestamp").packBigInteger(BigInteger.valueOf(5))))
                        .getFirst()
                        .timestamp());
        assertInvalid(
                invalidMsgpack(
                        pack(p -> p.packMapHeader(1).packString("timestamp").packDouble(1.0))),
                Kind.BAD_TIMESTAMP,
                0,
                "(got a float)");
        assertInvalid(
                invalidMsgpack(
                        pack(p -> p.packMapHeader(1).packString("timestamp").packNil())),
                Kind.BAD_TIMESTAMP,
                0,
                "(got nil)");
        assertInvalid(
                invalidMsgpack(
                        pack(p -> p.packMapHeader(1).packString("timestamp").packString("soon"))),
                Kind.BAD_TIMESTAMP,
                0,
                "'soon' is not an RFC 3339 date-time");
        assertInvalid(
                invalidMsgpack(
                        pack(p -> p.packMapHeader(1).packString("timestamp").packMapHeader(0))),
                Kind.BAD_TIMESTAMP,
                0,
                "(got a map)");
    }

    @Test
    void theFieldNameIsConfigurable() {
        DocumentDecoder decoder = new DocumentDecoder("@ts", Bodies.MIB, 16 * Bodies.MIB);
        List<DocumentToWrite> docs = Bodies.decode(
                decoder,
                "{\"@ts\":42,\"timestamp\":\"ignored\"}\n".getBytes(StandardCharsets.UTF_8),
                BodyFormat.NDJSON);
        assertEquals(OptionalLong.of(42L), docs.getFirst().timestamp());
        var e = Bodies.invalid(decoder, "{\"@ts\":\"x\"}".getBytes(StandardCharsets.UTF_8), BodyFormat.NDJSON);
        assertInvalid(e, Kind.BAD_TIMESTAMP, 0, "line 1: field '@ts'");
    }
}
