package io.stupiddb.segments.nativeimage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdCompressCtx;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.WrittenDocument;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link ZstdJniBindingTest} in a JVM started with {@code -Djdk.util.jar.enableMultiRelease=false},
 * i.e. on zstd-jni's base classes, its JNI binding: the one the native build compiles. Uses zstd
 * the way the store does: seals segments until one is compressed with a trained dictionary,
 * reads every document back, closes the store (contexts and dictionaries released), reopens it
 * and reads again. Prints {@code JNI binding OK}; any failure exits non-zero.
 */
public final class ZstdJniProbe {
    private static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    private ZstdJniProbe() {}

    public static void main(String[] args) throws Exception {
        try {
            Class.forName("com.github.luben.zstd.ZstdBinding");
            throw new AssertionError("the FFM binding was loaded: multi-release is still on");
        } catch (ClassNotFoundException expected) {
            // JNI classes only
        }
        ZstdCompressCtx.class.getDeclaredField("nativePtr"); // a field of the JNI variant only

        StoreConfig config =
                StoreConfig.builder(Path.of(args[0])).minFreeDisk(0).build();
        List<WrittenDocument> withDictionary = null;
        try (SegmentStore store = SegmentStore.open(config, InstantSource.system())) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            int round = 0;
            while (withDictionary == null) {
                check(System.nanoTime() < deadline, "a segment compressed with a trained dictionary within 30 s");
                List<WrittenDocument> written = store.write(documents(round++));
                SegmentInfo rotated = store.rotate(RotationReason.MANUAL).orElseThrow();
                // The background compaction compresses it (format v2), with a dictionary trained from its sample.
                check(store.compaction().awaitIdle(java.time.Duration.ofSeconds(30)), "compaction done within 30 s");
                SegmentInfo sealed = store.segment(rotated.id()).orElseThrow();
                check(sealed.codec().label().equals("zstd"), "compacted with zstd: " + sealed.codec());
                readBack(store, written);
                if (hasDictionary(config.dataDir().resolve(sealed.id() + ".seg"))) {
                    withDictionary = written;
                } else {
                    Thread.sleep(200); // too few documents to train a dictionary yet
                }
            }
        }
        try (SegmentStore reopened = SegmentStore.open(config, InstantSource.system())) {
            readBack(reopened, withDictionary);
        }
        System.out.println("JNI binding OK");
    }

    private static List<DocumentToWrite> documents(int round) throws Exception {
        List<DocumentToWrite> docs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            docs.add(DocumentToWrite.at(
                    MSGPACK.writeValueAsBytes(Map.of(
                            "round",
                            round,
                            "i",
                            i,
                            "service",
                            "checkout",
                            "level",
                            i % 7 == 0 ? "error" : "info",
                            "http",
                            Map.of("status", 200 + i % 5, "path", "/api/v1/items/" + i))),
                    System.currentTimeMillis()));
        }
        return docs;
    }

    private static void readBack(SegmentStore store, List<WrittenDocument> written) throws Exception {
        for (int i = 0; i < written.size(); i++) {
            byte[] source = store.get(written.get(i).id()).orElseThrow().source();
            check(MSGPACK.readTree(source).get("i").asInt() == i, "document " + i + " read back");
        }
    }

    private static boolean hasDictionary(Path sealed) throws Exception {
        try (FileChannel channel = FileChannel.open(sealed, StandardOpenOption.READ);
                Arena arena = Arena.ofConfined()) {
            return SegmentHeader.decode(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena), sealed)
                    .hasDictionary();
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
