package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.column.FieldDiscovery;

import java.util.List;

/**
 * Which paths a format v2 segment stores as columns: those present in at least
 * {@code minPresence} of a sample of its documents (at most {@code maxColumns}, most present
 * first), plus {@code indexed} always, minus {@code unindexed} never
 * ({@code segments.indexed-fields} / {@code segments.unindexed-fields}); and how many rows a
 * granule (one column group) holds.
 */
public record ColumnSettings(
        double minPresence, int maxColumns, List<String> indexed, List<String> unindexed, int granuleRows) {

    /** ClickHouse's granule size: small enough to skip, large enough to keep the index small. */
    public static final int DEFAULT_GRANULE_ROWS = 8192;

    public static final ColumnSettings DEFAULT =
            new ColumnSettings(0.5, 32, List.of(), List.of(), DEFAULT_GRANULE_ROWS);

    public ColumnSettings {
        indexed = checkedPaths(indexed, "segments.indexed-fields");
        unindexed = checkedPaths(unindexed, "segments.unindexed-fields");
        for (String path : indexed) {
            if (unindexed.contains(path)) {
                throw new IllegalArgumentException(
                        "segments.indexed-fields and segments.unindexed-fields both name " + path);
            }
        }
        if (granuleRows < 1 || granuleRows > 65_536) {
            throw new IllegalArgumentException("granule rows must be 1..65536: " + granuleRows);
        }
        new FieldDiscovery(minPresence, maxColumns); // validates both
    }

    private static List<String> checkedPaths(List<String> paths, String key) {
        List<String> trimmed = paths.stream().map(String::trim).toList();
        for (String path : trimmed) {
            if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
                throw new IllegalArgumentException(
                        key + " holds '" + path + "': a path is field names joined by dots, e.g. http.status");
            }
        }
        return trimmed;
    }

    public ColumnSettings withPaths(List<String> indexedPaths, List<String> unindexedPaths) {
        return new ColumnSettings(minPresence, maxColumns, indexedPaths, unindexedPaths, granuleRows);
    }

    public ColumnSettings withGranuleRows(int rows) {
        return new ColumnSettings(minPresence, maxColumns, indexed, unindexed, rows);
    }

    /** A fresh discovery with these settings. */
    public FieldDiscovery discovery() {
        FieldDiscovery discovery = new FieldDiscovery(minPresence, maxColumns);
        indexed.forEach(discovery::force);
        unindexed.forEach(discovery::exclude);
        return discovery;
    }
}
