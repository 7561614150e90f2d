package io.stupiddb.segments.service.cluster;

import io.micrometer.core.instrument.Timer;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.query.PageToken;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.service.StoreMetrics;
import io.stupiddb.segments.service.StoreService;
import io.stupiddb.segments.service.codec.DocumentEncoder;
import io.stupiddb.segments.store.ClassedStore;
import io.stupiddb.segments.store.ScanPage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Documents as the whole cluster holds them (SPEC §9): a get is served by the node that owns
 * the id, a scan by every node, merged. A request another node sent ({@code forwarded}) and any
 * request to a node without peers is answered from this node's store alone, so requests never
 * loop.
 *
 * <p>Scatter-gather: peers are asked in parallel for their NDJSON stream, each from its own
 * position in the cursor, and all of them have answered (or failed) before the first byte goes
 * out, so a node that does not answer is a clean 503 ({@link PeerUnavailableException}), or,
 * with {@code partial=true}, listed under {@code missing}. {@link ClusterScan} then merges the
 * streams in id order. Thread-safe (stateless beyond its injected beans).
 */
@ApplicationScoped
public class ClusterDocuments {
    private static final String NDJSON = "application/x-ndjson";

    private final StoreService service;
    private final StoreMetrics metrics;
    private final PeerClient peers;

    @Inject
    public ClusterDocuments(StoreService service, StoreMetrics metrics, PeerClient peers) {
        this.service = service;
        this.metrics = metrics;
        this.peers = peers;
    }

    /** Where a scan streams its documents, one NDJSON line each, in id order. */
    @FunctionalInterface
    public interface DocumentStream {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * The owner's answer to a get of {@code id} when another node owns it (and this request was
     * not itself forwarded); empty when this node serves it.
     *
     * @throws PeerUnavailableException when the owner does not answer
     */
    public Optional<HttpResponse<byte[]>> forwardGet(UUID id, boolean forwarded, String accept) {
        if (!ownedElsewhere(id, forwarded)) {
            return Optional.empty();
        }
        return Optional.of(peers.forward(DocumentIds.nodeOf(id), "/api/v1/documents/" + id, accept));
    }

    /** Whether a get of {@code id} goes to another node ({@link #forwardGet}); in memory. */
    public boolean ownedElsewhere(UUID id, boolean forwarded) {
        Peers cluster = peers.peers();
        return DocumentIds.nodeOf(id) != cluster.self() && cluster.clustered() && !forwarded;
    }

    /**
     * Whether a get of {@code id} may wait on another node or on the object store; if not, it reads
     * only this node's files and memory (microseconds) and may run on an I/O thread. In memory.
     */
    public boolean getMayWait(UUID id, boolean forwarded) {
        return ownedElsewhere(id, forwarded) || service.store().getMayFetchRemotely(id);
    }

    /** {@code id} read from this node's store, timed by the get timer when found. */
    public Optional<StoredDocument> getHere(UUID id) throws IOException {
        Timer.Sample sample = Timer.start();
        Optional<StoredDocument> doc = service.store().get(id);
        if (doc.isPresent()) {
            sample.stop(metrics.getTimer());
        }
        return doc;
    }

    /** One page of at most {@code limit} documents. @throws PeerUnavailableException see the class comment */
    public DocumentPage page(ScanRequest request, int limit, boolean forwarded) {
        if (fansOut(forwarded)) {
            return mergedPage(request, limit);
        }
        ClassedStore store = service.store();
        int node = store.config().nodeId();
        Timer.Sample sample = Timer.start();
        ScanPage page = store.page(request.spec(node), limit, request.partial());
        sample.stop(metrics.scanTimer());
        return new DocumentPage.Local(
                page.documents(),
                Optional.ofNullable(page.next()).map(last -> nextCursor(request, Map.of(node, last))),
                page.skipped());
    }

    /**
     * Every match (up to the request's limit, if it has one), streamed as it is read: locally one
     * segment open at a time, in a cluster one document per node in memory.
     *
     * @throws PeerUnavailableException see the class comment
     */
    public DocumentStream stream(ScanRequest request, boolean forwarded) {
        if (fansOut(forwarded)) {
            Gathered gathered = gather(request, request.limit());
            return out -> timed(() ->
                    ClusterScan.merge(gathered.sources(), boxed(request.limit()), request.partial(), line -> {
                        out.write(line.json().getBytes(StandardCharsets.UTF_8));
                        out.write('\n');
                    }));
        }
        ClassedStore store = service.store();
        OptionalInt limit = request.limit();
        return out -> timed(() -> {
            try (DocumentCursor cursor = store.scan(request.spec(store.config().nodeId()), request.partial());
                    DocumentEncoder.NdjsonWriter writer = DocumentEncoder.ndjson(out)) {
                long sent = 0;
                while ((limit.isEmpty() || sent < limit.getAsInt()) && cursor.advance()) {
                    writer.write(cursor);
                    if (++sent % 256 == 0) {
                        writer.flush();
                    }
                }
            }
            return null;
        });
    }

    private boolean fansOut(boolean forwarded) {
        return peers.peers().clustered() && !forwarded;
    }

    private DocumentPage mergedPage(ScanRequest request, int limit) {
        Gathered gathered = gather(request, OptionalInt.of(limit));
        List<ClusterScan.Line> documents = new ArrayList<>();
        ClusterScan.Result result;
        try {
            result = timed(() -> ClusterScan.merge(gathered.sources(), limit, request.partial(), documents::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Integer> missing = new ArrayList<>(gathered.missing());
        missing.addAll(result.missing());
        Optional<String> next = result.more() ? Optional.of(nextCursor(request, result.positions())) : Optional.empty();
        return new DocumentPage.Merged(documents, next, missing);
    }

    /** Every node's stream, open; the nodes that did not answer when {@code partial}. */
    private record Gathered(Map<Integer, ClusterScan.Source> sources, List<Integer> missing) {}

    private Gathered gather(ScanRequest request, OptionalInt limit) {
        Peers cluster = peers.peers();
        // One more than the page from every node: whether a next page exists is then known.
        OptionalInt peerLimit = limit.isPresent() ? OptionalInt.of(limit.getAsInt() + 1) : OptionalInt.empty();
        Map<Integer, CompletableFuture<InputStream>> pending = new TreeMap<>();
        try (ExecutorService fanout = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int node : cluster.others().keySet()) {
                String query = request.peerQuery(node, peerLimit);
                pending.put(node, CompletableFuture.supplyAsync(() -> peers.stream(node, query, NDJSON), fanout));
            }
        }
        Map<Integer, ClusterScan.Source> sources = new TreeMap<>();
        List<Integer> missing = new ArrayList<>();
        List<Integer> failed = new ArrayList<>();
        pending.forEach((node, future) -> {
            try {
                sources.put(node, ClusterScan.remote(node, future.join()));
            } catch (CompletionException e) {
                (request.partial() ? missing : failed).add(node);
            }
        });
        if (!failed.isEmpty()) {
            sources.values().forEach(ClusterScan.Source::close);
            throw new PeerUnavailableException(
                    failed, "node(s) " + failed + " did not answer the scan" + " (retry, or ask with partial=true)");
        }
        int self = cluster.self();
        sources.put(self, ClusterScan.local(self, service.store().scan(request.spec(self), request.partial())));
        return new Gathered(sources, missing);
    }

    /** The positions moved on ({@code moved}); other nodes' positions from the request's cursor are kept. */
    private static String nextCursor(ScanRequest request, Map<Integer, UUID> moved) {
        TreeMap<Integer, UUID> positions = new TreeMap<>();
        request.cursor().ifPresent(cursor -> positions.putAll(cursor.positions()));
        positions.putAll(moved);
        return new PageToken(positions).encode();
    }

    /** {@link ClusterScan}'s spelling of "no limit": null. */
    private static Integer boxed(OptionalInt limit) {
        return limit.isPresent() ? limit.getAsInt() : null;
    }

    /** Work that may fail with an {@link IOException}. */
    @FunctionalInterface
    private interface Io<T> {
        T run() throws IOException;
    }

    /** Runs a scan under the scan timer. */
    private <T> T timed(Io<T> scan) throws IOException {
        Timer.Sample sample = Timer.start();
        try {
            return scan.run();
        } finally {
            sample.stop(metrics.scanTimer());
        }
    }
}
