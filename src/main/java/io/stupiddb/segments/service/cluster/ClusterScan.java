package io.stupiddb.segments.service.cluster;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.service.codec.DocumentEncoder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Scatter-gather for a cluster scan: one ordered stream of documents per node (the local
 * cursor, and each peer's NDJSON response read as it arrives), merged in id order with a
 * priority queue that holds one head document per node, so memory stays bounded whatever the
 * result size. Ids are unique across nodes (each carries its node's number), so the merge
 * order is total and the next cursor is simply each node's last id emitted.
 */
public final class ClusterScan {
    private static final JsonFactory JSON = DocumentEncoder.jsonFactory();

    /** One document of a node's stream: its id and its API JSON ({@code {"id",…,"source"}}). */
    public record Line(int node, UUID id, String json) {}

    /** A node's documents in id order; {@link #next()} returns null at the end. */
    public interface Source extends AutoCloseable {
        Line next() throws IOException;

        @Override
        void close();
    }

    /** Where merged documents go, in id order. */
    @FunctionalInterface
    public interface Sink {
        void accept(Line line) throws IOException;
    }

    /** What a merge did: each node's last id emitted, the nodes that failed, whether more is left. */
    public record Result(Map<Integer, UUID> positions, List<Integer> missing, boolean more) {}

    private ClusterScan() {}

    /**
     * Merges the sources into {@code sink}, at most {@code limit} documents (null: all). A node
     * whose stream breaks is dropped and reported in {@code missing} when {@code partial}, else
     * the merge fails with {@link PeerUnavailableException}. Closes every source.
     */
    public static Result merge(Map<Integer, Source> sources, Integer limit, boolean partial, Sink sink)
            throws IOException {
        PriorityQueue<Line> heads = new PriorityQueue<>(Comparator.comparing(Line::id, DocumentIds.ORDER));
        Map<Integer, UUID> positions = new TreeMap<>();
        List<Integer> missing = new ArrayList<>();
        Map<Integer, Source> open = new LinkedHashMap<>(sources);
        try {
            for (Map.Entry<Integer, Source> source : sources.entrySet()) {
                pull(source.getKey(), open, heads, missing, partial);
            }
            long emitted = 0;
            while (!heads.isEmpty() && (limit == null || emitted < limit)) {
                Line line = heads.poll();
                sink.accept(line);
                positions.put(line.node(), line.id());
                emitted++;
                pull(line.node(), open, heads, missing, partial);
            }
            return new Result(positions, missing, !heads.isEmpty());
        } finally {
            for (Source source : open.values()) {
                source.close();
            }
        }
    }

    private static void pull(
            int node, Map<Integer, Source> open, PriorityQueue<Line> heads, List<Integer> missing, boolean partial) {
        Source source = open.get(node);
        if (source == null) {
            return;
        }
        try {
            Line next = source.next();
            if (next != null) {
                heads.add(next);
            } else {
                open.remove(node).close();
            }
        } catch (IOException | UncheckedIOException | PeerUnavailableException e) {
            open.remove(node).close();
            if (!partial) {
                PeerUnavailableException failure = new PeerUnavailableException(
                        List.of(node),
                        "node " + node + " failed during the scan: " + e.getMessage()
                                + " (retry, or ask with partial=true)");
                failure.initCause(e);
                throw failure;
            }
            missing.add(node);
        }
    }

    /** This node's documents, from a store cursor, as API JSON lines. */
    public static Source local(int node, DocumentCursor cursor) {
        return new Source() {
            @Override
            public Line next() throws IOException {
                if (!cursor.advance()) {
                    return null;
                }
                StringWriter text = new StringWriter(512);
                try (var generator = JSON.createGenerator(text)) {
                    DocumentEncoder.writeDocument(generator, cursor.document());
                }
                return new Line(node, cursor.id(), text.toString());
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    /** A peer's NDJSON response, read line by line as it arrives. */
    public static Source remote(int node, InputStream body) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        return new Source() {
            @Override
            public Line next() throws IOException {
                String line;
                do {
                    line = lines.readLine();
                } while (line != null && line.isBlank());
                return line == null ? null : new Line(node, idOf(line), line);
            }

            @Override
            public void close() {
                try {
                    lines.close(); // also aborts the exchange when the merge stopped early
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        };
    }

    /** The {@code id} field of a document line (the encoder writes it first; any position works). */
    static UUID idOf(String line) throws IOException {
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("peer sent a line that is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("id")) {
                    return DocumentIds.parse(parser.getText());
                }
                parser.skipChildren();
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("peer sent a document with a bad id: " + e.getMessage(), e);
        }
        throw new IOException("peer sent a document without an id");
    }
}
