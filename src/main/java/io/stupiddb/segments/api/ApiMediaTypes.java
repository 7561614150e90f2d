package io.stupiddb.segments.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

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
        return asksBeforeJson(headers, MSGPACK, X_MSGPACK);
    }

    static boolean wantsNdjson(HttpHeaders headers) {
        return asksBeforeJson(headers, NDJSON, NDJSON);
    }

    /**
     * Whether the acceptable types, in order of preference, name {@code type} (or {@code alias})
     * before JSON. A loop, not a stream: it runs for every request (one GET is a few microseconds).
     */
    private static boolean asksBeforeJson(HttpHeaders headers, String type, String alias) {
        for (MediaType m : headers.getAcceptableMediaTypes()) {
            if (is(m, JSON)) {
                return false;
            }
            if (is(m, type) || is(m, alias)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code m}'s type/subtype is {@code typeAndSubtype} (exactly, as Accept lists them). */
    private static boolean is(MediaType m, String typeAndSubtype) {
        int slash = m.getType().length();
        return typeAndSubtype.length() == slash + 1 + m.getSubtype().length()
                && typeAndSubtype.startsWith(m.getType())
                && typeAndSubtype.charAt(slash) == '/'
                && typeAndSubtype.endsWith(m.getSubtype());
    }

    /** JSON or MessagePack, as {@link #wantsMsgpack} chooses. */
    static String jsonOrMsgpack(HttpHeaders headers) {
        return wantsMsgpack(headers) ? MSGPACK : JSON;
    }
}
