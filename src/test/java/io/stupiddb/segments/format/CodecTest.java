package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Codec}: the header byte of each codec (part of the file format) and the configuration spelling. */
class CodecTest {

    @Test
    void headerBytesAreFixedByTheFormat() {
        assertEquals(0, Codec.NONE.code());
        assertEquals(1, Codec.ZSTD.code());
        for (Codec codec : Codec.values()) {
            assertEquals(codec, Codec.ofCode(codec.code()));
        }
        assertNull(Codec.ofCode(2), "unknown byte");
        assertNull(Codec.ofCode(-1));
        assertNull(Codec.ofCode(255));
    }

    @Test
    void configurationSpellingParsesAndPrintsBack() {
        assertEquals(Codec.ZSTD, Codec.parse("zstd"));
        assertEquals(Codec.ZSTD, Codec.parse(" ZSTD "));
        assertEquals(Codec.NONE, Codec.parse("None"));
        for (Codec codec : Codec.values()) {
            assertEquals(codec, Codec.parse(codec.label()));
        }
        assertEquals("zstd", Codec.ZSTD.label());
        assertEquals("none", Codec.NONE.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Codec.parse("gzip"));
        assertEquals("unknown compression 'gzip': use zstd or none", e.getMessage());
    }
}
