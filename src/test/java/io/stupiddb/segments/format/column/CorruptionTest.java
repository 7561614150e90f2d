package io.stupiddb.segments.format.column;

import io.stupiddb.segments.format.CorruptSegmentException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every serialized structure, byte-exhaustively: each single-bit flip and each truncation of a
 * small encoded block must raise {@link CorruptSegmentException} when decoded and read, never
 * another exception and never an answer.
 */
class CorruptionTest {

    /** Reads everything a reader can read: any undetected damage would surface as a value. */
    private static void readAll(ColumnBlock block) {
        RowSet rows = RowSet.empty(block.rows());
        for (ColumnKind kind : ColumnKind.values()) {
            block.rowsOf(kind, rows);
        }
        for (int r = 0; r < block.rows(); r++) {
            if (block.has(ColumnKind.INT)) {
                block.intValue(r);
            }
            if (block.has(ColumnKind.FLOAT)) {
                block.floatValue(r);
            }
            if (block.stringEncoding() == ColumnBlock.STRINGS_DICTIONARY) {
                block.entry(block.code(r));
            }
        }
        if (block.stringEncoding() == ColumnBlock.STRINGS_BLOOM) {
            block.bloomMightContain(42);
        }
    }

    private static byte[] mixedColumn(ColumnOptions options) {
        ColumnBuilder builder = new ColumnBuilder();
        builder.addInt(-3);
        builder.addString("error".getBytes(StandardCharsets.UTF_8));
        builder.addMissing();
        builder.addFloat(2.5);
        builder.addString("😀".getBytes(StandardCharsets.UTF_8));
        builder.addNull();
        builder.addBoolean(true);
        builder.addOther();
        builder.addInt(1_000_000);
        builder.addString("warn".getBytes(StandardCharsets.UTF_8));
        return builder.encode(options);
    }

    private static void assertEveryFlipAndCutIsCaught(byte[] encoded, Consumer<byte[]> decodeAndRead) {
        decodeAndRead.accept(encoded.clone()); // intact: reads fine
        for (int bit = 0; bit < encoded.length * 8; bit++) {
            byte[] damaged = encoded.clone();
            damaged[bit >>> 3] ^= (byte) (1 << (bit & 7));
            int at = bit;
            CorruptSegmentException e = assertThrows(
                    CorruptSegmentException.class,
                    () -> decodeAndRead.accept(damaged),
                    "bit " + at + " of " + encoded.length + " bytes");
            assertTrue(e.getMessage().contains("at byte"), e.getMessage());
        }
        for (int cut = 0; cut < encoded.length; cut++) {
            byte[] torn = java.util.Arrays.copyOf(encoded, cut);
            int at = cut;
            assertThrows(CorruptSegmentException.class, () -> decodeAndRead.accept(torn), "cut at " + at);
        }
    }

    @Test
    void columnBlockWithDictionary() {
        byte[] encoded = mixedColumn(ColumnOptions.DEFAULT);
        assertEquals(ColumnBlock.STRINGS_DICTIONARY, ColumnBlock.read(encoded).stringEncoding());
        assertEveryFlipAndCutIsCaught(encoded, bytes -> readAll(ColumnBlock.read(bytes)));
    }

    @Test
    void columnBlockWithBloom() {
        byte[] encoded = mixedColumn(new ColumnOptions(0, 0, 0.01));
        assertEquals(ColumnBlock.STRINGS_BLOOM, ColumnBlock.read(encoded).stringEncoding());
        assertEveryFlipAndCutIsCaught(encoded, bytes -> readAll(ColumnBlock.read(bytes)));
    }

    @Test
    void singleKindIntColumn() {
        ColumnBuilder builder = new ColumnBuilder();
        for (long v : new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE, 7}) {
            builder.addInt(v);
        }
        assertEveryFlipAndCutIsCaught(builder.encode(ColumnOptions.DEFAULT), bytes -> readAll(ColumnBlock.read(bytes)));
    }

    @Test
    void columnGroup() {
        List<FieldValues> documents = List.of(
                FieldValues.of(Msgpack.of("{'level':'error','http':{'status':503}}")),
                FieldValues.of(Msgpack.of("{'level':'info','http':{'status':200},'latency':1.5}")),
                FieldValues.of(Msgpack.of("{'level':'info'}")));
        List<ColumnPath> paths =
                List.of(ColumnPath.of("level"), ColumnPath.of("http.status"), ColumnPath.of("latency"));
        byte[] encoded = ColumnGroup.encode(paths, documents, ColumnOptions.DEFAULT);
        assertEveryFlipAndCutIsCaught(encoded, bytes -> {
            ColumnGroup group = ColumnGroup.read(bytes);
            if (!group.paths().equals(List.of("level", "http.status", "latency"))) {
                fail("directory decoded to other paths: " + group.paths()); // a flip that passed every check
            }
            for (ColumnPath path : paths) {
                readAll(group.column(path));
            }
        });
    }

    @Test
    void columnSchema() {
        FieldDiscovery discovery = new FieldDiscovery(0.5, 10);
        discovery.add(Msgpack.of("{'level':'error','http':{'status':503}}"));
        discovery.add(Msgpack.of("{'level':'info','http':{'status':200}}"));
        ColumnSchema schema = discovery.force("trace_id").schema();
        byte[] encoded = schema.encode();
        assertEquals(schema, ColumnSchema.read(encoded));
        assertEveryFlipAndCutIsCaught(encoded, bytes -> ColumnSchema.read(bytes));
    }
}
