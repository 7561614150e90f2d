package io.stupiddb.segments.service.config;

import org.eclipse.microprofile.config.spi.Converter;

/** {@link SizeParser} as a config converter; SmallRye adds the key to its message on failure. */
public final class SizeValueConverter implements Converter<Long> {
    @Override
    public Long convert(String value) {
        return SizeParser.parse(value);
    }
}
