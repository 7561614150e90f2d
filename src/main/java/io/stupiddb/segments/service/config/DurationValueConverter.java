package io.stupiddb.segments.service.config;

import org.eclipse.microprofile.config.spi.Converter;

import java.time.Duration;

/** {@link DurationParser} as a config converter; SmallRye adds the key to its message on failure. */
public final class DurationValueConverter implements Converter<Duration> {
    @Override
    public Duration convert(String value) {
        return DurationParser.parse(value);
    }
}
