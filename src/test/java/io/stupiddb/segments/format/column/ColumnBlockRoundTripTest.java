package io.stupiddb.segments.format.column;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encode then decode gives every row's kind and value back, for every encoding. */
class ColumnBlockRoundTripTest {

    /** One row's value: a kind and its payload. */
    record Cell(ColumnKind kind, long bits, double dbl, String text) {
        void addTo(ColumnBuilder builder) {
            switch (kind) {
                case MISSING -> builder.addMissing();
                case NULL -> builder.addNull();
                case FALSE -> builder.addBoolean(false);
                case TRUE -> builder.addBoolean(true);
                case INT -> builder.addInt(bits);
                case FLOAT -> builder.addFloat(dbl);
                case STRING -> builder.addString(text.getBytes(StandardCharsets.UTF_8));
                case OTHER -> builder.addOther();
            }
        }
    }

    @Property(tries = 500)
    void everyRowComesBack(@ForAll("columns") List<Cell> cells, @ForAll("options") ColumnOptions options) {
        ColumnBuilder builder = new ColumnBuilder();
        cells.forEach(c -> c.addTo(builder));
        byte[] encoded = builder.encode(options);
        // Decoded from a native segment at an odd offset, as from a mapped file.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(encoded.length + 3);
            MemorySegment.copy(encoded, 0, segment, ValueLayout.JAVA_BYTE, 3, encoded.length);
            ColumnBlock block = ColumnBlock.read(segment, 3, null);
            assertEquals(encoded.length, block.byteSize());
            check(cells, block);
        }
        check(cells, ColumnBlock.read(ByteBuffer.wrap(encoded).asReadOnlyBuffer()));
    }

    private static void check(List<Cell> cells, ColumnBlock block) {
        int n = cells.size();
        assertEquals(n, block.rows());
        RowSet[] byKind = new RowSet[ColumnKind.values().length];
        for (ColumnKind kind : ColumnKind.values()) {
            byKind[kind.code()] = RowSet.empty(n);
            block.rowsOf(kind, byKind[kind.code()]);
        }
        for (int r = 0; r < n; r++) {
            Cell cell = cells.get(r);
            for (ColumnKind kind : ColumnKind.values()) {
                assertEquals(kind == cell.kind(), byKind[kind.code()].contains(r), "row " + r + " kind " + kind);
            }
            switch (cell.kind()) {
                case INT -> {
                    assertEquals(cell.bits(), block.intValue(r));
                    assertTrue(block.intMin() <= cell.bits() && cell.bits() <= block.intMax());
                }
                case FLOAT -> {
                    assertEquals(
                            Double.doubleToRawLongBits(cell.dbl()), Double.doubleToRawLongBits(block.floatValue(r)));
                    assertTrue(block.floatMin() <= cell.dbl() && cell.dbl() <= block.floatMax());
                }
                case STRING -> {
                    byte[] utf8 = cell.text().getBytes(StandardCharsets.UTF_8);
                    if (block.stringEncoding() == ColumnBlock.STRINGS_DICTIONARY) {
                        assertArrayEquals(utf8, block.entry(block.code(r)));
                        assertEquals(0, block.compareEntry(block.code(r), utf8));
                    } else {
                        assertTrue(block.bloomMightContain(XxHash64.hash(utf8)), "no false negatives");
                    }
                }
                default -> {}
            }
        }
        if (block.stringEncoding() == ColumnBlock.STRINGS_DICTIONARY) {
            for (int code = 1; code < block.dictionarySize(); code++) {
                assertTrue(block.compareEntry(code, block.entry(code - 1)) > 0, "entries sorted and distinct");
            }
        }
    }

    @Provide
    Arbitrary<List<Cell>> columns() {
        Arbitrary<Cell> ints = Arbitraries.oneOf(
                        Arbitraries.longs().between(-5, 5),
                        Arbitraries.longs(),
                        Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L))
                .map(v -> new Cell(ColumnKind.INT, v, 0, null));
        Arbitrary<Cell> floats = Arbitraries.oneOf(
                        Arbitraries.doubles(),
                        Arbitraries.of(
                                -0.0,
                                0.0,
                                Double.MAX_VALUE,
                                -Double.MIN_VALUE,
                                Double.POSITIVE_INFINITY,
                                Double.NEGATIVE_INFINITY))
                .map(v -> new Cell(ColumnKind.FLOAT, 0, v, null));
        Arbitrary<Cell> strings = Arbitraries.oneOf(
                        Arbitraries.of("", "a", "é", "😀", "～", "error", "warn"),
                        Arbitraries.strings().ofMaxLength(12))
                .map(s -> new Cell(ColumnKind.STRING, 0, 0, s));
        Arbitrary<Cell> others = Arbitraries.of(
                        ColumnKind.MISSING, ColumnKind.NULL, ColumnKind.FALSE, ColumnKind.TRUE, ColumnKind.OTHER)
                .map(k -> new Cell(k, 0, 0, null));
        Arbitrary<Cell> any = Arbitraries.frequencyOf(
                Tuple.of(3, ints), Tuple.of(2, floats), Tuple.of(3, strings), Tuple.of(2, others));
        // Single-kind columns too (no bitmaps), and sizes around the 64-row word boundary.
        return Arbitraries.oneOf(any, ints, strings, floats).list().ofMinSize(1).ofMaxSize(200);
    }

    @Provide
    Arbitrary<ColumnOptions> options() {
        return Arbitraries.of(ColumnOptions.DEFAULT, new ColumnOptions(0, 0, 0.01), new ColumnOptions(4, 64, 0.1));
    }

    @Test
    void aFullBlockOfHighCardinalityStringsIsABloomAndOfLevelsADictionary() {
        ColumnBuilder ids = new ColumnBuilder();
        ColumnBuilder levels = new ColumnBuilder();
        List<String> names = List.of("debug", "info", "warn", "error");
        for (int r = 0; r < 8_192; r++) {
            ids.addString(("4bf92f3577b34da6a3ce929d0e0e" + Integer.toHexString(0x10000 + r))
                    .getBytes(StandardCharsets.UTF_8));
            levels.addString(names.get(r % 4).getBytes(StandardCharsets.UTF_8));
        }
        ColumnBlock idBlock = ColumnBlock.read(ids.encode(ColumnOptions.DEFAULT));
        ColumnBlock levelBlock = ColumnBlock.read(levels.encode(ColumnOptions.DEFAULT));
        assertEquals(ColumnBlock.STRINGS_BLOOM, idBlock.stringEncoding());
        assertFalse(idBlock.bloomMightContain(XxHash64.hash("not an id".getBytes(StandardCharsets.UTF_8))));
        assertEquals(ColumnBlock.STRINGS_DICTIONARY, levelBlock.stringEncoding());
        assertEquals(4, levelBlock.dictionarySize());
        // 16 header + (8 + 4 × 4 offsets + 18 string bytes) dictionary + 1 width + 8,192 × 2 bits of codes.
        assertEquals(16 + 8 + 16 + 18 + 1 + 2_048, levelBlock.byteSize());
    }

    @Test
    void builderRefusesEmptyAndOversizedBlocks() {
        assertThrows(IllegalStateException.class, () -> new ColumnBuilder().encode(ColumnOptions.DEFAULT));
        ColumnBuilder builder = new ColumnBuilder();
        for (int r = 0; r < ColumnBlock.MAX_ROWS; r++) {
            builder.addMissing();
        }
        assertThrows(IllegalStateException.class, builder::addNull);
        assertEquals(
                ColumnBlock.MAX_ROWS,
                ColumnBlock.read(builder.encode(ColumnOptions.DEFAULT)).rows());
    }

    @Test
    void accessorsRefuseKindsTheColumnDoesNotHave() {
        ColumnBuilder builder = new ColumnBuilder();
        builder.addInt(1);
        ColumnBlock block = ColumnBlock.read(builder.encode(ColumnOptions.DEFAULT));
        assertThrows(IllegalStateException.class, () -> block.floatValue(0));
        assertThrows(IllegalStateException.class, () -> block.code(0));
        assertThrows(IndexOutOfBoundsException.class, () -> block.intValue(1));
    }
}
