package io.stupiddb.segments.service.config;

import io.stupiddb.segments.format.Codec;
import org.eclipse.microprofile.config.spi.Converter;

/** {@link Codec#parse} as a config converter ({@code zstd}, {@code none}). */
public final class CodecConverter implements Converter<Codec> {
    @Override
    public Codec convert(String value) {
        return Codec.parse(value);
    }
}
