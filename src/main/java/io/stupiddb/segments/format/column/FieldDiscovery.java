package io.stupiddb.segments.format.column;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the fields worth storing as columns from a sample of documents: dotted paths through
 * nested objects (arrays are not flattened; a path holding an array counts as type OTHER) that
 * are present in at least {@code minPresence} of the sample and mostly hold one columnar type.
 * Paths can be forced in or excluded (the future {@code segments.indexed-fields} /
 * {@code segments.unindexed-fields}).
 *
 * <p>Per path it keeps: documents where it is present, a count per type, and a KMV
 * (k-minimum-values) sketch of the XXH64 of its values, which estimates the distinct count within
 * a few percent for k = 256 without keeping the values (exact below 256 distinct values).
 *
 * <p>Mutable and not thread-safe: feed one sample from one thread, then call {@link #schema}.
 */
public final class FieldDiscovery {

    private static final int SKETCH = 256;

    private final double minPresence;
    private final int maxColumns;
    private final Set<String> forced = new LinkedHashSet<>();
    private final Set<String> excluded = new LinkedHashSet<>();
    private final Map<String, Stats> stats = new HashMap<>();
    /** Every path of the documents offered; their names kept from one document to the next. */
    private final FieldValues.Reader reader = new FieldValues.Reader(null);

    private int documents;

    /**
     * @param minPresence fraction of sampled documents a path must appear in, e.g. 0.5
     * @param maxColumns  at most this many discovered columns (forced ones come on top), most present first
     */
    public FieldDiscovery(double minPresence, int maxColumns) {
        if (!(minPresence > 0 && minPresence <= 1) || maxColumns < 0) {
            throw new IllegalArgumentException("minPresence in (0, 1] and maxColumns >= 0 required");
        }
        this.minPresence = minPresence;
        this.maxColumns = maxColumns;
    }

    /** Always store {@code path} as a column, present in the sample or not. */
    public FieldDiscovery force(String path) {
        ColumnPath.of(path); // validates
        forced.add(path);
        excluded.remove(path);
        return this;
    }

    /** Whether {@code path} or an object it lies in was excluded. */
    private boolean isExcluded(String path) {
        for (String prefix : excluded) {
            if (path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '.')) {
                return true;
            }
        }
        return false;
    }

    /** Never store {@code path} as a column, nor any path inside it ({@code http} excludes {@code http.status}). */
    public FieldDiscovery exclude(String path) {
        excluded.add(Objects.requireNonNull(path));
        forced.remove(path);
        return this;
    }

    public void add(byte[] msgpackDocument) {
        add(reader.read(msgpackDocument, 0, msgpackDocument.length));
    }

    public void add(ByteBuffer msgpackDocument) {
        add(reader.read(msgpackDocument));
    }

    public void add(FieldValues document) {
        documents++;
        document.forEach((path, value) -> {
            if (value.tag == FieldValues.TAG_MAP) {
                return; // an object is a way to its leaves, not a column
            }
            stats.computeIfAbsent(path, p -> new Stats()).add(value);
        });
    }

    /** The chosen columns, ordered by path. */
    public ColumnSchema schema() {
        List<ColumnSchema.Field> chosen = new ArrayList<>();
        stats.entrySet().stream()
                .filter(e -> !isExcluded(e.getKey()) && !forced.contains(e.getKey()))
                .filter(e -> documents > 0 && e.getValue().present >= minPresence * documents)
                .map(e -> e.getValue().field(e.getKey(), false))
                .filter(f -> f.type().isColumnar())
                .sorted(Comparator.comparingLong(ColumnSchema.Field::present)
                        .reversed()
                        .thenComparing(ColumnSchema.Field::path))
                .limit(maxColumns)
                .forEach(chosen::add);
        for (String path : forced) {
            Stats s = stats.get(path);
            chosen.add(s == null ? new ColumnSchema.Field(path, FieldType.OTHER, 0, 0, true) : s.field(path, true));
        }
        chosen.sort(Comparator.comparing(ColumnSchema.Field::path));
        return new ColumnSchema(documents, chosen);
    }

    private static final class Stats {
        long present;
        final long[] byType = new long[FieldType.values().length];
        /** The SKETCH smallest hashes seen (as unsigned values), for the KMV estimate. */
        final TreeSet<Long> smallest = new TreeSet<>(Long::compareUnsigned);

        void add(FieldValues.Value value) {
            present++;
            FieldType type = FieldType.of(value.tag);
            byType[type.ordinal()]++;
            long hash = switch (type) {
                case STRING -> XxHash64.hash(value.utf8);
                case INTEGER -> mix(value.bits);
                case FLOAT -> mix(Double.doubleToLongBits(value.dbl) ^ 0x5bd1e995L);
                case BOOLEAN -> mix(value.tag + 17L);
                case NULL -> mix(29L);
                case OTHER -> 0L; // not estimated
            };
            if (type != FieldType.OTHER && !smallest.contains(hash)) {
                if (smallest.size() < SKETCH) {
                    smallest.add(hash);
                } else if (Long.compareUnsigned(hash, smallest.last()) < 0) {
                    smallest.pollLast();
                    smallest.add(hash);
                }
            }
        }

        ColumnSchema.Field field(String path, boolean isForced) {
            int dominant = 0;
            for (int t = 1; t < byType.length; t++) {
                if (byType[t] > byType[dominant]) {
                    dominant = t;
                }
            }
            return new ColumnSchema.Field(path, FieldType.values()[dominant], present, distinct(), isForced);
        }

        long distinct() {
            if (smallest.size() < SKETCH) {
                return smallest.size();
            }
            // KMV: (k - 1) / (k-th smallest hash as a fraction of 2^64).
            double kth = Math.max(unsignedToDouble(smallest.last()), 1.0) / 0x1p64;
            return Math.round((SKETCH - 1) / kth);
        }

        private static double unsignedToDouble(long v) {
            return v >= 0 ? v : (v >>> 1) * 2.0;
        }

        /** SplitMix64's finaliser: spreads integer values over the 64-bit range. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }
}
