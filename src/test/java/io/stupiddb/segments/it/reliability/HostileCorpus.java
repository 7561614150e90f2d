package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The hostile-input corpus (issue item 4): request bodies for every body type, generated here
 * (deterministically, plus seeded random bytes), and the hostile paths and query strings of
 * {@code src/test/resources/reliability/hostile/requests.txt}. Every case is invalid: the service
 * must answer 4xx with {@code application/problem+json} and store nothing.
 */
final class HostileCorpus {
    static final String DOCUMENTS = "/api/v1/documents";
    static final String SEARCH = "/api/v1/documents/search";
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";
    static final String MSGPACK = "application/msgpack";

    /** One request. {@code body} null: no body. */
    record Case(String name, String method, String path, String contentType, byte[] body) {
        @Override
        public String toString() {
            return name + " (" + method + " " + (path.length() > 120 ? path.substring(0, 120) + "…" : path)
                    + (body == null ? "" : ", " + contentType + ", " + body.length + " bytes") + ")";
        }
    }

    private final List<Case> cases = new ArrayList<>();

    private HostileCorpus() {}

    /** Every case; {@code randomPerType} random-byte bodies per body type. */
    static List<Case> all(SplittableRandom random, int randomPerType) throws IOException {
        HostileCorpus corpus = new HostileCorpus();
        corpus.json();
        corpus.ndjson();
        corpus.msgpack();
        corpus.search();
        corpus.contentTypes();
        corpus.giantQueries();
        corpus.resourceFile();
        corpus.random(random, randomPerType);
        return corpus.cases;
    }

    private void post(String name, String contentType, byte[] body) {
        cases.add(new Case(name, "POST", DOCUMENTS, contentType, body));
    }

    private void post(String name, String contentType, String body) {
        post(name, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static String repeat(String s, int n) {
        return s.repeat(n);
    }

    private void json() {
        post("json: empty body", JSON, "");
        post("json: whitespace only", JSON, " \n\t\r ");
        post("json: BOM only", JSON, hex("EFBBBF"));
        post("json: null", JSON, "null");
        post("json: a string", JSON, "\"hello\"");
        post("json: a number", JSON, "42");
        post("json: empty array", JSON, "[]");
        post("json: array of numbers", JSON, "[1,2,3]");
        post("json: batch, bad last element", JSON, "[{\"a\":1},{\"a\":2},3]");
        post("json: batch, truncated last element", JSON, "[{\"a\":1},{\"a\":2},{\"a\":");
        post("json: two objects", JSON, "{\"a\":1} {\"b\":2}");
        post("json: truncated", JSON, "{\"a\":");
        post("json: unclosed string", JSON, "{\"a\":\"abc");
        post("json: single quotes", JSON, "{'a':1}");
        post("json: comment", JSON, "{\"a\":1 /* x */}");
        post("json: trailing comma", JSON, "{\"a\":1,}");
        post("json: duplicate key", JSON, "{\"a\":1,\"a\":2}");
        post("json: arrays nested 10,000 deep", JSON, "{\"a\":" + repeat("[", 10_000) + repeat("]", 10_000) + "}");
        post("json: objects nested 10,000 deep", JSON, repeat("{\"a\":", 10_000) + "1" + repeat("}", 10_000));
        post("json: unclosed 10,000 deep", JSON, repeat("[", 10_000));
        post("json: arrays nested 100,000 deep", JSON, "{\"a\":" + repeat("[", 100_000) + repeat("]", 100_000) + "}");
        post("json: objects nested 65 deep", JSON, repeat("{\"a\":", 65) + "1" + repeat("}", 65));
        post("json: string of 1 MiB + 1", JSON, "{\"s\":\"" + "x".repeat((1 << 20) + 1) + "\"}");
        post("json: key of 2 MiB", JSON, "{\"" + "k".repeat(2 << 20) + "\":1}");
        post("json: 17 MiB body (over max-request-size)", JSON, "{\"s\":\"" + "y".repeat(17 << 20) + "\"}");
        post("json: number 1e400", JSON, "{\"n\":1e400}");
        post("json: number -1e400", JSON, "{\"n\":-1e400}");
        post("json: integer 2^64", JSON, "{\"n\":18446744073709551616}");
        post("json: integer -2^63-1", JSON, "{\"n\":-9223372036854775809}");
        post("json: integer of 5,000 digits", JSON, "{\"n\":" + "9".repeat(5_000) + "}");
        post("json: fraction of 100,000 digits", JSON, "{\"n\":0." + "1".repeat(100_000) + "}");
        post("json: exponent overflow", JSON, "{\"n\":1e99999999999999999999}");
        post("json: NaN", JSON, "{\"n\":NaN}");
        post("json: Infinity", JSON, "{\"n\":Infinity}");
        post("json: leading zeros", JSON, "{\"n\":00012}");
        post("json: invalid UTF-8 overlong '/' (C0 AF)", JSON, concat(utf8("{\"a\":\""), hex("C0AF"), utf8("\"}")));
        post("json: invalid UTF-8 surrogate (ED A0 80)", JSON, concat(utf8("{\"a\":\""), hex("EDA080"), utf8("\"}")));
        post(
                "json: invalid UTF-8 above U+10FFFF (F5 80 80 80)",
                JSON,
                concat(utf8("{\"a\":\""), hex("F5808080"), utf8("\"}")));
        post("json: invalid UTF-8 truncated (E2 82)", JSON, concat(utf8("{\"a\":\""), hex("E282"), utf8("\"}")));
        post("json: invalid UTF-8 lone continuation (80)", JSON, concat(utf8("{\"a\":\""), hex("80"), utf8("\"}")));
        post("json: invalid UTF-8 in a key", JSON, concat(utf8("{\""), hex("FF"), utf8("\":1}")));
        post("json: invalid UTF-8 outside strings", JSON, concat(utf8("{\"a\":1"), hex("FE"), utf8("}")));
        post("json: lone surrogate escape", JSON, "{\"a\":\"\\uD800\"}");
        post("json: bad escape", JSON, "{\"a\":\"\\x41\"}");
        post("json: control character in string", JSON, concat(utf8("{\"a\":\""), hex("01"), utf8("\"}")));
        post("json: NUL bytes", JSON, hex("00000000"));
        post("json: UTF-16 body", JSON, "{\"a\":1}".getBytes(StandardCharsets.UTF_16));
        // Timestamps (SPEC §1: older than retention or beyond the clock skew is 422; not a timestamp 400).
        post("json: timestamp Long.MAX_VALUE", JSON, "{\"timestamp\":9223372036854775807}");
        post("json: timestamp Long.MIN_VALUE", JSON, "{\"timestamp\":-9223372036854775808}");
        post("json: timestamp 2^64-1", JSON, "{\"timestamp\":18446744073709551615}");
        post("json: timestamp 2^64", JSON, "{\"timestamp\":18446744073709551616}");
        post("json: timestamp 0 (1970)", JSON, "{\"timestamp\":0}");
        post("json: timestamp year 9999", JSON, "{\"timestamp\":\"9999-12-31T23:59:59Z\"}");
        post("json: timestamp year +275760", JSON, "{\"timestamp\":\"+275760-09-13T00:00:00Z\"}");
        post("json: timestamp year -1000000", JSON, "{\"timestamp\":\"-1000000-01-01T00:00:00Z\"}");
        post("json: timestamp impossible date", JSON, "{\"timestamp\":\"2026-13-45T99:99:99Z\"}");
        post("json: timestamp leap second", JSON, "{\"timestamp\":\"2026-12-31T23:59:60Z\"}");
        post("json: timestamp float", JSON, "{\"timestamp\":1.7e12}");
        post("json: timestamp 1e300", JSON, "{\"timestamp\":1e300}");
        post("json: timestamp null", JSON, "{\"timestamp\":null}");
        post("json: timestamp object", JSON, "{\"timestamp\":{\"$date\":1}}");
        post("json: timestamp numeric string", JSON, "{\"timestamp\":\"1795600800000\"}");
        post("json: timestamp of 100,000 characters", JSON, "{\"timestamp\":\"" + "2".repeat(100_000) + "\"}");
        post("json: batch with one timestamp in 3000", JSON, "[{\"a\":1},{\"timestamp\":\"3000-01-01T00:00:00Z\"}]");
    }

    private void ndjson() {
        post("ndjson: empty body", NDJSON, "");
        post("ndjson: blank lines only", NDJSON, "\n \n\t\r\n");
        post("ndjson: bad last line (truncated)", NDJSON, "{\"a\":1}\n{\"a\":2}\n{\"a\":");
        post("ndjson: bad last line (not an object)", NDJSON, "{\"a\":1}\n{\"a\":2}\n[1]");
        post("ndjson: bad last line (garbage, no newline)", NDJSON, "{\"a\":1}\n{\"a\":2}\nxyz");
        post("ndjson: bad last line (trailing data)", NDJSON, "{\"a\":1}\n{\"a\":2} {\"a\":3}\n");
        post("ndjson: two objects on one line", NDJSON, "{\"a\":1}{\"a\":2}\n");
        post("ndjson: pretty-printed object", NDJSON, "{\n\"a\":1\n}\n");
        post(
                "ndjson: invalid UTF-8 on line 3",
                NDJSON,
                concat(utf8("{\"a\":1}\n{\"a\":2}\n{\"a\":\""), hex("C0AF"), utf8("\"}\n")));
        post(
                "ndjson: 10,000 deep on line 2",
                NDJSON,
                "{\"a\":1}\n{\"a\":" + repeat("[", 10_000) + repeat("]", 10_000) + "}\n");
        post(
                "ndjson: 1 MiB + 1 string on the last line",
                NDJSON,
                "{\"a\":1}\n{\"s\":\"" + "x".repeat((1 << 20) + 1) + "\"}");
        post("ndjson: 1e400 on line 2", NDJSON, "{\"a\":1}\n{\"n\":1e400}\n");
        post(
                "ndjson: timestamp out of range on the last line",
                NDJSON,
                "{\"a\":1}\n{\"timestamp\":9223372036854775807}\n");
        post("ndjson: NUL line", NDJSON, concat(utf8("{\"a\":1}\n"), hex("00"), utf8("\n")));
        post("ndjson: 50,000 lines, the last one bad", NDJSON, "{\"a\":1}\n".repeat(50_000) + "{\"a\":}\n");
    }

    private void msgpack() {
        post("msgpack: empty body", MSGPACK, new byte[0]);
        post("msgpack: nil", MSGPACK, hex("C0"));
        post("msgpack: an int", MSGPACK, hex("01"));
        post("msgpack: a string", MSGPACK, hex("A3616263"));
        post("msgpack: reserved byte C1", MSGPACK, hex("C1"));
        post("msgpack: empty array", MSGPACK, hex("90"));
        post("msgpack: array with a non-map last", MSGPACK, hex("93 80 80 01"));
        post("msgpack: two maps (data after the value)", MSGPACK, hex("81A16101 81A16102"));
        post("msgpack: truncated map", MSGPACK, hex("82A16101"));
        post("msgpack: str32 claiming 4 GiB - 1", MSGPACK, hex("81A161 DBFFFFFFFF 6162"));
        post("msgpack: str32 claiming 2 GiB", MSGPACK, hex("81A161 DB80000000 6162636465"));
        post(
                "msgpack: str32 claiming 1 MiB + 1 (all sent)",
                MSGPACK,
                concat(hex("81A161 DB00100001"), "z".repeat((1 << 20) + 1).getBytes(StandardCharsets.US_ASCII)));
        post("msgpack: map32 claiming 4 G entries", MSGPACK, hex("DFFFFFFFFF A16101"));
        post("msgpack: array32 claiming 4 G elements", MSGPACK, hex("DDFFFFFFFF 80"));
        post("msgpack: map value array32 claiming 4 G elements", MSGPACK, hex("81A161 DDFFFFFFFF 01"));
        post("msgpack: bin8 value", MSGPACK, hex("81A161 C403010203"));
        post("msgpack: bin32 claiming 4 GiB - 1", MSGPACK, hex("81A161 C6FFFFFFFF 00"));
        post("msgpack: fixext1", MSGPACK, hex("81A161 D40501"));
        post("msgpack: fixext16", MSGPACK, concat(hex("81A161 D805"), new byte[16]));
        post("msgpack: ext8 type 127", MSGPACK, hex("81A161 C7037F010203"));
        post("msgpack: ext32 claiming 4 GiB - 1", MSGPACK, hex("81A161 C9FFFFFFFF01 00"));
        post("msgpack: timestamp ext -1 (32 bit)", MSGPACK, hex("81A161 D6FF00000000"));
        post(
                "msgpack: timestamp ext -1 (96 bit, absurd seconds)",
                MSGPACK,
                hex("81A161 C70CFF 00000000 7FFFFFFFFFFFFFFF"));
        post("msgpack: ext as map key", MSGPACK, hex("81 D40501 01"));
        post("msgpack: nil key", MSGPACK, hex("81C001"));
        post("msgpack: int key", MSGPACK, hex("810101"));
        post("msgpack: map key", MSGPACK, hex("81800101"));
        post("msgpack: duplicate key", MSGPACK, hex("82A16101A16102"));
        post("msgpack: float64 NaN", MSGPACK, hex("81A161 CB7FF8000000000000"));
        post("msgpack: float64 +Infinity", MSGPACK, hex("81A161 CB7FF0000000000000"));
        post("msgpack: float32 NaN", MSGPACK, hex("81A161 CA7FC00000"));
        post("msgpack: invalid UTF-8 value (C0 AF)", MSGPACK, hex("81A161 A2C0AF"));
        post("msgpack: invalid UTF-8 key (ED A0 80)", MSGPACK, hex("81A3EDA080 01"));
        post(
                "msgpack: arrays nested 10,000 deep",
                MSGPACK,
                concat(hex("81A161"), repeatBytes((byte) 0x91, 10_000), hex("80")));
        post("msgpack: maps nested 10,000 deep", MSGPACK, concat(repeatBytes(hex("81A161"), 10_000), hex("01")));
        post("msgpack: arrays nested 65 deep", MSGPACK, concat(hex("81A161"), repeatBytes((byte) 0x91, 65), hex("01")));
        post(
                "msgpack: timestamp Long.MAX_VALUE",
                MSGPACK,
                concat(hex("81"), hex("A9"), utf8("timestamp"), hex("CF7FFFFFFFFFFFFFFF")));
        post(
                "msgpack: timestamp uint64 max",
                MSGPACK,
                concat(hex("81"), hex("A9"), utf8("timestamp"), hex("CFFFFFFFFFFFFFFFFF")));
        post(
                "msgpack: timestamp -2^63",
                MSGPACK,
                concat(hex("81"), hex("A9"), utf8("timestamp"), hex("D38000000000000000")));
        post("msgpack: batch with a truncated last map", MSGPACK, hex("92 81A16101 82A16101"));
        post("msgpack: JSON text sent as msgpack", MSGPACK, "{\"a\":1}");
        post("msgpack: x-msgpack alias, garbage", "application/x-msgpack", hex("C1C1C1"));
    }

    private static byte[] repeatBytes(byte b, int n) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, b);
        return out;
    }

    private static byte[] repeatBytes(byte[] unit, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(unit.length * n);
        for (int i = 0; i < n; i++) {
            out.writeBytes(unit);
        }
        return out.toByteArray();
    }

    private void search(String name, String body) {
        cases.add(new Case("search: " + name, "POST", SEARCH, JSON, utf8(body)));
    }

    private void search() {
        StringBuilder or = new StringBuilder("{\"filter\":{\"$or\":[");
        for (int i = 0; i < 60_000; i++) {
            or.append(i == 0 ? "" : ",")
                    .append("{\"f")
                    .append(i)
                    .append("\":")
                    .append(i)
                    .append('}');
        }
        or.append("]}}");
        search("giant filter ($or of 60,000 clauses, ~900 KB)", or.toString());
        StringBuilder in = new StringBuilder("{\"filter\":{\"a\":{\"$in\":[");
        for (int i = 0; i < 200_000; i++) {
            in.append(i == 0 ? "" : ",").append(i);
        }
        in.append("]}}}");
        search("giant filter ($in of 200,000 values, ~1.3 MB, over the search body limit)", in.toString());
        search(
                "filter nested 10,000 deep ($not)",
                "{\"filter\":{\"a\":" + repeat("{\"$not\":", 10_000) + "1" + repeat("}", 10_000) + "}}");
        search(
                "filter nested 10,000 deep ($and)",
                "{\"filter\":" + repeat("{\"$and\":[", 10_000) + "{}" + repeat("]}", 10_000) + "}");
        search("filter with a 1,000-segment path", "{\"filter\":{\"" + "a.".repeat(1000) + "b\":1}}");
        search("unknown operator", "{\"filter\":{\"a\":{\"$regex\":\"(a+)+$\"}}}");
        search("$where", "{\"filter\":{\"$where\":\"while(true){}\"}}");
        search("limit -1", "{\"limit\":-1}");
        search("limit 0", "{\"limit\":0}");
        search("limit 1e20", "{\"limit\":1e20}");
        search("limit 2^63", "{\"limit\":9223372036854775808}");
        search("limit object", "{\"limit\":{}}");
        search("cursor garbage", "{\"cursor\":\"!!!\"}");
        search("cursor of 100,000 characters", "{\"cursor\":\"" + "A".repeat(100_000) + "\"}");
        search("from overflow", "{\"from\":\"99999999999999999999999\"}");
        search("from after to", "{\"from\":\"2027-01-01T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}");
        search("to year +275760", "{\"to\":\"+275760-09-13T00:00:00Z\"}");
        search("unknown field", "{\"fliter\":{}}");
        search("body is an array", "[]");
        search("body is a string", "\"x\"");
        search("body truncated", "{\"filter\":");
        search("body nested 10,000 deep", repeat("[", 10_000) + repeat("]", 10_000));
        cases.add(new Case(
                "search: invalid UTF-8 (FF)",
                "POST",
                SEARCH,
                JSON,
                concat(utf8("{\"filter\":{\"a\":\""), hex("FF"), utf8("\"}}"))));
        cases.add(new Case("search: msgpack body", "POST", SEARCH, MSGPACK, hex("80")));
    }

    private void contentTypes() {
        post("content type text/plain", "text/plain", "{\"a\":1}");
        post("content type none", null, "{\"a\":1}");
        post("content type application/xml", "application/xml", "<a>1</a>");
        post("content type multipart", "multipart/form-data; boundary=x", "--x\r\n\r\n{\"a\":1}\r\n--x--");
        post("content type garbage", "%%%/;;;", "{\"a\":1}");
        post("content type of 4,000 characters", "application/" + "j".repeat(4000), "{\"a\":1}");
    }

    private void giantQueries() {
        // Filters over the parser's limits that still fit the HTTP layer's 4 KiB request line once URL-encoded.
        cases.add(new Case(
                "query: filter nested 40 deep ($not)",
                "GET",
                DOCUMENTS + "?filter=" + Api.enc(repeat("{\"$not\":", 40) + "{}" + repeat("}", 40)),
                null,
                null));
        cases.add(new Case(
                "query: filter path of 40 segments",
                "GET",
                DOCUMENTS + "?filter=" + Api.enc("{\"" + "a.".repeat(40) + "b\":1}"),
                null,
                null));
        StringBuilder or = new StringBuilder("{\"$and\":[");
        for (int i = 0; i < 180; i++) {
            or.append(i == 0 ? "" : ",").append("{}");
        }
        cases.add(new Case(
                "query: filter truncated after 180 clauses",
                "GET",
                DOCUMENTS + "?filter=" + Api.enc(or.toString()),
                null,
                null));
    }

    /** Invalid UTF-8 in a search body: checked separately, see the known bug. */
    static List<Case> invalidUtf8Searches() {
        List<Case> cases = new ArrayList<>();
        for (String bad : List.of("C0AF", "EDA080", "F4908080", "E282", "80")) {
            cases.add(new Case(
                    "search: invalid UTF-8 (" + bad + ") in a filter value",
                    "POST",
                    SEARCH,
                    JSON,
                    concat(utf8("{\"filter\":{\"a\":\""), hex(bad), utf8("\"}}"))));
        }
        cases.add(new Case(
                "search: lone surrogate escape in a filter value",
                "POST",
                SEARCH,
                JSON,
                utf8("{\"filter\":{\"a\":\"\\uD800\"}}")));
        cases.add(new Case(
                "query: invalid UTF-8 (C0 AF) percent-encoded in a filter",
                "GET",
                DOCUMENTS + "?filter=%7B%22a%22%3A%22%C0%AF%22%7D",
                null,
                null));
        cases.add(new Case(
                "query: invalid UTF-8 (FF) percent-encoded in a filter",
                "GET",
                DOCUMENTS + "?filter=%7B%22a%22%3A%22%FF%22%7D",
                null,
                null));
        return cases;
    }

    /** Requests the HTTP layer refuses before the application sees them: checked separately, see the known bug. */
    static List<Case> refusedByTheHttpLayer() {
        return List.of(
                giantUrlFilter(),
                new Case(
                        "query: malformed percent-escape in a filter",
                        "GET",
                        DOCUMENTS + "?filter=%7B%22a%22%3A%22%ZZ%22%7D",
                        null,
                        null));
    }

    /** A URL beyond the API's request-URI limit (64 KiB; api.HttpLayerProblems answers 414 problem+json). */
    static Case giantUrlFilter() {
        StringBuilder or = new StringBuilder("{\"$or\":[");
        for (int i = 0; i < 5_000; i++) {
            or.append(i == 0 ? "" : ",").append("{\"a\":").append(i).append('}');
        }
        or.append("]}");
        return new Case(
                "query: filter $or of 5,000 clauses in the URL (~60 KB)",
                "GET",
                DOCUMENTS + "?filter=" + Api.enc(or.toString()),
                null,
                null);
    }

    private void resourceFile() throws IOException {
        try (InputStream in = HostileCorpus.class.getResourceAsStream("/reliability/hostile/requests.txt")) {
            if (in == null) {
                throw new IllegalStateException("reliability/hostile/requests.txt is missing");
            }
            int line = 0;
            for (String text : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line++;
                if (text.isBlank() || text.startsWith("#")) {
                    continue;
                }
                String[] parts = text.strip().split(" ", 2);
                cases.add(new Case("requests.txt:" + line, parts[0], parts[1], null, null));
            }
        }
    }

    /** Random bytes as each body type; bodies that happen to be valid documents are skipped. */
    private void random(SplittableRandom random, int perType) {
        for (String type : List.of(JSON, NDJSON, MSGPACK)) {
            int made = 0;
            while (made < perType) {
                byte[] body = new byte[random.nextInt(4096)];
                for (int i = 0; i < body.length; i++) {
                    body[i] = (byte) random.nextInt(256);
                }
                if (type.equals(JSON) && random.nextBoolean() && body.length > 2) {
                    body[0] = '{'; // get past the first byte more often
                }
                if (type.equals(MSGPACK) && body.length > 0 && random.nextBoolean()) {
                    body[0] = (byte) (0x81 + random.nextInt(15)); // a fixmap header: the decoder goes deeper
                }
                if (couldBeValid(type, body)) {
                    continue;
                }
                post("random " + type + " #" + made, type, body);
                made++;
            }
        }
    }

    /** Whether a random body might be a valid document (then it is not hostile input, and skipped). */
    private static boolean couldBeValid(String type, byte[] body) {
        try {
            if (type.equals(MSGPACK)) {
                JsonNode node = Api.MSGPACK.readTree(body);
                return node != null && (node.isObject() || node.isArray());
            }
            String text = new String(body, StandardCharsets.UTF_8);
            for (String line : type.equals(NDJSON) ? text.split("\n") : new String[] {text}) {
                if (!line.isBlank() && Api.JSON.readTree(line) != null) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (StackOverflowError e) {
            return false;
        }
    }
}
