package io.stupiddb.segments.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How the acceptable types, in the order the framework sorted them by preference, choose the
 * answer: MessagePack (or its older name) or NDJSON when listed before JSON, else JSON.
 */
class ApiMediaTypesTest {

    @ParameterizedTest
    @CsvSource({
        "application/json, application/json",
        "application/msgpack, application/msgpack",
        "application/x-msgpack, application/msgpack",
        "application/msgpack application/json, application/msgpack",
        "application/json application/msgpack, application/json",
        "*/* application/msgpack, application/msgpack",
        "text/plain application/x-msgpack application/json, application/msgpack",
        "application/msgpackx, application/json",
        "application/x-ndjson, application/json",
        "'', application/json"
    })
    void jsonOrMsgpack(String accepted, String answer) {
        assertEquals(answer, ApiMediaTypes.jsonOrMsgpack(headers(accepted)));
    }

    @ParameterizedTest
    @CsvSource({
        "application/x-ndjson, true",
        "application/x-ndjson application/json, true",
        "application/json application/x-ndjson, false",
        "*/* application/x-ndjson, true",
        "application/msgpack, false",
        "application/ndjson, false",
        "'', false"
    })
    void wantsNdjson(String accepted, boolean ndjson) {
        assertEquals(ndjson, ApiMediaTypes.wantsNdjson(headers(accepted)));
    }

    /** Headers whose acceptable types are {@code accepted} (space separated, already in preference order). */
    private static HttpHeaders headers(String accepted) {
        List<MediaType> types = Arrays.stream(accepted.trim().split(" "))
                .filter(t -> !t.isEmpty())
                .map(t -> new MediaType(t.substring(0, t.indexOf('/')), t.substring(t.indexOf('/') + 1)))
                .toList();
        return (HttpHeaders) Proxy.newProxyInstance(
                HttpHeaders.class.getClassLoader(), new Class<?>[] {HttpHeaders.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getAcceptableMediaTypes")) {
                        return types;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
