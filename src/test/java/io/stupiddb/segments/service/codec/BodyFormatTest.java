package io.stupiddb.segments.service.codec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BodyFormatTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "application/json | JSON",
                "application/json; charset=utf-8 | JSON",
                "Application/JSON | JSON",
                "application/x-ndjson | NDJSON",
                "application/msgpack | MSGPACK",
                "application/x-msgpack | MSGPACK",
            })
    void knownMediaTypes(String contentType, BodyFormat format) {
        assertEquals(Optional.of(format), BodyFormat.ofMediaType(contentType));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/xml", "", "application/jsonx", "multipart/form-data"})
    void unknownMediaTypesAreEmpty(String contentType) {
        assertEquals(Optional.empty(), BodyFormat.ofMediaType(contentType));
    }
}
