package io.stupiddb.segments.service.codec;

import java.util.Locale;
import java.util.Optional;

/** The request body media types of SPEC §2. */
public enum BodyFormat {
    /** {@code application/json}: one object or an array of objects. */
    JSON("application/json"),
    /** {@code application/x-ndjson}: one object per non-blank line. */
    NDJSON("application/x-ndjson"),
    /** {@code application/msgpack}: one map or an array of maps. */
    MSGPACK("application/msgpack");

    private final String mediaType;

    BodyFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The canonical media type. */
    public String mediaType() {
        return mediaType;
    }

    /**
     * The format of a {@code Content-Type} value; parameters ({@code ; charset=utf-8}) and case are
     * ignored. {@code application/x-msgpack} is accepted as MessagePack too. Empty for anything else
     * (the API answers 415).
     */
    public static Optional<BodyFormat> ofMediaType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/json" -> Optional.of(JSON);
            case "application/x-ndjson" -> Optional.of(NDJSON);
            case "application/msgpack", "application/x-msgpack" -> Optional.of(MSGPACK);
            default -> Optional.empty();
        };
    }
}
