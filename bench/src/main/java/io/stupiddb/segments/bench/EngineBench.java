package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.NewDocument;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.DictionarySampler;
import io.stupiddb.segments.format.SegmentHeader;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Engine hot paths measured side by side in one run, each against a physical baseline on the
 * same bytes: append (vs raw sequential FileChannel writes with the same fsync policy), get by
 * id, full scan (vs summing the mapped bytes), and compression (vs whole-file zstd); format v2
 * (compaction, its files, planned scans) beside v1 in {@link FormatV2Bench}.
 */
public final class EngineBench {
    private static final int BATCH = 100;

    private final Path dir;
    private final List<NewDocument> docs;
    private final long jsonBytes;
    private final long msgpackBytes;
    private final byte[] dictionary;

    private EngineBench(Path dir, int count) throws IOException {
        this.dir = dir;
        ObjectMapper json = new ObjectMapper();
        ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
        LogWorkload workload = new LogWorkload(1, 1_764_000_000_000L, 3_600_000L, count);
        List<NewDocument> list = new ArrayList<>(count);
        long jsonTotal = 0;
        long msgpackTotal = 0;
        for (int i = 0; i < count; i++) {
            long ts = workload.timestamp(i);
            ObjectNode event = workload.event(ts);
            jsonTotal += json.writeValueAsBytes(event).length;
            byte[] source = msgpack.writeValueAsBytes(event);
            msgpackTotal += source.length;
            list.add(new NewDocument(new UUID(((1_764_000_000_000L + i) << 16) | 0x7000L, 0x8000_0000_0000_0000L | i), ts,
                    source));
        }
        this.docs = list;
        this.jsonBytes = jsonTotal;
        this.msgpackBytes = msgpackTotal;
        // The previous "segment": same workload, other seed; the store trains exactly like this at seal.
        DictionarySampler sampler = DictionarySampler.withDefaults(7);
        LogWorkload previous = new LogWorkload(2, 1_763_996_400_000L, 3_600_000L, 20_000);
        for (int i = 0; i < 20_000; i++) {
            byte[] source = msgpack.writeValueAsBytes(previous.event(previous.timestamp(i)));
            sampler.offer(source, source.length);
        }
        long trainStart = System.nanoTime();
        this.dictionary = sampler.train().orElseThrow();
        System.out.printf("dictionary: %d bytes trained from %d samples in %.0f ms%n", dictionary.length,
                sampler.sampleCount(), (System.nanoTime() - trainStart) / 1e6);
    }

    public static void main(String[] args) throws Exception {
        List<String> options = Arrays.asList(args);
        boolean quick = options.contains("--quick");
        int count = options.contains("--count") ? Integer.parseInt(options.get(options.indexOf("--count") + 1))
                : quick ? 20_000 : 200_000;
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "engine-bench");
        System.out.printf("# Engine benchmark%n%njava %s (%s), %d cores, %d documents, batches of %d, dir %s%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), count, BATCH, dir);
        EngineBench bench = new EngineBench(dir, count);
        System.out.printf("documents: %.0f B JSON, %.0f B MessagePack on average%n%n",
                (double) bench.jsonBytes / count, (double) bench.msgpackBytes / count);
        bench.compression();
        try (FormatV2Bench v2 = new FormatV2Bench(dir, bench.docs, bench.jsonBytes, bench.msgpackBytes,
                bench.dictionary)) {
            v2.compaction();
            bench.append();
            v2.reads(bench.needleTraceId());
        }
        deleteAll(dir);
    }

    /** The trace_id of the document at 5/8 of the data (as PeersBench picks the needle of query 4). */
    private String needleTraceId() throws IOException {
        byte[] source = docs.get(QuerySet.needleIndex(docs.size())).source();
        return new ObjectMapper(new MessagePackFactory()).readTree(source).get("trace_id").asText();
    }

    private void compression() throws IOException {
        byte[] all = new byte[(int) msgpackBytes];
        int at = 0;
        for (NewDocument doc : docs) {
            System.arraycopy(doc.source(), 0, all, at, doc.source().length);
            at += doc.source().length;
        }
        long wholeFile = Zstd.compress(all, 3).length;
        long noDictionary = segmentSize("cmp-plain", Codec.ZSTD, null);
        long withDictionary = segmentSize("cmp-dict", Codec.ZSTD, dictionary);
        long none = segmentSize("cmp-none", Codec.NONE, null);
        System.out.println("## Compression (zstd level 3; bytes on disk, whole segment file incl. index)");
        System.out.println("| layout | bytes/doc | vs raw JSON | vs whole-file zstd |");
        System.out.println("|---|---|---|---|");
        row("raw JSON", jsonBytes, wholeFile);
        row("MessagePack, codec none", none, wholeFile);
        row("per-record zstd, no dictionary", noDictionary, wholeFile);
        row("per-record zstd + dictionary (format v1 as written before issue 13)", withDictionary, wholeFile);
        row("whole-file zstd of the MessagePack (baseline, no random access)", wholeFile, wholeFile);
        System.out.println();
    }

    private void row(String name, long bytes, long wholeFile) {
        System.out.printf("| %s | %.0f | %.2fx smaller | %.2f |%n", name, (double) bytes / docs.size(),
                (double) jsonBytes / bytes, (double) bytes / wholeFile);
    }

    private long segmentSize(String id, Codec codec, byte[] dict) throws IOException {
        try (SealedSegment sealed = sealedSegment(dir, id, codec, dict, docs)) {
            return sealed.sizeBytes();
        }
    }

    /** The documents appended to a new active segment in batches (fsync never), sealed as the writer seals. */
    static SealedSegment sealedSegment(Path dir, String id, Codec codec, byte[] dict, List<NewDocument> docs)
            throws IOException {
        ActiveSegment active = ActiveSegment.create(dir, SegmentHeader.create(id, 1L, codec,
                codec == Codec.ZSTD ? 3 : 0, 0, dict), DurabilityMode.NEVER, InstantSource.system());
        for (int i = 0; i < docs.size(); i += BATCH) {
            active.append(docs.subList(i, Math.min(docs.size(), i + BATCH)));
        }
        return active.seal();
    }

    private void append() throws Exception {
        System.out.println("## Append (batches of " + BATCH + ", one thread unless noted)");
        System.out.println("| variant | docs/s | JSON MB/s | raw-write baseline docs/s | ratio to baseline |");
        System.out.println("|---|---|---|---|---|");
        for (DurabilityMode mode : List.of(DurabilityMode.NEVER, DurabilityMode.ALWAYS)) {
            int n = mode == DurabilityMode.ALWAYS ? Math.min(docs.size(), 50_000) : docs.size();
            double baseline = rawWrite(n, mode == DurabilityMode.ALWAYS);
            for (Codec codec : Codec.values()) {
                double rate = appendRate(("app-" + mode + "-" + codec).toLowerCase(), codec, mode, n, 1);
                System.out.printf("| %s, fsync %s | %.0f | %.1f | %.0f | %.2f |%n", writePath(codec),
                        mode.name().toLowerCase(), rate, rate * jsonBytes / docs.size() / 1e6, baseline,
                        rate / baseline);
            }
        }
        int n = Math.min(docs.size(), 50_000);
        double baseline = rawWrite(n, true);
        for (Codec codec : Codec.values()) {
            double grouped = appendRate("app-group-" + codec.label(), codec, DurabilityMode.ALWAYS, n, 4);
            System.out.printf("| %s, fsync always, 4 threads (group commit) | %.0f | %.1f | %.0f | %.2f |%n",
                    writePath(codec), grouped, grouped * jsonBytes / docs.size() / 1e6, baseline, grouped / baseline);
        }
        System.out.println();
    }

    /** What an active segment with this codec is: the v1 write path compressed, the v2 one does not. */
    private static String writePath(Codec codec) {
        return codec == Codec.ZSTD ? "zstd + dictionary (format v1 write path)"
                : "codec none (format v2 write path: active segment uncompressed)";
    }

    private double appendRate(String id, Codec codec, DurabilityMode mode, int n, int threads) throws Exception {
        ActiveSegment active = ActiveSegment.create(dir, SegmentHeader.create(id, 1L, codec, 3, 0,
                codec == Codec.ZSTD ? dictionary : null), mode, InstantSource.system());
        ReentrantLock writer = new ReentrantLock();
        int[] next = {0};
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    while (true) {
                        long ticket;
                        writer.lock();
                        try {
                            if (next[0] >= n) {
                                return;
                            }
                            int from = next[0];
                            next[0] = Math.min(n, from + BATCH);
                            ticket = active.write(docs.subList(from, next[0]));
                        } finally {
                            writer.unlock();
                        }
                        active.awaitDurable(ticket);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        active.seal().close();
        return n / seconds;
    }

    /** Physical anchor: the same MessagePack bytes written sequentially, fsync per batch or never. */
    private double rawWrite(int n, boolean fsync) throws IOException {
        Path file = dir.resolve("raw-" + fsync);
        long start = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < n; i += BATCH) {
                int end = Math.min(n, i + BATCH);
                int size = 0;
                for (int j = i; j < end; j++) {
                    size += docs.get(j).source().length;
                }
                ByteBuffer buffer = ByteBuffer.allocate(size);
                for (int j = i; j < end; j++) {
                    buffer.put(docs.get(j).source());
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (fsync) {
                    channel.force(false);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.delete(file);
        return n / seconds;
    }

    /** Physical anchor: sum every long of the mapped file (page cache warm). */
    static double mappedReadRate(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            long best = Long.MAX_VALUE;
            long sum = 0;
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                for (long at = 0; at + 8 <= data.byteSize(); at += 8) {
                    sum += data.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
                }
                best = Math.min(best, System.nanoTime() - start);
            }
            if (sum == 42) {
                System.out.print("");
            }
            return data.byteSize() / (best / 1e9) / 1e6;
        }
    }

    private static void deleteAll(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
