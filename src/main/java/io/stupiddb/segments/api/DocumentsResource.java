package io.stupiddb.segments.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Timer;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.segment.RecordFilter;
import io.stupiddb.segments.store.ScanPage;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.ScanCursor;
import io.stupiddb.segments.query.TimeBounds;
import io.stupiddb.segments.service.StoreMetrics;
import io.stupiddb.segments.service.StoreService;
import io.stupiddb.segments.service.cluster.ClusterScan;
import io.stupiddb.segments.service.cluster.PeerClient;
import io.stupiddb.segments.service.cluster.PeerUnavailableException;
import io.stupiddb.segments.service.cluster.Peers;
import io.stupiddb.segments.service.codec.BodyFormat;
import io.stupiddb.segments.service.codec.DocumentDecoder;
import io.stupiddb.segments.service.codec.DocumentEncoder;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@code /api/v1/documents}: write, get by id, scan and search (SPEC §2). */
@Path("/api/v1/documents")
@Tag(name = "Documents")
public class DocumentsResource {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    private static final int MAX_SEARCH_BODY = 1 << 20;

    private final StoreService service;
    private final StoreMetrics metrics;
    private final PeerClient peers;
    private final DocumentDecoder decoder;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public DocumentsResource(StoreService service, StoreMetrics metrics, PeerClient peers) {
        this.service = service;
        this.metrics = metrics;
        this.peers = peers;
        this.decoder = DocumentDecoder.of(service.config());
    }

    @POST
    @Operation(summary = "Write one document or a batch", description = "The store assigns each document its id "
            + "and reads its event time from the top-level timestamp field (segments.timestamp-field; absent: "
            + "now). A batch (a JSON array, NDJSON, a MessagePack array) is all or nothing: if any element is "
            + "invalid, nothing is written and the problem names its index or line. Acknowledged after fsync "
            + "with segments.fsync=always. In a cluster, written on the node that receives it. Bodies: "
            + "docs/API-BODIES.md.")
    @RequestBody(required = true, description = "At most segments.max-request-size (default 16 MiB); each "
            + "document at most segments.max-document-size (default 1 MiB) as MessagePack", content = {
            @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(description = "One object, or a non-empty "
                    + "array of objects", oneOf = {ApiSchemas.Source.class, ApiSchemas.Source[].class}),
                    examples = {
                            @ExampleObject(name = "one", value = "{\"timestamp\":\"2026-11-29T16:00:08Z\","
                                    + "\"level\":\"error\",\"http\":{\"status\":503}}"),
                            @ExampleObject(name = "batch", value = "[{\"level\":\"info\"},{\"level\":\"warn\"}]")}),
            @Content(mediaType = ApiMediaTypes.NDJSON, schema = @Schema(type = SchemaType.STRING,
                    description = "One object per line, e.g. {\"level\":\"info\"}\\n{\"level\":\"warn\"}\\n; blank "
                            + "lines are skipped; always answered as a batch")),
            @Content(mediaType = ApiMediaTypes.MSGPACK, schema = @Schema(type = SchemaType.STRING, format = "binary",
                    description = "One map, or a non-empty array of maps (application/x-msgpack is accepted "
                            + "too)"))})
    @APIResponse(responseCode = "201", description = "Written. One document: Written, and Location names it; a "
            + "batch: WrittenBatch, in input order", headers = @Header(name = "Location",
            description = "One document only: its URL", schema = @Schema(type = SchemaType.STRING)), content = {
            @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(oneOf = {Views.Written.class,
                    Views.WrittenBatch.class})),
            @Content(mediaType = ApiMediaTypes.MSGPACK, schema = @Schema(oneOf = {Views.Written.class,
                    Views.WrittenBatch.class}))})
    @APIResponse(responseCode = "400", description = "`invalid-document`: not valid JSON, NDJSON or MessagePack, "
            + "not an object, an unsupported value, a bad timestamp field, an empty body or batch; detail names "
            + "the element (0-based) or line (1-based)")
    @APIResponse(responseCode = "406", description = "`http-406`: Accept allows neither JSON nor MessagePack; "
            + "nothing was written")
    @APIResponse(responseCode = "413", description = "`request-too-large`: body over segments.max-request-size; "
            + "`invalid-document` or `document-too-large`: a document over segments.max-document-size")
    @APIResponse(responseCode = "415", description = "`http-415`: Content-Type is not application/json, "
            + "application/x-ndjson or application/msgpack")
    @APIResponse(responseCode = "422", description = "`timestamp-out-of-range`: older than now - segments.retention, "
            + "or more than segments.max-clock-skew ahead")
    @APIResponse(responseCode = "503", description = "`unavailable`: recovering or shutting down")
    @APIResponse(responseCode = "507", description = "`insufficient-storage`: free disk below "
            + "segments.min-free-disk; reads go on")
    public Response write(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @Context HttpHeaders headers, @Context UriInfo uri) throws IOException {
        BodyFormat format = BodyFormat.ofMediaType(contentType).orElseThrow(() -> new NotSupportedException(
                "send application/json, application/x-ndjson or application/msgpack, not " + contentType));
        Timer.Sample sample = Timer.start();
        BufferedInputStream in = new BufferedInputStream(body, 8192);
        boolean batch = format == BodyFormat.NDJSON || startsWithArray(in, format);
        List<DocumentToWrite> documents = decoder.decode(in, format);
        List<WrittenDocument> written = service.store().write(documents);
        sample.stop(metrics.writeTimer());
        boolean msgpack = ApiMediaTypes.wantsMsgpack(headers);
        if (!batch) {
            WrittenDocument doc = written.getFirst();
            URI location = uri.getBaseUriBuilder().path("api/v1/documents").path(doc.id().toString()).build();
            return Response.created(location).type(msgpack ? ApiMediaTypes.MSGPACK : ApiMediaTypes.JSON)
                    .entity(Views.Written.of(doc)).build();
        }
        return Response.status(Response.Status.CREATED).type(msgpack ? ApiMediaTypes.MSGPACK : ApiMediaTypes.JSON)
                .entity(new Views.WrittenBatch(written.size(), written.stream().map(Views.Written::of).toList()))
                .build();
    }

    /** Whether the body's first significant byte opens an array (a batch) rather than one object. */
    private static boolean startsWithArray(BufferedInputStream in, BodyFormat format) throws IOException {
        in.mark(4096);
        try {
            int b;
            do {
                b = in.read();
            } while (format == BodyFormat.JSON && (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0xEF
                    || b == 0xBB || b == 0xBF));
            if (format == BodyFormat.JSON) {
                return b == '[';
            }
            return (b >= 0x90 && b <= 0x9F) || b == 0xDC || b == 0xDD;
        } finally {
            in.reset();
        }
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get one document", description = "The document with its id, event timestamp and "
            + "segment. In a cluster the node named in the id serves it: another node forwards the request and "
            + "passes the answer back; an owner that does not answer is a 503, never a false 404.")
    @Parameter(name = "id", in = ParameterIn.PATH, description = ApiSchemas.DOCUMENT_ID,
            example = "01a22809-05df-707d-8004-09e0baee3674")
    @Parameter(name = PeerClient.FORWARDED, in = ParameterIn.HEADER, hidden = true)
    @APIResponse(responseCode = "200", description = "The document", content = {
            @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(implementation = ApiSchemas.Document.class)),
            @Content(mediaType = ApiMediaTypes.MSGPACK, schema = @Schema(implementation = ApiSchemas.Document.class))})
    @APIResponse(responseCode = "400", description = "`invalid-id`: not a UUIDv7 in text form")
    @APIResponse(responseCode = "404", description = "`document-not-found`: never written, or its segment was "
            + "evicted")
    @APIResponse(responseCode = "406", description = "`http-406`: Accept allows neither JSON nor MessagePack")
    @APIResponse(responseCode = "500", description = "`corrupt-segment`: the record failed its checks; the segment "
            + "was quarantined")
    @APIResponse(responseCode = "503", description = "`node-unavailable`: cluster, the owner did not answer; "
            + "`segment-moved`: retry; `unavailable`: recovering or shutting down")
    public Response get(@PathParam("id") String idText, @HeaderParam(PeerClient.FORWARDED) String forwarded,
                        @Context HttpHeaders headers) throws IOException {
        UUID id = DocumentIds.parse(idText);
        int owner = DocumentIds.nodeOf(id);
        Peers cluster = peers.peers();
        if (owner != cluster.self() && cluster.clustered() && forwarded == null) {
            // The owner serves it; a forwarded request is never forwarded again.
            String accept = ApiMediaTypes.wantsMsgpack(headers) ? ApiMediaTypes.MSGPACK : ApiMediaTypes.JSON;
            var response = peers.forward(owner, "/api/v1/documents/" + id, accept);
            return Response.status(response.statusCode()).entity(response.body())
                    .type(response.headers().firstValue("Content-Type").orElse(accept)).build();
        }
        Timer.Sample sample = Timer.start();
        StoredDocument doc = service.store().get(id).orElseThrow(() -> new DocumentNotFoundException(idText));
        sample.stop(metrics.getTimer());
        boolean msgpack = ApiMediaTypes.wantsMsgpack(headers);
        JsonFactory factory = msgpack ? DocumentEncoder.msgpackFactory() : DocumentEncoder.jsonFactory();
        StreamingOutput output = out -> {
            try (JsonGenerator generator = factory.createGenerator(out)) {
                DocumentEncoder.writeDocument(generator, doc);
            }
        };
        return Response.ok(output, msgpack ? ApiMediaTypes.MSGPACK : ApiMediaTypes.JSON).build();
    }

    @GET
    @Operation(summary = "Scan a time range with a filter", description = "Documents whose event time is in "
            + "[from, to) and that match the filter, segment by segment, oldest first, in write (id) order, in "
            + "pages: send `next` back as `cursor` for the following page. The cursor survives rotation, "
            + "archiving, eviction (it continues with the next segment) and restarts. In a cluster every node "
            + "is asked and the answers merged in id order; the cursor carries each node's position.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = ApiSchemas.FROM, example = "2026-11-29T15:00:00Z")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = ApiSchemas.TO)
    @Parameter(name = "filter", in = ParameterIn.QUERY, description = ApiSchemas.FILTER + " (URL-encoded JSON)",
            example = "{\"http.status\":{\"$gte\":500}}")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = ApiSchemas.LIMIT,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "10000"))
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = ApiSchemas.CURSOR)
    @Parameter(name = "partial", in = ParameterIn.QUERY, description = ApiSchemas.PARTIAL,
            schema = @Schema(type = SchemaType.BOOLEAN))
    @Parameter(name = PeerClient.FORWARDED, in = ParameterIn.HEADER, hidden = true)
    @APIResponse(responseCode = "200", description = "A page (JSON, MessagePack), or every match streamed one document "
            + "a line (NDJSON, with Accept: application/x-ndjson; no cursor)", content = {
            @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(implementation = ApiSchemas.DocumentPage.class)),
            @Content(mediaType = ApiMediaTypes.MSGPACK,
                    schema = @Schema(implementation = ApiSchemas.DocumentPage.class)),
            @Content(mediaType = ApiMediaTypes.NDJSON, schema = @Schema(type = SchemaType.STRING,
                    description = "One Document per line"))})
    @APIResponse(responseCode = "400", description = "`invalid-time-range` (from, to), `invalid-filter` (detail "
            + "says where), `invalid-cursor`, `invalid-parameter` (limit, partial)")
    @APIResponse(responseCode = "406", description = "`http-406`: Accept allows none of JSON, MessagePack, NDJSON")
    @APIResponse(responseCode = "500", description = "`corrupt-segment`: a record failed its checks; the segment was "
            + "quarantined")
    @APIResponse(responseCode = "503", description = "`node-unavailable`: cluster, a node did not answer and partial "
            + "is not true; `segment-moved`: retry; `unavailable`: recovering or shutting down")
    @APIResponse(responseCode = "414", description = "`uri-too-long`: over 64 KiB; send the filter with POST "
            + "/api/v1/documents/search")
    public Response scan(@QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("filter") String filter, @QueryParam("limit") String limit,
                         @QueryParam("cursor") String cursor, @QueryParam("partial") String partial,
                         @HeaderParam(PeerClient.FORWARDED) String forwarded, @Context HttpHeaders headers) {
        return scan(ScanRequest.of(from, to, filter, limit, cursor, partial), forwarded, headers);
    }

    @POST
    @Path("search")
    @Operation(summary = "Scan, with the parameters in a JSON body", description = "The scan of GET "
            + "/api/v1/documents, for filters too long or awkward for a URI. An empty body is {}.")
    @RequestBody(description = "At most 1 MiB", content = @Content(mediaType = ApiMediaTypes.JSON,
            schema = @Schema(implementation = ApiSchemas.Search.class),
            example = "{\"filter\":{\"$or\":[{\"level\":\"error\"},{\"level\":\"warn\"}]},\"limit\":10}"))
    @Parameter(name = PeerClient.FORWARDED, in = ParameterIn.HEADER, hidden = true)
    @APIResponse(responseCode = "200", description = "A page (JSON, MessagePack), or every match streamed one document "
            + "a line (NDJSON, with Accept: application/x-ndjson; no cursor)", content = {
            @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(implementation = ApiSchemas.DocumentPage.class)),
            @Content(mediaType = ApiMediaTypes.MSGPACK,
                    schema = @Schema(implementation = ApiSchemas.DocumentPage.class)),
            @Content(mediaType = ApiMediaTypes.NDJSON, schema = @Schema(type = SchemaType.STRING,
                    description = "One Document per line"))})
    @APIResponse(responseCode = "400", description = "`invalid-time-range` (from, to), `invalid-filter` (detail "
            + "says where), `invalid-cursor`, `invalid-parameter` (limit, partial); `malformed-body`: not JSON; "
            + "`invalid-parameter`: not an object, an unknown field, a field of the wrong type")
    @APIResponse(responseCode = "406", description = "`http-406`: Accept allows none of JSON, MessagePack, NDJSON")
    @APIResponse(responseCode = "500", description = "`corrupt-segment`: a record failed its checks; the segment was "
            + "quarantined")
    @APIResponse(responseCode = "503", description = "`node-unavailable`: cluster, a node did not answer and partial "
            + "is not true; `segment-moved`: retry; `unavailable`: recovering or shutting down")
    @APIResponse(responseCode = "413", description = "`request-too-large`: the body is over 1 MiB")
    @APIResponse(responseCode = "415", description = "`http-415`: Content-Type is not application/json")
    public Response search(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @HeaderParam(PeerClient.FORWARDED) String forwarded, @Context HttpHeaders headers)
            throws IOException {
        if (BodyFormat.ofMediaType(contentType).filter(f -> f == BodyFormat.JSON).isEmpty()) {
            throw new NotSupportedException("send the search as application/json, not " + contentType);
        }
        byte[] bytes = body.readNBytes(MAX_SEARCH_BODY + 1);
        if (bytes.length > MAX_SEARCH_BODY) {
            throw new io.stupiddb.segments.service.codec.RequestTooLargeException(MAX_SEARCH_BODY);
        }
        long invalid = io.stupiddb.segments.service.codec.Utf8Validator.firstInvalid(bytes);
        if (invalid >= 0) {
            throw new InvalidParameterException("the search body is not valid UTF-8 (at byte " + invalid + ")");
        }
        JsonNode request = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
        if (request == null || !request.isObject()) {
            throw new InvalidParameterException("the search body must be a JSON object {\"from\",\"to\",\"filter\","
                    + "\"limit\",\"cursor\"}");
        }
        request.fieldNames().forEachRemaining(name -> {
            if (!List.of("from", "to", "filter", "limit", "cursor", "partial").contains(name)) {
                throw new InvalidParameterException("unknown search field '" + name + "'");
            }
        });
        JsonNode filter = request.get("filter");
        if (filter != null && !filter.isNull()) {
            Filter.parse(filter); // errors name the place inside the body's filter
        }
        return scan(ScanRequest.of(text(request, "from"), text(request, "to"),
                filter == null || filter.isNull() ? null : filter.toString(), text(request, "limit"),
                text(request, "cursor"), text(request, "partial")), forwarded, headers);
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new InvalidParameterException("search field '" + field + "' must be a string or number");
        }
        return value.asText();
    }

    /**
     * A validated scan request; {@code limit} null means "not given", {@code cursor} null "from the
     * start"; {@code filterJson} is kept to pass the filter on to peers.
     */
    private record ScanRequest(TimeBounds bounds, Filter filter, String filterJson, Integer limit, ScanCursor cursor,
                               boolean partial) {
        static ScanRequest of(String from, String to, String filter, String limit, String cursor, String partial) {
            checkUnicode(filter);
            return new ScanRequest(TimeBounds.parse(from, to), filter == null ? Filter.matchAll() : Filter.parse(filter),
                    filter, parseLimit(limit), cursor == null || cursor.isBlank() ? null : ScanCursor.decode(cursor),
                    parseFlag(partial, "partial"));
        }

        ScanSpec spec(UUID after) {
            return new ScanSpec(bounds.from(), bounds.to(), after, filter.isMatchAll() ? RecordFilter.ALL : filter::matches);
        }

        /** The query a peer answers from its own data: this node's limit rules, that node's position. */
        String peerQuery(UUID after, Integer peerLimit) {
            StringBuilder query = new StringBuilder("/api/v1/documents?");
            if (bounds.from() != TimeBounds.UNBOUNDED_FROM) {
                query.append("from=").append(bounds.from()).append('&');
            }
            if (bounds.to() != TimeBounds.UNBOUNDED_TO) {
                query.append("to=").append(bounds.to()).append('&');
            }
            if (filterJson != null) {
                query.append("filter=").append(URLEncoder.encode(filterJson, StandardCharsets.UTF_8)).append('&');
            }
            if (peerLimit != null) {
                query.append("limit=").append(peerLimit).append('&');
            }
            return query.toString();
        }
    }

    /**
     * Filters must be clean Unicode: the URL decoder turns invalid UTF-8 into U+FFFD and JSON
     * escapes can spell unpaired surrogates; both would silently match nothing, so they are a 400.
     */
    private static void checkUnicode(String filter) {
        if (filter == null) {
            return;
        }
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < filter.length()
                    && Character.isLowSurrogate(filter.charAt(i + 1));
            if (c == '\uFFFD' || (Character.isSurrogate(c) && !paired)) {
                throw new InvalidParameterException("the filter holds invalid UTF-8 or an unpaired surrogate at"
                        + " character " + i + " (U+" + String.format("%04X", (int) c) + ")");
            }
            if (paired) {
                i++;
            }
        }
    }

    private static boolean parseFlag(String text, String name) {
        if (text == null || text.isBlank()) {
            return false;
        }
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidParameterException(name + " must be true or false: '" + text + "'");
        };
    }

    private Response scan(ScanRequest request, String forwarded, HttpHeaders headers) {
        if (peers.peers().clustered() && forwarded == null) {
            return clusterScan(request, headers);
        }
        return scan(request, headers);
    }

    private Response scan(ScanRequest request, HttpHeaders headers) {
        SegmentStore store = service.store();
        int node = store.config().nodeId();
        ScanSpec spec = request.spec(request.cursor() == null ? null : request.cursor().after(node));
        if (ApiMediaTypes.wantsNdjson(headers)) {
            // Streamed as it is read: one segment open at a time, nothing collected.
            Integer limit = request.limit();
            StreamingOutput output = out -> {
                Timer.Sample sample = Timer.start();
                try (DocumentCursor cursor = store.scan(spec);
                     DocumentEncoder.NdjsonWriter writer = DocumentEncoder.ndjson(out)) {
                    long sent = 0;
                    while ((limit == null || sent < limit) && cursor.advance()) {
                        writer.write(cursor.document());
                        if (++sent % 256 == 0) {
                            writer.flush();
                        }
                    }
                } finally {
                    sample.stop(metrics.scanTimer());
                }
            };
            return Response.ok(output, ApiMediaTypes.NDJSON).build();
        }
        Timer.Sample sample = Timer.start();
        ScanPage page = store.page(spec, request.limit() == null ? DEFAULT_LIMIT : request.limit());
        sample.stop(metrics.scanTimer());
        String next = page.next() == null ? null : nextCursor(request.cursor(), node, page.next()).encode();
        boolean msgpack = ApiMediaTypes.wantsMsgpack(headers);
        JsonFactory factory = msgpack ? DocumentEncoder.msgpackFactory() : DocumentEncoder.jsonFactory();
        StreamingOutput output = out -> writePage(factory, out, page.documents(), next);
        return Response.ok(output, msgpack ? ApiMediaTypes.MSGPACK : ApiMediaTypes.JSON).build();
    }

    /** This node's position moves on; other nodes' positions (cluster cursors) are kept. */
    private static ScanCursor nextCursor(ScanCursor previous, int node, UUID last) {
        java.util.TreeMap<Integer, UUID> positions = new java.util.TreeMap<>();
        if (previous != null) {
            positions.putAll(previous.positions());
        }
        positions.put(node, last);
        return new ScanCursor(positions);
    }

    private static void writePage(JsonFactory factory, OutputStream out, List<StoredDocument> documents, String next)
            throws IOException {
        try (JsonGenerator generator = factory.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeArrayFieldStart("documents");
            for (StoredDocument doc : documents) {
                DocumentEncoder.writeDocument(generator, doc);
            }
            generator.writeEndArray();
            if (next == null) {
                generator.writeNullField("next");
            } else {
                generator.writeStringField("next", next);
            }
            generator.writeEndObject();
        }
    }

    /**
     * Scatter-gather: every node's matches, merged in id order, paged with a cursor that carries
     * each node's position. Peers are asked in parallel for their NDJSON stream, all before the
     * first byte goes out, so a node that does not answer is a clean 503 (or, with
     * {@code partial=true}, listed under {@code missing}).
     */
    private Response clusterScan(ScanRequest request, HttpHeaders headers) {
        Peers cluster = peers.peers();
        SegmentStore store = service.store();
        boolean ndjson = ApiMediaTypes.wantsNdjson(headers);
        Integer limit = ndjson ? request.limit() : Integer.valueOf(request.limit() == null ? DEFAULT_LIMIT
                : request.limit());
        // One more than the page from every node: whether a next page exists is then known.
        Integer peerLimit = limit == null ? null : limit + 1;
        Map<Integer, CompletableFuture<InputStream>> pending = new TreeMap<>();
        try (ExecutorService fanout = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int node : cluster.others().keySet()) {
                UUID after = request.cursor() == null ? null : request.cursor().after(node);
                String query = request.peerQuery(after, peerLimit)
                        + (after == null ? "" : "cursor=" + ScanCursor.of(node, after).encode());
                pending.put(node, CompletableFuture.supplyAsync(
                        () -> peers.stream(node, query, ApiMediaTypes.NDJSON), fanout));
            }
        }
        Map<Integer, ClusterScan.Source> sources = new TreeMap<>();
        List<Integer> missing = new ArrayList<>();
        List<Integer> failed = new ArrayList<>();
        pending.forEach((node, future) -> {
            try {
                sources.put(node, ClusterScan.remote(node, future.join()));
            } catch (java.util.concurrent.CompletionException e) {
                (request.partial() ? missing : failed).add(node);
            }
        });
        if (!failed.isEmpty()) {
            sources.values().forEach(ClusterScan.Source::close);
            throw new PeerUnavailableException(failed, "node(s) " + failed + " did not answer the scan"
                    + " (retry, or ask with partial=true)");
        }
        int self = cluster.self();
        sources.put(self, ClusterScan.local(self, store.scan(request.spec(
                request.cursor() == null ? null : request.cursor().after(self)))));
        if (ndjson) {
            StreamingOutput output = out -> {
                Timer.Sample sample = Timer.start();
                try {
                    ClusterScan.merge(sources, limit, request.partial(), line -> {
                        out.write(line.json().getBytes(StandardCharsets.UTF_8));
                        out.write('\n');
                    });
                } finally {
                    sample.stop(metrics.scanTimer());
                }
            };
            return Response.ok(output, ApiMediaTypes.NDJSON).build();
        }
        Timer.Sample sample = Timer.start();
        List<ClusterScan.Line> documents = new ArrayList<>();
        ClusterScan.Result result;
        try {
            result = ClusterScan.merge(sources, limit, request.partial(), documents::add);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        sample.stop(metrics.scanTimer());
        missing.addAll(result.missing());
        String next = null;
        if (result.more()) {
            TreeMap<Integer, UUID> positions = new TreeMap<>();
            if (request.cursor() != null) {
                positions.putAll(request.cursor().positions());
            }
            positions.putAll(result.positions());
            next = new ScanCursor(positions).encode();
        }
        boolean msgpack = ApiMediaTypes.wantsMsgpack(headers);
        JsonFactory factory = msgpack ? DocumentEncoder.msgpackFactory() : DocumentEncoder.jsonFactory();
        String nextCursor = next;
        StreamingOutput output = out -> {
            try (JsonGenerator generator = factory.createGenerator(out)) {
                generator.writeStartObject();
                generator.writeArrayFieldStart("documents");
                for (ClusterScan.Line line : documents) {
                    if (msgpack) {
                        generator.writeTree(json.readTree(line.json()));
                    } else {
                        generator.writeRawValue(line.json());
                    }
                }
                generator.writeEndArray();
                generator.writeStringField("next", nextCursor);
                if (!missing.isEmpty()) {
                    generator.writeBooleanField("partial", true);
                    generator.writeArrayFieldStart("missing");
                    for (int node : missing) {
                        generator.writeNumber(node);
                    }
                    generator.writeEndArray();
                }
                generator.writeEndObject();
            }
        };
        return Response.ok(output, msgpack ? ApiMediaTypes.MSGPACK : ApiMediaTypes.JSON).build();
    }

    static Integer parseLimit(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("limit must be an integer from 1 to " + MAX_LIMIT + ": '" + text + "'");
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw new InvalidParameterException("limit must be from 1 to " + MAX_LIMIT + ": " + value);
        }
        return (int) value;
    }
}
