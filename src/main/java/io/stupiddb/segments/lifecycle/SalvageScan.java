package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.ColumnLocator;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.FormatVersion;
import io.stupiddb.segments.format.PayloadDecompressor;
import io.stupiddb.segments.format.RecordFrame;
import io.stupiddb.segments.format.SegmentFooter;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.format.SegmentIndex;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.segment.NewDocument;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads every intact record out of a damaged segment file, sealed ({@code .seg}) or active
 * ({@code .active}, no index), for salvage: records are found by walking the file from the
 * header, and past a damaged one by resynchronising on the next offset where a whole record
 * passes its checksum (a false match is a 1 in 2^32 event, and ids must still increase). The
 * header must be readable: it names the segment and holds the dictionary the payloads need.
 *
 * <p>When footer and index are intact, the index lists every document the segment held, so the
 * lost ones are known exactly ({@link Found#lost}); otherwise only what was found is known.
 *
 * <p>Stateless; the file is mapped for the call only.
 */
final class SalvageScan {
    /**
     * @param header  the segment's header (id, codec, dictionary)
     * @param intact  the documents whose records passed every check, in id order
     * @param indexed every id the index lists, when the index could be read
     */
    record Found(SegmentHeader header, List<NewDocument> intact, Optional<List<UUID>> indexed) {
        /** Ids the index lists but no intact record holds; empty when the index was unreadable. */
        List<UUID> lost() {
            if (indexed.isEmpty()) {
                return List.of();
            }
            java.util.Set<UUID> kept = new java.util.HashSet<>();
            intact.forEach(d -> kept.add(d.id()));
            return indexed.get().stream().filter(id -> !kept.contains(id)).toList();
        }
    }

    private SalvageScan() {}

    /** @throws CorruptSegmentException when the header is unreadable: nothing can be salvaged */
    static Found read(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            SegmentHeader header = SegmentHeader.decode(data, file);
            long limit = data.byteSize();
            Optional<List<UUID>> indexed = Optional.empty();
            try {
                long indexEnd = data.byteSize() - SegmentFooter.SIZE;
                if (header.version() >= FormatVersion.V2) {
                    indexEnd = ColumnLocator.decode(data, file, header.encodedLength())
                            .offset();
                }
                SegmentFooter footer = SegmentFooter.decode(data, file, header.encodedLength(), indexEnd);
                footer.verifyIndex(data, file);
                List<UUID> ids = new ArrayList<>();
                for (long i = 0; i < footer.documents(); i++) {
                    ids.add(new UUID(
                            SegmentIndex.entryMsb(data, footer.indexOffset(), i),
                            SegmentIndex.entryLsb(data, footer.indexOffset(), i)));
                }
                indexed = Optional.of(ids);
                limit = footer.indexOffset();
            } catch (CorruptSegmentException | IndexOutOfBoundsException e) {
                // An active file, or a damaged footer or index: walk to the end of the file.
            }
            try (PayloadDecompressor decompressor = new PayloadDecompressor(header, file)) {
                return new Found(header, walk(data, header.encodedLength(), limit, decompressor), indexed);
            }
        }
    }

    private static List<NewDocument> walk(MemorySegment data, long from, long limit, PayloadDecompressor decompressor) {
        List<NewDocument> intact = new ArrayList<>();
        UUID previous = null;
        long offset = from;
        while (offset + RecordFrame.OVERHEAD <= limit) {
            long length = RecordFrame.check(data, offset, limit);
            if (length < 0) {
                offset++; // resynchronise on the next whole record
                continue;
            }
            UUID id = new UUID(RecordFrame.idMsb(data, offset), RecordFrame.idLsb(data, offset));
            if (previous == null || DocumentIds.compare(previous, id) < 0) {
                try {
                    intact.add(new NewDocument(
                            id, RecordFrame.timestamp(data, offset), decompressor.decode(data, offset)));
                    previous = id;
                } catch (CorruptSegmentException e) {
                    // checksum matched but the payload does not decompress: lost
                }
            }
            offset += length;
        }
        return intact;
    }
}
