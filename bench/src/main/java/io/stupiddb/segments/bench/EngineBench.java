package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.NewDocument;
import io.stupiddb.segments.segment.ScanSpec;
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
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Engine hot paths measured side by side in one run, each against a physical baseline on the
 * same bytes: append (vs raw sequential FileChannel writes with the same fsync policy), get by
 * id, full scan (vs summing the mapped bytes), and compression (vs whole-file zstd).
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
        boolean quick = Arrays.asList(args).contains("--quick");
        int count = quick ? 20_000 : 200_000;
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "engine-bench");
        System.out.printf("# Engine benchmark%n%njava %s (%s), %d cores, %d documents, batches of %d, dir %s%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), count, BATCH, dir);
        EngineBench bench = new EngineBench(dir, count);
        System.out.printf("documents: %.0f B JSON, %.0f B MessagePack on average%n%n",
                (double) bench.jsonBytes / count, (double) bench.msgpackBytes / count);
        bench.compression();
        bench.append();
        bench.readPaths();
        deleteAll(dir);
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
        row("per-record zstd + dictionary (ours)", withDictionary, wholeFile);
        row("whole-file zstd of the MessagePack (baseline, no random access)", wholeFile, wholeFile);
        System.out.println();
    }

    private void row(String name, long bytes, long wholeFile) {
        System.out.printf("| %s | %.0f | %.2fx smaller | %.2f |%n", name, (double) bytes / docs.size(),
                (double) jsonBytes / bytes, (double) bytes / wholeFile);
    }

    private long segmentSize(String id, Codec codec, byte[] dict) throws IOException {
        ActiveSegment active = ActiveSegment.create(dir, SegmentHeader.create(id, 1L, codec, 3, 0, dict),
                DurabilityMode.NEVER, InstantSource.system());
        for (int i = 0; i < docs.size(); i += BATCH) {
            active.append(docs.subList(i, Math.min(docs.size(), i + BATCH)));
        }
        SealedSegment sealed = active.seal();
        long size = sealed.sizeBytes();
        sealed.close();
        return size;
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
                System.out.printf("| %s, fsync %s | %.0f | %.1f | %.0f | %.2f |%n", codec.label(),
                        mode.name().toLowerCase(), rate, rate * jsonBytes / docs.size() / 1e6, baseline,
                        rate / baseline);
            }
        }
        int n = Math.min(docs.size(), 50_000);
        double baseline = rawWrite(n, true);
        double grouped = appendRate("app-group", Codec.ZSTD, DurabilityMode.ALWAYS, n, 4);
        System.out.printf("| zstd, fsync always, 4 threads (group commit) | %.0f | %.1f | %.0f | %.2f |%n", grouped,
                grouped * jsonBytes / docs.size() / 1e6, baseline, grouped / baseline);
        System.out.println();
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

    private void readPaths() throws IOException {
        System.out.println("## Reads from one sealed segment (zstd + dictionary), one thread");
        ActiveSegment active = ActiveSegment.create(dir, SegmentHeader.create("reads", 1L, Codec.ZSTD, 3, 0,
                dictionary), DurabilityMode.NEVER, InstantSource.system());
        for (int i = 0; i < docs.size(); i += BATCH) {
            active.append(docs.subList(i, Math.min(docs.size(), i + BATCH)));
        }
        SealedSegment sealed = active.seal();
        SplittableRandom random = new SplittableRandom(3);
        int gets = Math.min(200_000, docs.size() * 2);
        for (int i = 0; i < gets / 4; i++) { // warm-up
            sealed.get(docs.get(random.nextInt(docs.size())).id()).orElseThrow();
        }
        long[] latencies = new long[gets];
        long start = System.nanoTime();
        for (int i = 0; i < gets; i++) {
            long t0 = System.nanoTime();
            sealed.get(docs.get(random.nextInt(docs.size())).id()).orElseThrow();
            latencies[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        System.out.printf("get by id: %.0f gets/s, p50 %.1f µs, p99 %.1f µs (%d random gets)%n", gets / seconds,
                latencies[gets / 2] / 1e3, latencies[gets * 99 / 100] / 1e3, gets);
        for (int round = 0; round < 2; round++) { // first round warms up
            start = System.nanoTime();
            long scanned = 0;
            long bytes = 0;
            try (DocumentCursor cursor = sealed.scan(ScanSpec.ALL)) {
                while (cursor.advance()) {
                    scanned++;
                    bytes += cursor.source().remaining();
                }
            }
            seconds = (System.nanoTime() - start) / 1e9;
            double anchor = mappedReadRate(sealed.path());
            if (round == 1) {
                System.out.printf("full scan (checksum + decompress every record): %.0f docs/s, %.0f MB/s of "
                                + "MessagePack, %.0f MB/s of file; raw mmap read of the same file: %.0f MB/s "
                                + "(ratio %.2f)%n", scanned / seconds, bytes / seconds / 1e6,
                        sealed.sizeBytes() / seconds / 1e6, anchor, sealed.sizeBytes() / seconds / 1e6 / anchor);
            }
        }
        sealed.close();
        System.out.println();
    }

    /** Physical anchor: sum every long of the mapped file (page cache warm). */
    private static double mappedReadRate(Path file) throws IOException {
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
