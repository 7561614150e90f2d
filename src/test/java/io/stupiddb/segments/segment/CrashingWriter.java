package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.testing.TestDocuments;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Child process for {@link CrashRecoveryTest}: appends batches from several threads with
 * fsync {@code always} and prints {@code ACK <id>} for every document only after its batch's
 * append returned, until it is killed.
 */
public final class CrashingWriter {
    private CrashingWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        ActiveSegment active = ActiveSegment.create(
                dir,
                SegmentHeader.create("crash", System.currentTimeMillis(), Codec.ZSTD, 3, 0, null),
                DurabilityMode.ALWAYS,
                InstantSource.system());
        TestDocuments ids = new TestDocuments(System.nanoTime());
        ReentrantLock writerLock = new ReentrantLock();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int worker = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (long n = 0; ; n++) {
                        List<NewDocument> batch = new ArrayList<>();
                        long ticket;
                        writerLock.lock();
                        try {
                            for (int i = 0; i < 1 + (n % 4); i++) {
                                var id = ids.nextId();
                                batch.add(new NewDocument(
                                        id, n, TestDocuments.msgpack(content(id.toString(), worker, n))));
                            }
                            ticket = active.write(batch);
                        } finally {
                            writerLock.unlock();
                        }
                        active.awaitDurable(ticket);
                        synchronized (out) {
                            for (NewDocument doc : batch) {
                                out.println("ACK " + doc.id());
                            }
                            out.flush();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(3);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    /** The document a given id carries, so the parent can check content without being told it. */
    static Map<String, Object> content(String id, int worker, long n) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id);
        doc.put("worker", worker);
        doc.put("n", n);
        doc.put("message", "payload for " + id + " ".repeat((int) (n % 50)));
        return doc;
    }
}
