package io.stupiddb.segments.format.column;

/**
 * How a column block stores its strings: a dictionary when a block has at most
 * {@code maxDictionaryEntries} distinct strings of at most {@code maxDictionaryBytes} in total
 * (exact answers, codes of {@code ceil(log2(D))} bits per row), else only a split-block bloom at
 * {@code bloomFpp} (equality can skip the block; everything else asks the documents).
 */
public record ColumnOptions(int maxDictionaryEntries, int maxDictionaryBytes, double bloomFpp) {

    /** 256 entries / 64 KiB: log levels, methods, services, status texts; ids go to the bloom. */
    public static final ColumnOptions DEFAULT = new ColumnOptions(256, 64 << 10, 0.01);

    public ColumnOptions {
        if (maxDictionaryEntries < 0 || maxDictionaryBytes < 0) {
            throw new IllegalArgumentException("negative dictionary limit");
        }
        if (!(bloomFpp > 0 && bloomFpp < 1)) {
            throw new IllegalArgumentException("bloomFpp must be in (0, 1): " + bloomFpp);
        }
    }
}
