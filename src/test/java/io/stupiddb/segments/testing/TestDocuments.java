package io.stupiddb.segments.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.segment.NewDocument;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Deterministic log-like documents (~1 KB, realistic enough for zstd dictionaries) and strictly
 * increasing UUIDv7-shaped ids from one seeded stream, for engine and store tests; and the shared
 * JSON and MessagePack mappers of the tests with their unchecked {@link #msgpack(Object)} and
 * {@link #decode(byte[])}. Not thread-safe (one instance per generating thread).
 */
public final class TestDocuments {
    public static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] LEVELS = {"debug", "info", "info", "info", "warn", "error"};
    private static final String[] SERVICES = {"checkout", "payments", "search", "auth", "catalog", "gateway"};
    private static final String[] PATHS = {"/api/v1/orders", "/api/v1/users/me", "/search", "/login", "/cart/items"};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
        "curl/8.11.0",
        "okhttp/4.12.0"
    };

    private final SplittableRandom random;
    private long counter;
    private long millis;

    public TestDocuments(long seed) {
        this.random = new SplittableRandom(seed);
        this.millis = 1_764_000_000_000L;
    }

    /** The next id: strictly increasing, UUIDv7-shaped. */
    public UUID nextId() {
        counter++;
        millis += random.nextInt(3);
        if ((counter & 0xFFF) == 0) {
            millis++; // the 12 bits of counter in msb wrap: without a later millisecond the id would not increase
        }
        long msb = (millis << 16) | 0x7000L | (counter & 0xFFF);
        long lsb = 0x8000_0000_0000_0000L | counter;
        return new UUID(msb, lsb);
    }

    /** A ~1 KB log event as a JSON tree. */
    public ObjectNode logEvent(long timestamp) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("timestamp", timestamp);
        doc.put("level", LEVELS[random.nextInt(LEVELS.length)]);
        doc.put("service", SERVICES[random.nextInt(SERVICES.length)]);
        doc.put("host", "node-" + random.nextInt(40) + ".eu-west-1.internal");
        String path = PATHS[random.nextInt(PATHS.length)];
        int status = random.nextInt(10) == 0 ? 500 + random.nextInt(4) : 200 + random.nextInt(5);
        doc.put(
                "message",
                "GET " + path + " completed with status " + status + " after " + random.nextInt(2000)
                        + " ms for tenant t-" + random.nextInt(500));
        ObjectNode http = doc.putObject("http");
        http.put("method", random.nextBoolean() ? "GET" : "POST");
        http.put("path", path);
        http.put("status", status);
        http.put("user_agent", AGENTS[random.nextInt(AGENTS.length)]);
        doc.put("latency_ms", random.nextDouble() * 2000);
        doc.put("trace_id", Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
        doc.put("span_id", Long.toHexString(random.nextLong()));
        doc.put("user_id", "u-" + random.nextInt(1_000_000));
        ObjectNode k8s = doc.putObject("kubernetes");
        k8s.put("namespace", "prod");
        k8s.put("pod", SERVICES[random.nextInt(SERVICES.length)] + "-" + Integer.toHexString(random.nextInt()));
        k8s.put("container", "app");
        ObjectNode labels = k8s.putObject("labels");
        labels.put("app.kubernetes.io/name", "shop");
        labels.put("app.kubernetes.io/version", "1." + random.nextInt(30) + ".0");
        doc.putArray("tags").add("web").add(random.nextBoolean() ? "canary" : "stable");
        StringBuilder stack = new StringBuilder();
        if (status >= 500) {
            for (int i = 0; i < 6; i++) {
                stack.append("at com.example.shop.Service")
                        .append(random.nextInt(20))
                        .append(".handle(Service.java:")
                        .append(random.nextInt(400))
                        .append(")\n");
            }
        }
        doc.put("stack", stack.toString());
        return doc;
    }

    public static byte[] msgpack(Object tree) {
        try {
            return MSGPACK.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> decode(byte[] source) {
        try {
            return MSGPACK.readValue(source, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> decode(ByteBuffer source) {
        byte[] bytes = new byte[source.remaining()];
        source.duplicate().get(bytes);
        return decode(bytes);
    }

    /** {@code n} log documents with ids and timestamps. */
    public List<NewDocument> batch(int n) {
        List<NewDocument> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            UUID id = nextId();
            long timestamp = millis + random.nextInt(1000) - 500;
            batch.add(new NewDocument(id, timestamp, msgpack(logEvent(timestamp))));
        }
        return batch;
    }
}
