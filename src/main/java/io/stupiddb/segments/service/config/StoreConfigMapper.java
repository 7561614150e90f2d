package io.stupiddb.segments.service.config;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.stupiddb.segments.cold.ColdSettings;
import io.stupiddb.segments.segment.ColumnSettings;
import io.stupiddb.segments.store.ConfigValues;
import io.stupiddb.segments.store.RetentionClass;
import io.stupiddb.segments.store.RetentionClasses;
import io.stupiddb.segments.store.StoreConfig;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps {@link SegmentsConfig} onto the engine's {@link StoreConfig} and checks the keys only the
 * service reads. Every failure is a {@link ConfigurationException} whose message names the key
 * ({@code invalid configuration: segments.compression-level must be a zstd level 1-22: 30}) and whose
 * {@link ConfigurationException#getConfigKeys()} holds it. Thread-safe (stateless).
 */
public final class StoreConfigMapper {

    private static final Pattern KEY_PREFIX = Pattern.compile("^(segments\\.[a-z.-]+)");
    /** The pod ordinal: digits after the last {@code -} of the first hostname label. */
    private static final Pattern ORDINAL = Pattern.compile(".*-(\\d{1,9})");

    private StoreConfigMapper() {}

    /** {@link #toStoreConfig(SegmentsConfig, Supplier)} with the machine's hostname. */
    public static StoreConfig toStoreConfig(SegmentsConfig config) {
        return toStoreConfig(config, StoreConfigMapper::localHostname);
    }

    /**
     * The engine's settings, validated by {@link StoreConfig}'s constructor.
     *
     * @param hostname asked only when {@code segments.node-id} is not set
     * @throws ConfigurationException naming the offending key
     */
    public static StoreConfig toStoreConfig(SegmentsConfig config, Supplier<String> hostname) {
        Path dataDir = path(config.dataDir(), "segments.data-dir");
        Optional<Path> archiveDir = config.archiveDir().map(dir -> path(dir, "segments.archive-dir"));
        OptionalLong maxTotalSize = config.maxTotalSize().map(OptionalLong::of).orElseGet(OptionalLong::empty);
        int nodeId = nodeId(config.nodeId(), hostname);
        try {
            return StoreConfig.builder(dataDir)
                    .maxSegmentAge(config.maxSegmentAge())
                    .maxSegmentSize(config.maxSegmentSize())
                    .retention(config.retention())
                    .maxTotalSize(maxTotalSize)
                    .archiveAfter(config.archiveAfter())
                    .archiveDir(archiveDir)
                    .compression(config.compression())
                    .compressionLevel(config.compressionLevel())
                    .archiveCompressionLevel(config.archiveCompressionLevel())
                    .fsync(config.fsync())
                    .fsyncInterval(config.fsyncInterval())
                    .maxDocumentSize(config.maxDocumentSize())
                    .maxClockSkew(config.maxClockSkew())
                    .minFreeDisk(config.minFreeDisk())
                    .nodeId(nodeId)
                    .columns(ColumnSettings.DEFAULT.withPaths(
                            config.indexedFields().orElse(List.of()),
                            config.unindexedFields().orElse(List.of())))
                    .coldTier(coldTier(config.archive()))
                    .retentionClasses(new RetentionClasses(
                            config.retentionClassField().strip(),
                            retentionClasses(config.retentionClasses().orElse(List.of()))))
                    .build();
        } catch (IllegalArgumentException | NullPointerException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            Matcher m = KEY_PREFIX.matcher(message);
            String key = m.find() ? m.group(1) : null;
            if (e instanceof NullPointerException && message.equals(key)) {
                message = key + " must be set";
            }
            // No cause attached: Quarkus prints a ConfigurationException that is the root cause as its
            // message alone, one line at start-up instead of a stack trace (SegmentStoreMain).
            throw new ConfigurationException("invalid configuration: " + message, key == null ? Set.of() : Set.of(key));
        }
    }

    /** {@code name=retention[:max-size]} items of {@code segments.retention-classes}. */
    static List<RetentionClass> retentionClasses(List<String> items) {
        List<RetentionClass> classes = new ArrayList<>();
        for (String raw : items) {
            String item = raw.strip();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("segments.retention-classes: '" + item
                        + "' is not name=retention (e.g. debug=1d or audit=400d:50G)");
            }
            String name = item.substring(0, eq).strip();
            String value = item.substring(eq + 1).strip();
            int colon = value.indexOf(':');
            String retention = colon < 0 ? value : value.substring(0, colon).strip();
            Duration duration;
            try {
                duration = DurationParser.parse(retention);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("segments.retention-classes: the retention of class '" + name
                        + "' is not a duration: '" + retention + "' (" + DurationParser.HINT + ")");
            }
            OptionalLong cap = OptionalLong.empty();
            if (colon >= 0) {
                String size = value.substring(colon + 1).strip();
                try {
                    cap = OptionalLong.of(SizeParser.parse(size));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("segments.retention-classes: the size cap of class '" + name
                            + "' is not a size: '" + size + "' (" + SizeParser.HINT + ")");
                }
            }
            classes.add(new RetentionClass(name, duration, cap));
        }
        return classes;
    }

    /** The object-store archive of {@code segments.archive.*}; empty for {@code target=local}. */
    static Optional<ColdSettings> coldTier(SegmentsConfig.Archive archive) {
        String target = archive.target().strip();
        if (target.equals("local")) {
            return Optional.empty();
        }
        if (!target.equals("s3")) {
            throw new IllegalArgumentException("segments.archive.target must be local or s3: " + target);
        }
        SegmentsConfig.S3 s3 = archive.s3();
        Optional<URI> endpoint;
        try {
            endpoint = s3.endpoint().map(URI::create);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("segments.archive.s3.endpoint is not a URL: "
                    + s3.endpoint().get());
        }
        return Optional.of(ColdSettings.of(
                s3.bucket().orElse(""), s3.prefix(), endpoint, s3.region(), s3.pathStyle(), archive.cacheSize()));
    }

    /**
     * Checks the keys the engine does not see: {@code max-request-size}, {@code timestamp-field}, the
     * two scheduler periods, {@code api-key}. Then builds the {@link StoreConfig} once, so every
     * engine key is checked too.
     *
     * @throws ConfigurationException naming the offending key
     */
    public static void validate(SegmentsConfig config, Supplier<String> hostname) {
        if (config.maxRequestSize() <= 0) {
            throw invalid(
                    "segments.max-request-size", "must be positive: " + ConfigValues.size(config.maxRequestSize()));
        }
        if (config.timestampField().isBlank()) {
            throw invalid("segments.timestamp-field", "must not be blank");
        }
        positive(config.rotationCheckInterval(), "segments.rotation-check-interval");
        positive(config.retentionCheckInterval(), "segments.retention-check-interval");
        positive(config.scrubInterval(), "segments.scrub-interval");
        if (config.scrubRate() <= 0) {
            throw invalid("segments.scrub-rate", "must be positive: " + ConfigValues.size(config.scrubRate()));
        }
        if (config.apiKey().isPresent() && config.apiKey().get().isBlank()) {
            throw invalid("segments.api-key", "must not be blank when set");
        }
        toStoreConfig(config, hostname);
    }

    /**
     * {@code configured} when set (range-checked by {@link StoreConfig}); else the ordinal at the end
     * of the hostname's first label ({@code segment-store-2} → 2,
     * {@code segment-store-2.segment-store-headless.ns.svc} → 2); else 0.
     */
    public static int nodeId(Optional<Integer> configured, Supplier<String> hostname) {
        if (configured.isPresent()) {
            return configured.get();
        }
        return ordinalOf(hostname.get());
    }

    /** The trailing {@code -<digits>} of the first label of {@code hostname}, or 0 when there is none. */
    public static int ordinalOf(String hostname) {
        if (hostname == null) {
            return 0;
        }
        String label = hostname.strip();
        int dot = label.indexOf('.');
        if (dot >= 0) {
            label = label.substring(0, dot);
        }
        Matcher m = ORDINAL.matcher(label);
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** {@code HOSTNAME} from the environment (set in every Kubernetes pod), else the resolver's name, else null. */
    public static String localHostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static Path path(String value, String key) {
        if (value.isBlank()) {
            throw invalid(key, "must not be blank");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw invalid(key, "is not a valid path: '" + value + "' (" + e.getReason() + ")");
        }
    }

    private static void positive(Duration duration, String key) {
        if (duration.isZero() || duration.isNegative()) {
            throw invalid(key, "must be positive: " + ConfigValues.duration(duration));
        }
    }

    private static ConfigurationException invalid(String key, String problem) {
        return new ConfigurationException("invalid configuration: " + key + " " + problem, Set.of(key));
    }
}
