package io.stupiddb.segments.api;

import jakarta.ws.rs.core.HttpHeaders;

/**
 * The media types of SPEC §2 and how a request's Accept header picks one. Routes declare what
 * they can answer with {@code @Produces}, so an Accept none of them satisfies is a 406 before the
 * resource runs; {@link MediaTypeHeaderCheck} refuses headers that are not media types at all.
 * The methods here choose among what the route offers, for requests that got that far.
 */
final class ApiMediaTypes {
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";
    static final String MSGPACK = "application/msgpack";
    /** The older name of MessagePack, accepted in Accept; answers carry {@link #MSGPACK}. */
    static final String X_MSGPACK = "application/x-msgpack";

    private ApiMediaTypes() {}

    /** MessagePack when asked for (and preferred over JSON by order), else JSON. */
    static boolean wantsMsgpack(HttpHeaders headers) {
        return headers.getAcceptableMediaTypes().stream()
                .map(m -> m.getType() + "/" + m.getSubtype())
                .takeWhile(t -> !t.equals(JSON))
                .anyMatch(t -> t.equals(MSGPACK) || t.equals(X_MSGPACK));
    }

    static boolean wantsNdjson(HttpHeaders headers) {
        return headers.getAcceptableMediaTypes().stream()
                .map(m -> m.getType() + "/" + m.getSubtype())
                .takeWhile(t -> !t.equals(JSON))
                .anyMatch(t -> t.equals(NDJSON));
    }

    /** JSON or MessagePack, as {@link #wantsMsgpack} chooses. */
    static String jsonOrMsgpack(HttpHeaders headers) {
        return wantsMsgpack(headers) ? MSGPACK : JSON;
    }
}
