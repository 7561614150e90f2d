package io.stupiddb.segments.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.PageToken;
import io.stupiddb.segments.query.TimeBounds;
import io.stupiddb.segments.service.cluster.ScanRequest;
import io.stupiddb.segments.service.codec.RequestTooLargeException;
import io.stupiddb.segments.service.codec.Utf8Validator;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@link ScanRequest} from what a client sent: the query parameters of
 * {@code GET /documents} or the JSON body of {@code POST /documents/search} (the same fields, for
 * filters too long for a URL). Every error is a 400 that names the parameter, or the place in
 * the filter. Stateless and thread-safe.
 */
final class ScanRequests {
    static final int MAX_SEARCH_BODY = 1 << 20;
    private static final List<String> SEARCH_FIELDS = List.of("from", "to", "filter", "limit", "cursor", "partial");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScanRequests() {}

    /** From query parameters; each may be null (not given). */
    static ScanRequest of(String from, String to, String filter, String limit, String cursor, String partial) {
        checkUnicode(filter);
        return new ScanRequest(
                TimeBounds.parse(from, to),
                filter == null ? Filter.matchAll() : Filter.parse(filter),
                Optional.ofNullable(filter),
                Parameters.limit(limit),
                Parameters.absent(cursor) ? Optional.empty() : Optional.of(PageToken.decode(cursor)),
                Parameters.flag(partial, "partial"));
    }

    /** From a search body: at most {@value #MAX_SEARCH_BODY} bytes of UTF-8, one JSON object of the query's fields. */
    static ScanRequest ofSearchBody(InputStream body) throws IOException {
        JsonNode request =
                jsonObject(body, SEARCH_FIELDS, "search", "{\"from\",\"to\",\"filter\"," + "\"limit\",\"cursor\"}");
        JsonNode filter = request.get("filter");
        if (filter != null && !filter.isNull()) {
            Filter.parse(filter); // errors name the place inside the body's filter
        }
        return of(
                text(request, "from"),
                text(request, "to"),
                filter == null || filter.isNull() ? null : filter.toString(),
                text(request, "limit"),
                text(request, "cursor"),
                text(request, "partial"));
    }

    /**
     * A request body that must be one JSON object with only {@code fields}: at most
     * {@value #MAX_SEARCH_BODY} bytes of UTF-8 (an empty body is {@code {}}); each violation is a
     * 400 (413 for the size) naming the body ({@code what}: "search", "delete") and the expected
     * {@code shape}.
     */
    static JsonNode jsonObject(InputStream body, List<String> fields, String what, String shape) throws IOException {
        byte[] bytes = body.readNBytes(MAX_SEARCH_BODY + 1);
        if (bytes.length > MAX_SEARCH_BODY) {
            throw new RequestTooLargeException(MAX_SEARCH_BODY, "the " + what + " body's limit");
        }
        long invalid = Utf8Validator.firstInvalid(bytes);
        if (invalid >= 0) {
            throw new InvalidParameterException("the " + what + " body is not valid UTF-8 (at byte " + invalid + ")");
        }
        JsonNode request = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        if (request == null || !request.isObject()) {
            throw new InvalidParameterException("the " + what + " body must be a JSON object " + shape);
        }
        request.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                throw new InvalidParameterException("unknown " + what + " field '" + name + "'");
            }
        });
        return request;
    }

    static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new InvalidParameterException("field '" + field + "' must be a string or number");
        }
        return value.asText();
    }

    /**
     * Filters must be clean Unicode: the URL decoder turns invalid UTF-8 into U+FFFD and JSON
     * escapes can spell unpaired surrogates; both would silently match nothing, so they are a 400.
     */
    static void checkUnicode(String filter) {
        if (filter == null) {
            return;
        }
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            boolean paired = Character.isHighSurrogate(c)
                    && i + 1 < filter.length()
                    && Character.isLowSurrogate(filter.charAt(i + 1));
            if (c == '\uFFFD' || (Character.isSurrogate(c) && !paired)) {
                throw new InvalidParameterException("the filter holds invalid UTF-8 or an unpaired surrogate at"
                        + " character " + i + " (U+" + String.format("%04X", (int) c) + ")");
            }
            if (paired) {
                i++;
            }
        }
    }
}
