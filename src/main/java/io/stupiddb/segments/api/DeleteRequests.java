package io.stupiddb.segments.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.TimeBounds;
import io.stupiddb.segments.service.cluster.DeleteRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@link DeleteRequest} from the JSON body of {@code POST /documents/delete}:
 * {@code {"filter":{…},"from","to","all","partial"}}. The filter is required, and a filter that
 * matches everything ({@code {}}) only with {@code "all":true}, so a forgotten filter never
 * empties the store. Every error is a 400 naming the field (or the place in the filter), raised
 * before anything is deleted. Stateless and thread-safe.
 */
final class DeleteRequests {
    private static final List<String> FIELDS = List.of("filter", "from", "to", "all", "partial");

    private DeleteRequests() {}

    /** @param partialParameter the {@code partial} query parameter (null: absent); the body's field wins */
    static DeleteRequest of(InputStream body, String partialParameter) throws IOException {
        JsonNode request = ScanRequests.jsonObject(body, FIELDS, "delete", "{\"filter\",\"from\",\"to\",\"all\"}");
        boolean all = bool(request, "all");
        JsonNode filterNode = request.get("filter");
        if (filterNode == null || filterNode.isNull()) {
            throw new InvalidParameterException("a delete needs a filter (docs/QUERY.md); to delete every document"
                    + " in the time range send {\"filter\":{},\"all\":true}");
        }
        Filter filter = Filter.parse(filterNode);
        String filterJson = filterNode.toString();
        ScanRequests.checkUnicode(filterJson);
        if (filter.isMatchAll() && !all) {
            throw new InvalidParameterException(
                    "the filter matches every document: send \"all\":true with it to delete them all");
        }
        TimeBounds bounds = TimeBounds.parse(ScanRequests.text(request, "from"), ScanRequests.text(request, "to"));
        boolean partial =
                request.has("partial") ? bool(request, "partial") : Parameters.flag(partialParameter, "partial");
        return new DeleteRequest(bounds, filter, Optional.of(filterJson), all, partial);
    }

    private static boolean bool(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidParameterException("delete field '" + field + "' must be true or false");
        }
        return value.booleanValue();
    }
}
