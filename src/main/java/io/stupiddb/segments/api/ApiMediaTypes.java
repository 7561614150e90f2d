package io.stupiddb.segments.api;

import jakarta.ws.rs.core.HttpHeaders;

/** The media types of SPEC §2 and how a request's Accept header picks one. */
final class ApiMediaTypes {
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";
    static final String MSGPACK = "application/msgpack";

    private ApiMediaTypes() {
    }

    /** MessagePack when asked for (and preferred over JSON by order), else JSON. */
    static boolean wantsMsgpack(HttpHeaders headers) {
        return headers.getAcceptableMediaTypes().stream()
                .map(m -> m.getType() + "/" + m.getSubtype())
                .takeWhile(t -> !t.equals(JSON))
                .anyMatch(t -> t.equals(MSGPACK) || t.equals("application/x-msgpack"));
    }

    static boolean wantsNdjson(HttpHeaders headers) {
        return headers.getAcceptableMediaTypes().stream()
                .map(m -> m.getType() + "/" + m.getSubtype())
                .takeWhile(t -> !t.equals(JSON))
                .anyMatch(t -> t.equals(NDJSON));
    }
}
