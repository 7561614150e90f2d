package io.stupiddb.segments.id;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Locale;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentIdsTest {

    private static final String VALID = "01936b2e-1e4f-7a3c-8c5d-0123456789ab";

    @Test
    void parsesCanonicalText() {
        UUID id = DocumentIds.parse(VALID);
        assertEquals(UUID.fromString(VALID), id);
        assertEquals(VALID, DocumentIds.format(id));
        assertEquals(0x01936b2e1e4fL, DocumentIds.timestampMillisOf(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", "9", "a", "b", "A", "B"})
    void acceptsEveryRfcVariantDigit(String digit) {
        String text = VALID.substring(0, 19) + digit + VALID.substring(20);
        assertEquals(text.toLowerCase(Locale.ROOT), DocumentIds.format(DocumentIds.parse(text)));
    }

    @Test
    void upperAndMixedCaseAreAcceptedAndNormalised() {
        String upper = VALID.toUpperCase(Locale.ROOT);
        assertEquals(VALID, DocumentIds.format(DocumentIds.parse(upper)));
        assertEquals(VALID, DocumentIds.format(DocumentIds.parse("01936B2E-1e4f-7A3c-8c5D-0123456789Ab")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", // empty
                "01936b2e-1e4f-7a3c-8c5d-0123456789a", // 35 chars
                "01936b2e-1e4f-7a3c-8c5d-0123456789abc", // 37 chars
                "01936b2e1e4f7a3c8c5d0123456789ab", // no hyphens (32 chars)
                "01936b2e1-e4f-7a3c-8c5d-0123456789ab", // misplaced hyphen
                "01936b2e-1e4f-7a3c-8c5d-0123456789a-", // hyphen as a digit
                "01936b2e-1e4f-7a3c-8c5d-01234567-9ab", // hyphen as a digit, right length
                "01936b2e-1e4f-7a3c-8c5d-0123456789ag", // non-hex letter
                "01936b2e-1e4f-7a3c-8c5d-0123456789a\u0661", // Arabic-Indic digit one
                "0x936b2e-1e4f-7a3c-8c5d-0123456789ab", // 0x prefix
                "+1936b2e-1e4f-7a3c-8c5d-0123456789ab", // sign
                "{01936b2e-1e4f-7a3c-8c5d-0123456789ab}", // braces
                "{1936b2e-1e4f-7a3c-8c5d-0123456789a}", // braces, right length
                "urn:uuid:01936b2e-1e4f-7a3c-8c5d-0123456789ab",
                " 01936b2e-1e4f-7a3c-8c5d-0123456789ab", // leading space
                "01936b2e-1e4f-7a3c-8c5d-0123456789ab ", // trailing space
                "01936b2e-1e4f-7a3c-8c5d-0123456789ab\n", // trailing newline
                " 1936b2e-1e4f-7a3c-8c5d-0123456789ab", // space, right length
                "01936b2e-1e4f-7a3c-8c5d-0123456789\tb", // tab, right length
                "01936b2e-1e4f-4a3c-8c5d-0123456789ab", // version 4
                "01936b2e-1e4f-8a3c-8c5d-0123456789ab", // version 8
                "01936b2e-1e4f-0a3c-8c5d-0123456789ab", // version 0
                "01936b2e-1e4f-7a3c-0c5d-0123456789ab", // variant 0xx (NCS)
                "01936b2e-1e4f-7a3c-7c5d-0123456789ab", // variant 0xx
                "01936b2e-1e4f-7a3c-cc5d-0123456789ab", // variant 110 (Microsoft)
                "01936b2e-1e4f-7a3c-fc5d-0123456789ab", // variant 111
                "00000000-0000-0000-0000-000000000000", // nil
                "ffffffff-ffff-ffff-ffff-ffffffffffff", // max
            })
    void rejectsMalformedText(String text) {
        var e = assertThrows(InvalidDocumentIdException.class, () -> DocumentIds.parse(text));
        assertTrue(e.getMessage().startsWith("invalid document id"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "message stays on one line");
    }

    @Test
    void rejectionSaysWhatIsWrong() {
        assertTrue(rejection("01936b2e-1e4f-4a3c-8c5d-0123456789ab").contains("UUIDv7"));
        assertTrue(rejection("01936b2e-1e4f-7a3c-cc5d-0123456789ab").contains("variant"));
        assertTrue(rejection("abc").contains("36 characters"));
        String longText = "x".repeat(10_000);
        assertTrue(rejection(longText).length() < 200, "long input is shortened");
    }

    private static String rejection(String text) {
        return assertThrows(InvalidDocumentIdException.class, () -> DocumentIds.parse(text))
                .getMessage();
    }

    @Test
    void invalidIdIsAnIllegalArgument() {
        assertTrue(IllegalArgumentException.class.isAssignableFrom(InvalidDocumentIdException.class));
    }

    @Test
    void nullIsAProgrammingError() {
        assertThrows(NullPointerException.class, () -> DocumentIds.parse(null));
    }

    @Test
    void signedUuidOrderDisagreesButCompareDoesNot() {
        UUID small = DocumentIds.parse("01936b2e-1e4f-7a3c-8c5d-0123456789ab");
        UUID large = DocumentIds.parse("81936b2e-1e4f-7a3c-8c5d-0123456789ab"); // msb sign bit set
        assertTrue(small.compareTo(large) > 0, "java.util.UUID compares signed");
        assertTrue(DocumentIds.compare(small, large) < 0);
        assertTrue(DocumentIds.ORDER.compare(large, small) > 0);
        assertEquals(0, DocumentIds.compare(small, UUID.fromString(DocumentIds.format(small))));
    }

    @Property
    void compareAgreesWithCanonicalTextOrder(@ForAll("pairs") UUID[] pair) {
        int byBits = Integer.signum(DocumentIds.compare(pair[0], pair[1]));
        int byText = Integer.signum(DocumentIds.format(pair[0]).compareTo(DocumentIds.format(pair[1])));
        assertEquals(byText, byBits);
        assertEquals(-byBits, Integer.signum(DocumentIds.compare(pair[1], pair[0])));
    }

    @Property
    void formatThenParseRoundTrips(@ForAll("version7") UUID id) {
        String text = DocumentIds.format(id);
        assertEquals(36, text.length());
        assertEquals(text.toLowerCase(Locale.ROOT), text);
        assertEquals(id, DocumentIds.parse(text));
        assertEquals(id, DocumentIds.parse(text.toUpperCase(Locale.ROOT)));
    }

    @Property
    void fieldsRoundTripThroughCompose(
            @ForAll("millis") long millis,
            @ForAll("nodes") int node,
            @ForAll("counters") long counter,
            @ForAll long tail) {
        UUID id = DocumentIds.compose(millis, node, counter, tail);
        assertTrue(DocumentIds.isVersion7(id));
        assertEquals(millis, DocumentIds.timestampMillisOf(id));
        assertEquals(node, DocumentIds.nodeOf(id));
        assertEquals(counter, DocumentIds.counterOf(id));
    }

    @Provide
    Arbitrary<UUID[]> pairs() {
        Arbitrary<Long> longs = Arbitraries.oneOf(
                Arbitraries.longs(), Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L, Long.MIN_VALUE + 1));
        Arbitrary<UUID> uuids = Combinators.combine(longs, longs).as(UUID::new);
        // Half the pairs share the most significant half, so the second comparison is exercised.
        Arbitrary<UUID[]> independent = Combinators.combine(uuids, uuids).as((a, b) -> new UUID[] {a, b});
        Arbitrary<UUID[]> sharedMsb = Combinators.combine(uuids, longs).as((a, lsb) ->
                new UUID[] {a, new UUID(a.getMostSignificantBits(), lsb)});
        return Arbitraries.oneOf(independent, sharedMsb);
    }

    @Provide
    Arbitrary<UUID> version7() {
        return Combinators.combine(millis(), nodes(), counters(), Arbitraries.longs())
                .as(DocumentIds::compose);
    }

    @Provide
    Arbitrary<Long> millis() {
        return Arbitraries.longs().between(0, DocumentIdGenerator.MAX_TIMESTAMP);
    }

    @Provide
    Arbitrary<Integer> nodes() {
        return Arbitraries.integers().between(0, DocumentIdGenerator.MAX_NODE_ID);
    }

    @Provide
    Arbitrary<Long> counters() {
        return Arbitraries.longs().between(0, DocumentIdGenerator.COUNTER_MAX);
    }
}
