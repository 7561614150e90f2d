package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.PayloadDecompressor;
import io.stupiddb.segments.format.RecordFrame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One record of an active-segment scan, the same for the one-thread cursor and for each chunk of
 * {@link ParallelActiveCursor}: read it (checked, through windows of positional reads), skip it
 * when its timestamp is outside the range, otherwise decompress it into a reusable buffer and
 * test the filter. Not thread-safe: one per cursor or chunk.
 */
final class ActiveScanStep {
    private final ActiveRecordReader reader;
    private final PayloadDecompressor decompressor;
    private final ScanSpec spec;
    private byte[] source = new byte[1024];
    private long timestamp;

    ActiveScanStep(FileChannel channel, Path path, PayloadDecompressor decompressor, ScanSpec spec) {
        this.reader = new ActiveRecordReader(channel, path, ActiveRecordReader.SCAN_WINDOW);
        this.decompressor = decompressor;
        this.spec = spec;
    }

    /**
     * Reads record {@code ordinal} of {@code view}; its document when it matches the scan (a view
     * of this step's buffer, valid until the next call), else null.
     *
     * @throws io.stupiddb.segments.format.CorruptSegmentException when the record fails its checks
     */
    ByteBuffer match(ActiveIndex.View view, int ordinal) throws IOException {
        reader.read(view, ordinal);
        timestamp = RecordFrame.timestamp(reader.data(), 0);
        if (!spec.inRange(timestamp)) {
            return null;
        }
        int raw = RecordFrame.rawLength(reader.data(), 0);
        if (source.length < raw) {
            source = new byte[Math.max(raw, source.length * 2)];
        }
        decompressor.decode(reader.data(), 0, source);
        ByteBuffer candidate = ByteBuffer.wrap(source, 0, raw);
        return spec.filter().test(candidate.duplicate()) ? candidate : null;
    }

    /** The timestamp of the record last read. */
    long timestamp() {
        return timestamp;
    }
}
