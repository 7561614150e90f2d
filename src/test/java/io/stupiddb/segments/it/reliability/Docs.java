package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.testing.TestDocuments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test documents whose whole content follows from one number, the client's {@code uid}: any stored
 * document can be checked byte for byte (as a JSON tree) against what was sent, and a {@code uid}
 * seen twice in a scan is a duplicate.
 *
 * <p>Kept apart from {@link TestDocuments} on purpose: those are realistic ~1 KB log events from one
 * seeded stream (document n depends on documents 0..n-1), sized for compression and engine tests;
 * these are small, independent of each other (a checker rebuilds any one from its uid alone, in
 * any order, after any crash), carry no timestamp (the service stamps ingest time), and put
 * non-ASCII, quotes and control characters in values to exercise the HTTP codecs end to end.
 */
final class Docs {
    private static final String[] LEVELS = {"debug", "info", "warn", "error"};
    private static final String[] WORDS = {
        "checkout",
        "payment",
        "söme ütf-8",
        "日本語",
        "emoji 🎉",
        "quote \" and \\",
        "tab\tnew\nline",
        "segment",
        "journal",
        "mmap"
    };

    private Docs() {}

    /** The document with this uid (no timestamp field: the store stamps the ingest time). */
    static ObjectNode content(long uid) {
        SplittableRandom random = new SplittableRandom(uid * 0x9E3779B97F4A7C15L + 17);
        ObjectNode doc = Api.object();
        doc.put("uid", uid);
        doc.put("level", LEVELS[random.nextInt(LEVELS.length)]);
        doc.put("service", WORDS[random.nextInt(WORDS.length)]);
        ObjectNode http = doc.putObject("http");
        http.put("status", 200 + random.nextInt(400));
        http.put("latency", random.nextInt(100_000) / 8.0);
        ArrayNode tags = doc.putArray("tags");
        for (int i = random.nextInt(4); i > 0; i--) {
            tags.add(WORDS[random.nextInt(WORDS.length)]);
        }
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        doc.put("message", text.toString());
        doc.put("big", random.nextLong());
        doc.put("flag", random.nextBoolean());
        doc.putNull("nothing");
        return doc;
    }

    /** The content as the service returns it: parsed from JSON text, so number node types compare equal. */
    static JsonNode expected(long uid) {
        try {
            return Api.JSON.readTree(Api.JSON.writeValueAsBytes(content(uid)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a returned {@code source} is exactly document {@code uid}. */
    static boolean matches(JsonNode source, long uid) {
        return expected(uid).equals(source);
    }

    static byte[] json(long uid) {
        return bytes(content(uid));
    }

    static byte[] jsonArray(List<Long> uids) {
        ArrayNode array = Api.JSON.createArrayNode();
        uids.forEach(uid -> array.add(content(uid)));
        return bytes(array);
    }

    static byte[] ndjson(List<Long> uids) {
        StringBuilder lines = new StringBuilder();
        for (long uid : uids) {
            lines.append(new String(json(uid), StandardCharsets.UTF_8)).append('\n');
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] msgpackArray(List<Long> uids) {
        ArrayNode array = Api.JSON.createArrayNode();
        uids.forEach(uid -> array.add(content(uid)));
        return TestDocuments.msgpack(array);
    }

    static byte[] msgpack(long uid) {
        return TestDocuments.msgpack(content(uid));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Api.JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
