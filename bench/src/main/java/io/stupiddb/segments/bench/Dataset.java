package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The workload of PeersBench, generated once per run into a file so that every system (each in
 * its own JVM) ingests exactly the same documents in the same order, streamed from the page
 * cache instead of held in the heap (which would hide the systems' own memory in peak RSS).
 *
 * <p>A record: timestamp (epoch ms), id (UUIDv7 layout: the first 48 bits are the timestamp, so a
 * time range is a key range for RocksDB and the partition is known from the id for PostgreSQL),
 * the MessagePack encoding (what this store and RocksDB ingest) and the JSON text (what
 * PostgreSQL and the HTTP API ingest) of the same {@link LogWorkload} event.
 */
public final class Dataset {
    public static final long HOUR = 3_600_000L;

    /** One document of the data set. */
    public record Doc(long timestamp, long idMsb, long idLsb, byte[] msgpack, byte[] json) {
        public UUID id() {
            return new UUID(idMsb, idLsb);
        }
    }

    public final Path file;
    public final int count;
    public final long start;
    public final long span;

    public Dataset(Path file, int count, long start, long span) {
        this.file = file;
        this.count = count;
        this.start = start;
        this.span = span;
    }

    /** Writes {@code count} events over [start, start + span) to {@code file}; same seed, same bytes. */
    public static Dataset generate(Path file, int count, long start, long span) throws IOException {
        return generate(file, count, start, span, false);
    }

    /**
     * Like {@link #generate(Path, int, long, long)}, but with keys a load tool can compute from
     * the document's number i alone (pgbench in WireBench): timestamp {@code start + i * (span /
     * count)} exactly, id low half {@code 0x8000000000000000 | i}.
     */
    public static Dataset generateRegular(Path file, int count, long start, long span) throws IOException {
        return generate(file, count, start, span, true);
    }

    private static Dataset generate(Path file, int count, long start, long span, boolean regular) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
        LogWorkload workload = new LogWorkload(42, start, span, count);
        SplittableRandom ids = new SplittableRandom(43);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            for (int i = 0; i < count; i++) {
                long ts = regular ? start + i * (span / count) : workload.timestamp(i);
                ObjectNode event = workload.event(ts);
                byte[] mp = msgpack.writeValueAsBytes(event);
                byte[] js = json.writeValueAsBytes(event);
                out.writeLong(ts);
                out.writeLong((ts << 16) | 0x7000L | (i & 0xFFF));
                out.writeLong(regular ? 0x8000_0000_0000_0000L | i
                        : 0x8000_0000_0000_0000L | ((long) i << 22) | ids.nextInt(1 << 22));
                out.writeInt(mp.length);
                out.write(mp);
                out.writeInt(js.length);
                out.write(js);
            }
        }
        return new Dataset(file, count, start, span);
    }

    /** Streams the first {@code limit} documents in batches. */
    public Reader reader(int limit) throws IOException {
        return new Reader(limit);
    }

    public final class Reader implements AutoCloseable {
        private final DataInputStream in;
        private final int limit;
        private int read;

        private Reader(int limit) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20));
            this.limit = Math.min(limit, count);
        }

        /** The next up to {@code n} documents; empty at the end. */
        public List<Doc> next(int n) throws IOException {
            List<Doc> batch = new ArrayList<>(Math.min(n, limit - read));
            while (batch.size() < n && read < limit) {
                try {
                    long ts = in.readLong();
                    long msb = in.readLong();
                    long lsb = in.readLong();
                    byte[] mp = new byte[in.readInt()];
                    in.readFully(mp);
                    byte[] js = new byte[in.readInt()];
                    in.readFully(js);
                    batch.add(new Doc(ts, msb, lsb, mp, js));
                    read++;
                } catch (EOFException e) {
                    throw new IOException("data set " + file + " ends after " + read + " documents", e);
                }
            }
            return batch;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
