package io.stupiddb.segments.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Where the retention classes' stores live (SPEC §12) and with which settings: each class in
 * {@code <data-dir>/classes/<name>}, its archive in {@code <archive-dir>/classes/<name>}, its objects
 * under {@code <prefix>classes/<name>/} in a bucket; the class's retention and size cap, the rest as
 * the service's settings. A class directory whose class is no longer configured is found on disk
 * and kept in service under {@code segments.retention}, without a cap.
 */
final class ClassDirectories {
    /** The directory of the classes' stores, under the data directory (and the archive directory). */
    static final String CLASSES_DIR = "classes";

    private ClassDirectories() {}

    /** The settings of each class's store: configured classes, then class directories no longer configured. */
    static Map<String, StoreConfig> classConfigs(StoreConfig config) throws IOException {
        Map<String, StoreConfig> configs = new LinkedHashMap<>();
        for (RetentionClass c : config.retentionClasses().classes()) {
            configs.put(c.name(), classConfig(config, c.name(), c.retention(), c.maxTotalSize()));
        }
        Path dir = config.dataDir().resolve(CLASSES_DIR);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> found = Files.list(dir)) {
                for (Path p : found.filter(Files::isDirectory).sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (RetentionClass.isValidName(name) && !configs.containsKey(name)) {
                        // A class removed from the configuration: served and aged out under the default retention.
                        configs.put(name, classConfig(config, name, config.retention(), OptionalLong.empty()));
                    }
                }
            }
        }
        int stores = configs.size() + 1;
        configs.replaceAll((name, c) -> withCacheShare(c, stores));
        return configs;
    }

    private static StoreConfig classConfig(StoreConfig config, String name, Duration retention, OptionalLong cap) {
        return config.toBuilder()
                .dataDir(config.dataDir().resolve(CLASSES_DIR).resolve(name))
                .archiveDir(config.archivePath().resolve(CLASSES_DIR).resolve(name))
                .retention(retention)
                .maxTotalSize(cap)
                .coldTier(
                        config.coldTier().map(cold -> cold.withPrefix(cold.prefix() + CLASSES_DIR + "/" + name + "/")))
                .retentionClasses(RetentionClasses.NONE)
                .build();
    }

    /**
     * The default store's settings beside {@code classes} stores: its share of the archive cache
     * ({@link #withCacheShare}); unchanged without classes.
     */
    static StoreConfig defaultConfig(StoreConfig config, int classes) {
        return classes == 0 ? config : withCacheShare(config, classes + 1);
    }

    /**
     * One bound for the whole data volume: {@code segments.archive.cache-size} is split evenly
     * between the {@code stores} of the default store and the classes' (each has its own
     * {@code cold-cache/}); unchanged without a cold tier.
     */
    private static StoreConfig withCacheShare(StoreConfig config, int stores) {
        if (config.coldTier().isEmpty()) {
            return config;
        }
        return config.toBuilder()
                .coldTier(config.coldTier().map(cold -> cold.withCacheSize(cold.cacheSize() / stores)))
                .build();
    }
}
