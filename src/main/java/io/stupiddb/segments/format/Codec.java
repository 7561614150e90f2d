package io.stupiddb.segments.format;

/** How record payloads of one segment are compressed; stored as one byte in the header. */
public enum Codec {
    /** Payloads are the raw MessagePack bytes. */
    NONE(0),
    /**
     * Each payload is its own zstd frame, compressed with the dictionary stored in the header
     * when there is one (see docs/FORMAT.md, "Compression").
     */
    ZSTD(1);

    private final int code;

    Codec(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The codec for a header byte, or null for a byte this version does not know. */
    public static Codec ofCode(int code) {
        for (Codec codec : values()) {
            if (codec.code == code) {
                return codec;
            }
        }
        return null;
    }

    /** Parses the configuration spelling ({@code zstd} / {@code none}). */
    public static Codec parse(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "zstd" -> ZSTD;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("unknown compression '" + name + "': use zstd or none");
        };
    }

    /** The configuration and API spelling. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
