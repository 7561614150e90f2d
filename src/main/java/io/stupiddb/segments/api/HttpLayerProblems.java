package io.stupiddb.segments.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HexFormat;

/**
 * Problem+json for requests the HTTP layer refuses before they reach a resource: a request URI
 * that is not an RFC 3986 URI (a malformed %-escape, a space, a control character), a path
 * Vert.x Web cannot normalize, undecodable query parameters, and a request URI longer than
 * {@link #MAX_URI_LENGTH}. Installed on the main router with the lowest order, so it runs before
 * RESTEasy Reactive and before Quarkus's own failure handler.
 *
 * <p>Quarkus checks every URI with {@code new URI(…)} before routing and answers an invalid one
 * with an empty 400. {@code SegmentStoreMain} turns that check off
 * ({@value #QUARKUS_URI_CHECK_OFF}) so the same check runs here, with a problem body.
 *
 * <p>Why two limits: a request line longer than {@code quarkus.http.limits.max-initial-line-length}
 * (set to four times this limit in application.properties) is refused by Netty's codec before any
 * router exists, with an empty 414 that Quarkus offers no hook to replace (quarkusio/quarkus#55082).
 * Checking a lower limit here gives problem+json to every URI up to that codec limit.
 */
@ApplicationScoped
public class HttpLayerProblems {
    /** Longest request URI (path + query) the API accepts; longer filters go in POST /search bodies. */
    public static final int MAX_URI_LENGTH = 65_536;
    /** System property that moves Quarkus's URI check to {@link #checkRequestUri}; set before Quarkus starts. */
    public static final String QUARKUS_URI_CHECK_OFF = "vertx.disableURIValidation";

    /** ASCII characters RFC 2396 allows unescaped in a path and a query: alphanumerics, marks, and the reserved set. */
    private static final boolean[] PATH_OR_QUERY = new boolean[128];

    static {
        for (char c : ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + "-_.!~*'()" + ";/?:@&=+$,")
                .toCharArray()) {
            PATH_OR_QUERY[c] = true;
        }
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(HttpLayerProblems::checkRequestUri);
        router.route().order(Integer.MIN_VALUE).failureHandler(HttpLayerProblems::problemForClientError);
    }

    private static void checkRequestUri(RoutingContext context) {
        String uri = context.request().uri();
        if (uri.length() > MAX_URI_LENGTH) {
            send(
                    context,
                    414,
                    "uri-too-long",
                    "Request URI too long",
                    "the request URI has " + uri.length() + " characters, at most " + MAX_URI_LENGTH
                            + " are accepted; send long filters in the body of POST /api/v1/documents/search");
            return;
        }
        try {
            if (!isPlainOriginForm(uri)) {
                new URI(uri);
            }
        } catch (URISyntaxException e) {
            send(
                    context,
                    400,
                    "malformed-request",
                    "Malformed request",
                    "the request URI is not a valid URI: " + e.getReason() + " at index " + e.getIndex());
            return;
        }
        context.next();
    }

    /**
     * True when {@code uri} is a path (and query) that {@code new URI(uri)} accepts without having
     * to be parsed: it starts with one {@code /} (so it has no scheme and no authority) and holds
     * only characters that RFC 2396, which java.net.URI follows, allows anywhere in a path or a
     * query, with every {@code %} starting an escape of two hex digits. Nearly every request is
     * such a URI; the parse it skips made a {@code URI} and its component strings on every request
     * (garbage that each young collection, costly on small VMs, has to make room for). Anything
     * else (a space, a {@code #}, a bracket, non-ASCII text, a malformed escape) still goes through
     * {@code new URI}, and so gets the same problem as before.
     */
    static boolean isPlainOriginForm(String uri) {
        int n = uri.length();
        if (n == 0 || uri.charAt(0) != '/' || (n > 1 && uri.charAt(1) == '/')) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = uri.charAt(i);
            if (c == '%') {
                if (i + 2 >= n
                        || !HexFormat.isHexDigit(uri.charAt(i + 1))
                        || !HexFormat.isHexDigit(uri.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c >= 128 || !PATH_OR_QUERY[c]) {
                return false;
            }
        }
        return true;
    }

    /** Client errors raised by the HTTP layer itself; anything else goes on to the next failure handler. */
    private static void problemForClientError(RoutingContext context) {
        int status = context.statusCode();
        if (status < 400 || status > 499 || context.response().headWritten()) {
            context.next();
            return;
        }
        Throwable failure = context.failure();
        String detail = failure != null && failure.getMessage() != null
                ? failure.getMessage()
                : "the HTTP layer refused the request";
        if (failure != null && failure.getCause() != null && failure.getCause().getMessage() != null) {
            detail += ": " + failure.getCause().getMessage();
        }
        send(context, status, "malformed-request", "Malformed request", detail);
    }

    private static void send(RoutingContext context, int status, String kind, String title, String detail) {
        String body = Json.encode(Problem.of(status, kind, title, detail));
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(body);
    }
}
