package io.stupiddb.segments.api;

import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.service.cluster.ClusterDocuments;
import io.stupiddb.segments.service.cluster.PeerClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code GET /api/v1/documents/{id}} for the common case, answered on the Vert.x router in front of
 * Quarkus REST: a document of this node's own files or memory, asked for as JSON or MessagePack in
 * the plain ways ({@code Accept} absent, {@code *}/{@code *}, {@code application/json} or
 * {@code application/msgpack}). Quarkus REST's per-request work (its request context, filter
 * chain, content negotiation, the {@code Response} and {@code Uni}) was the largest part of a
 * local GET after the document's own read and rendering; at 16 connections this route answered
 * 19-36 % more GETs a second (docs/BENCHMARKS.md, round 4).
 *
 * <p>It answers nothing else: every other request (another {@code Accept}, a body type, a get
 * forwarded by a peer or owned by another node, an id in the cold tier's range, an id that does not
 * parse, a document not found, a failed read or rendering, an API key missing or wrong) goes on to
 * {@link DocumentsResource#get}, which answers it exactly as before, its problem documents included.
 * Its answer is the resource's: the same body ({@link DocumentAnswerBody}), {@code Content-Type} and
 * {@code Content-Length}, the same get timer; Micrometer names the route
 * {@code /api/v1/documents/{id}} as it names the resource's. Runs on the I/O thread, as the resource's
 * local gets do.
 */
@ApplicationScoped
public class DocumentGetRoute {
    private final ClusterDocuments documents;
    private final ApiKeyFilter apiKey;
    private final LongAdder answered = new LongAdder();

    DocumentGetRoute(ClusterDocuments documents, ApiKeyFilter apiKey) {
        this.documents = documents;
        this.apiKey = apiKey;
    }

    void register(@Observes Router router) {
        router.get("/api/v1/documents/:id").handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Optional<String> answerType = answerType(
                request.getHeader(HttpHeaders.ACCEPT),
                request.getHeader(HttpHeaders.CONTENT_TYPE),
                request.getHeader(PeerClient.FORWARDED));
        Buffer body = null;
        if (answerType.isPresent() && apiKey.accepts(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            try {
                body = localDocument(ctx.pathParam("id"), answerType.get());
            } catch (IOException | RuntimeException e) {
                body = null; // the resource reads it again and answers the failure as it always has
            }
        }
        if (body == null) {
            ctx.next();
            return;
        }
        answered.increment();
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, answerType.get()).end(body);
    }

    /** The body of a document read from this node, or null when the resource should answer. */
    private Buffer localDocument(String idText, String answerType) throws IOException {
        UUID id = DocumentIds.parse(idText);
        if (documents.getMayWait(id, false)) {
            return null;
        }
        Optional<StoredDocument> doc = documents.getHere(id);
        return doc.isEmpty() ? null : DocumentAnswerBody.of(doc.get(), answerType);
    }

    /**
     * The type this route answers a request with these headers in, or empty when the resource
     * should: only the plain asks, so that content negotiation in all its other forms (q-values,
     * lists, wildcards by type, aliases, malformed headers) stays the resource's.
     */
    static Optional<String> answerType(String accept, String contentType, String forwarded) {
        if (contentType != null || forwarded != null) {
            return Optional.empty();
        }
        if (accept == null || accept.equals("*/*") || accept.equals(ApiMediaTypes.JSON)) {
            return Optional.of(ApiMediaTypes.JSON);
        }
        if (accept.equals(ApiMediaTypes.MSGPACK)) {
            return Optional.of(ApiMediaTypes.MSGPACK);
        }
        return Optional.empty();
    }

    /** How many GETs this route answered itself (the rest went on to the resource). */
    long answered() {
        return answered.sum();
    }
}
