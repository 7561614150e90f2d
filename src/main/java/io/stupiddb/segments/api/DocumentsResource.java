package io.stupiddb.segments.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Timer;
import io.stupiddb.segments.engine.DocumentCursor;
import io.stupiddb.segments.engine.DocumentIds;
import io.stupiddb.segments.engine.IncomingDocument;
import io.stupiddb.segments.engine.RecordFilter;
import io.stupiddb.segments.engine.ScanPage;
import io.stupiddb.segments.engine.ScanSpec;
import io.stupiddb.segments.engine.SegmentStore;
import io.stupiddb.segments.engine.StoredDocument;
import io.stupiddb.segments.engine.WrittenDocument;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.ScanCursor;
import io.stupiddb.segments.query.TimeBounds;
import io.stupiddb.segments.service.StoreMetrics;
import io.stupiddb.segments.service.StoreService;
import io.stupiddb.segments.service.codec.BodyFormat;
import io.stupiddb.segments.service.codec.DocumentDecoder;
import io.stupiddb.segments.service.codec.DocumentEncoder;
import io.stupiddb.segments.service.codec.ParsedDocument;
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

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@code /api/v1/documents}: write, get by id, scan and search (SPEC §2). */
@Path("/api/v1/documents")
public class DocumentsResource {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    private static final int MAX_SEARCH_BODY = 1 << 20;

    private final StoreService service;
    private final StoreMetrics metrics;
    private final DocumentDecoder decoder;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public DocumentsResource(StoreService service, StoreMetrics metrics) {
        this.service = service;
        this.metrics = metrics;
        this.decoder = DocumentDecoder.of(service.config());
    }

    @POST
    public Response write(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @Context HttpHeaders headers, @Context UriInfo uri) throws IOException {
        BodyFormat format = BodyFormat.ofMediaType(contentType).orElseThrow(() -> new NotSupportedException(
                "send application/json, application/x-ndjson or application/msgpack, not " + contentType));
        Timer.Sample sample = Timer.start();
        BufferedInputStream in = new BufferedInputStream(body, 8192);
        boolean batch = format == BodyFormat.NDJSON || startsWithArray(in, format);
        List<ParsedDocument> parsed = decoder.decode(in, format);
        List<IncomingDocument> incoming = new ArrayList<>(parsed.size());
        for (ParsedDocument doc : parsed) {
            incoming.add(new IncomingDocument(doc.msgpack(), doc.timestamp()));
        }
        List<WrittenDocument> written = service.store().write(incoming);
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
    public Response get(@PathParam("id") String idText, @Context HttpHeaders headers) throws IOException {
        UUID id = DocumentIds.parse(idText);
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
    public Response scan(@QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("filter") String filter, @QueryParam("limit") String limit,
                         @QueryParam("cursor") String cursor, @Context HttpHeaders headers) {
        return scan(ScanRequest.of(from, to, filter == null ? null : Filter.parse(filter), limit, cursor), headers);
    }

    @POST
    @Path("search")
    public Response search(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @Context HttpHeaders headers) throws IOException {
        if (BodyFormat.ofMediaType(contentType).filter(f -> f == BodyFormat.JSON).isEmpty()) {
            throw new NotSupportedException("send the search as application/json, not " + contentType);
        }
        byte[] bytes = body.readNBytes(MAX_SEARCH_BODY + 1);
        if (bytes.length > MAX_SEARCH_BODY) {
            throw new io.stupiddb.segments.service.codec.RequestTooLargeException(MAX_SEARCH_BODY);
        }
        JsonNode request = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
        if (request == null || !request.isObject()) {
            throw new InvalidParameterException("the search body must be a JSON object {\"from\",\"to\",\"filter\","
                    + "\"limit\",\"cursor\"}");
        }
        request.fieldNames().forEachRemaining(name -> {
            if (!List.of("from", "to", "filter", "limit", "cursor").contains(name)) {
                throw new InvalidParameterException("unknown search field '" + name + "'");
            }
        });
        JsonNode filter = request.get("filter");
        return scan(ScanRequest.of(text(request, "from"), text(request, "to"),
                filter == null || filter.isNull() ? null : Filter.parse(filter), text(request, "limit"),
                text(request, "cursor")), headers);
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

    /** A validated scan request; {@code limit} null means "not given", {@code cursor} null "from the start". */
    private record ScanRequest(TimeBounds bounds, Filter filter, Integer limit, ScanCursor cursor) {
        static ScanRequest of(String from, String to, Filter filter, String limit, String cursor) {
            return new ScanRequest(TimeBounds.parse(from, to), filter == null ? Filter.matchAll() : filter,
                    parseLimit(limit), cursor == null || cursor.isBlank() ? null : ScanCursor.decode(cursor));
        }
    }

    private Response scan(ScanRequest request, HttpHeaders headers) {
        SegmentStore store = service.store();
        int node = store.config().nodeId();
        UUID after = request.cursor() == null ? null : request.cursor().after(node);
        Filter filter = request.filter();
        ScanSpec spec = new ScanSpec(request.bounds().from(), request.bounds().to(), after,
                filter.isMatchAll() ? RecordFilter.ALL : filter::matches);
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
