package io.stupiddb.segments.api;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URISyntaxException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HttpLayerProblems#isPlainOriginForm}: the shortcut that skips {@code new URI} must never
 * let through a request URI that {@code new URI} refuses (the 400 problem would be lost), nor one
 * it would read as having a scheme or an authority.
 */
class PlainOriginFormTest {

    @Test
    void theApisUsualUrisTakeTheShortcut() {
        assertTrue(HttpLayerProblems.isPlainOriginForm("/api/v1/documents/019386f1-7c2e-7000-8000-000000000001"));
        assertTrue(HttpLayerProblems.isPlainOriginForm(
                "/api/v1/documents?from=1764511350881&to=1764514950881&filter=%7B%22level%22%3A%22error%22%7D"));
        assertTrue(HttpLayerProblems.isPlainOriginForm("/"));
        assertTrue(HttpLayerProblems.isPlainOriginForm("/q/metrics?name=a:b@c;d=e+f$g,h!i~j*k'l(m)n"));
    }

    @Test
    void everythingElseIsLeftToTheParser() {
        for (String uri : new String[] {
            "",
            "api",
            "*",
            "//host/path",
            "/a b",
            "/a#b",
            "/%ZZ",
            "/%4",
            "/%",
            "/a%2",
            "/[::1]",
            "/a\"b",
            "/a{b}",
            "/a|b",
            "/a\\b",
            "/a^b",
            "/a`b",
            "/a<b>",
            "/\u00fc",
            "/a\u0000b",
            "/a\tb"
        }) {
            assertFalse(HttpLayerProblems.isPlainOriginForm(uri), uri);
        }
    }

    @Property(tries = 3000)
    void whatTheShortcutAcceptsTheParserAcceptsAsAPathAndQuery(@ForAll("requestTargets") String uri)
            throws URISyntaxException {
        boolean shortcut = HttpLayerProblems.isPlainOriginForm(uri);
        Statistics.label("shortcut").collect(shortcut);
        // both answers drawn often enough for the property to mean something
        Statistics.label("shortcut").coverage(c -> {
            c.check(true).percentage(p -> p > 10);
            c.check(false).percentage(p -> p > 10);
        });
        if (shortcut) {
            URI parsed = new URI(uri);
            assertNull(parsed.getScheme(), uri);
            assertNull(parsed.getRawAuthority(), uri);
            String query = parsed.getRawQuery();
            assertEquals(uri, parsed.getRawPath() + (query == null ? "" : "?" + query), uri);
        }
    }

    /** Mostly characters the shortcut accepts, with some it must not, so that both sides are drawn. */
    @Provide
    Arbitrary<String> requestTargets() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(
                        40,
                        Arbitraries.strings()
                                .withChars("abzAZ09-_.!~*'();/?:@&=+$,")
                                .ofMinLength(1)
                                .ofMaxLength(4)),
                Tuple.of(
                        6,
                        Arbitraries.strings()
                                .withChars("%0123456789abcdefABCDEFgG")
                                .ofMinLength(1)
                                .ofMaxLength(3)),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                "%",
                                "#", " ", "[", "]", "\"", "{", "|", "\\", "^", "`", "<", "\u00e9", "\u0001", "//")));
        Arbitrary<String> start = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just("/")), Tuple.of(1, Arbitraries.of("", "//", "a/", "a:")));
        return Combinators.combine(start, piece.list().ofMaxSize(10).map(parts -> String.join("", parts)))
                .as((first, rest) -> first + rest);
    }
}
