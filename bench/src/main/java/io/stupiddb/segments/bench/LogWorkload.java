package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.SplittableRandom;

/**
 * Deterministic, realistic log/event documents of 0.5-2 KB: timestamp, level, service, host,
 * message, http object, latency, trace ids, user agent, nested kubernetes metadata, a few
 * high-cardinality fields, and stack traces on errors. Same seed, same documents.
 */
final class LogWorkload {
    private static final String[] LEVELS = {"debug", "info", "info", "info", "info", "warn", "error"};
    private static final String[] SERVICES = {"checkout", "payments", "search", "auth", "catalog", "gateway",
        "inventory", "shipping", "recommendations", "notifications"};
    private static final String[] PATHS = {"/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/users/me", "/search",
        "/login", "/cart/items", "/api/v2/catalog/products", "/healthz"};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "curl/8.11.0", "okhttp/4.12.0", "Go-http-client/2.0"};
    private static final String[] WORDS = {"request", "completed", "cache", "miss", "retrying", "upstream", "timeout",
        "connection", "reset", "payload", "validated", "user", "session", "expired", "token", "refreshed", "order",
        "created", "payment", "authorized", "declined", "inventory", "reserved", "shipment", "scheduled"};

    private final ObjectMapper json = new ObjectMapper();
    private final SplittableRandom random;
    private final long startMillis;
    private final long spanMillis;
    private final long count;

    LogWorkload(long seed, long startMillis, long spanMillis, long count) {
        this.random = new SplittableRandom(seed);
        this.startMillis = startMillis;
        this.spanMillis = spanMillis;
        this.count = count;
    }

    /** The i-th event's timestamp: evenly over the span, with a little jitter. */
    long timestamp(long i) {
        return startMillis + i * spanMillis / count + random.nextInt(200);
    }

    ObjectNode event(long timestamp) {
        ObjectNode doc = json.createObjectNode();
        String service = SERVICES[random.nextInt(SERVICES.length)];
        String level = LEVELS[random.nextInt(LEVELS.length)];
        String path = PATHS[random.nextInt(PATHS.length)];
        int status = level.equals("error") ? 500 + random.nextInt(4)
                : level.equals("warn") ? 400 + random.nextInt(30) : 200 + random.nextInt(5);
        doc.put("timestamp", java.time.Instant.ofEpochMilli(timestamp).toString());
        doc.put("level", level);
        doc.put("service", service);
        doc.put("host", service + "-" + random.nextInt(12) + ".prod.eu-west-1.internal");
        StringBuilder message = new StringBuilder();
        int words = 6 + random.nextInt(30);
        for (int i = 0; i < words; i++) {
            message.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        message.append("in ").append(random.nextInt(5000)).append(" ms");
        doc.put("message", message.toString());
        ObjectNode http = doc.putObject("http");
        http.put("method", random.nextInt(4) == 0 ? "POST" : "GET");
        http.put("path", path);
        http.put("status", status);
        http.put("bytes", random.nextInt(200_000));
        http.put("user_agent", AGENTS[random.nextInt(AGENTS.length)]);
        http.put("client_ip", "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256));
        doc.put("latency_ms", Math.round(random.nextDouble() * 250_000) / 100.0);
        doc.put("trace_id", hex(16));
        doc.put("span_id", hex(8));
        doc.put("request_id", hex(12));
        doc.put("user_id", "u-" + random.nextInt(2_000_000));
        doc.put("tenant", "t-" + random.nextInt(800));
        ObjectNode k8s = doc.putObject("kubernetes");
        k8s.put("namespace", "prod");
        k8s.put("pod", service + "-" + hex(5));
        k8s.put("node", "ip-10-0-" + random.nextInt(64) + "-" + random.nextInt(256) + ".ec2.internal");
        ObjectNode labels = k8s.putObject("labels");
        labels.put("app.kubernetes.io/name", service);
        labels.put("app.kubernetes.io/version", "2." + random.nextInt(40) + "." + random.nextInt(10));
        labels.put("team", "team-" + random.nextInt(9));
        doc.putArray("tags").add(random.nextBoolean() ? "canary" : "stable").add("web");
        if (status >= 500) {
            StringBuilder stack = new StringBuilder("java.lang.IllegalStateException: upstream failed\n");
            for (int i = 0; i < 4 + random.nextInt(10); i++) {
                stack.append("\tat com.example.").append(service).append(".Handler").append(random.nextInt(30))
                        .append(".handle(Handler.java:").append(random.nextInt(900)).append(")\n");
            }
            doc.put("stack", stack.toString());
        }
        return doc;
    }

    private String hex(int bytes) {
        StringBuilder text = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) {
            text.append(Character.forDigit(random.nextInt(16), 16)).append(Character.forDigit(random.nextInt(16), 16));
        }
        return text.toString();
    }
}
