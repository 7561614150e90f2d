package io.stupiddb.segments.service.config;

import io.stupiddb.segments.segment.DurabilityMode;
import org.eclipse.microprofile.config.spi.Converter;

/** {@link DurabilityMode#parse} as a config converter ({@code always}, {@code interval}, {@code never}). */
public final class DurabilityModeConverter implements Converter<DurabilityMode> {
    @Override
    public DurabilityMode convert(String value) {
        return DurabilityMode.parse(value);
    }
}
