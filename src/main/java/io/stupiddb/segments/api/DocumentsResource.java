package io.stupiddb.segments.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.service.StoreMetrics;
import io.stupiddb.segments.service.StoreService;
import io.stupiddb.segments.service.cluster.ClusterDocuments;
import io.stupiddb.segments.service.cluster.ClusterScan;
import io.stupiddb.segments.service.cluster.DocumentPage;
import io.stupiddb.segments.service.cluster.PeerClient;
import io.stupiddb.segments.service.cluster.ScanRequest;
import io.stupiddb.segments.service.codec.BodyFormat;
import io.stupiddb.segments.service.codec.DocumentDecoder;
import io.stupiddb.segments.service.codec.DocumentEncoder;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.WrittenDocument;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/documents}: write, get by id, scan and search (SPEC §2). Reads the request,
 * asks the store (writes, local gets) or {@link ClusterDocuments} (forwarded gets, scans), and
 * writes the answer. Each route's {@code @Produces} lists what it can answer with, so an Accept
 * it cannot serve is a 406 before anything is written.
 *
 * <p>Why over 400 lines: about half are the OpenAPI description of the four routes (bodies per
 * media type, every error answer), which belongs on the route it describes; the code itself is
 * thin.
 */
@Path("/api/v1/documents")
@Tag(name = "Documents")
public class DocumentsResource {
    private final StoreService service;
    private final StoreMetrics metrics;
    private final ClusterDocuments documents;
    private final DocumentDecoder decoder;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public DocumentsResource(StoreService service, StoreMetrics metrics, ClusterDocuments documents) {
        this.service = service;
        this.metrics = metrics;
        this.documents = documents;
        this.decoder = DocumentDecoder.of(service.config());
    }

    @POST
    @Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK, ApiMediaTypes.X_MSGPACK})
    @Operation(
            summary = "Write one document or a batch",
            description = "The store assigns each document its id "
                    + "and reads its event time from the top-level timestamp field (segments.timestamp-field; absent: "
                    + "now). A batch (a JSON array, NDJSON, a MessagePack array) is all or nothing: if any element is "
                    + "invalid, nothing is written and the problem names its index or line. Acknowledged after fsync "
                    + "with segments.fsync=always. In a cluster, written on the node that receives it. Bodies: "
                    + "docs/API-BODIES.md.")
    @RequestBody(
            required = true,
            description = "At most segments.max-request-size (default 16 MiB); each "
                    + "document at most segments.max-document-size (default 1 MiB) as MessagePack",
            content = {
                @Content(
                        mediaType = ApiMediaTypes.JSON,
                        schema =
                                @Schema(
                                        description = "One object, or a non-empty " + "array of objects",
                                        oneOf = {ApiSchemas.Source.class, ApiSchemas.Source[].class}),
                        examples = {
                            @ExampleObject(
                                    name = "one",
                                    value = "{\"timestamp\":\"2026-11-29T16:00:08Z\","
                                            + "\"level\":\"error\",\"http\":{\"status\":503}}"),
                            @ExampleObject(name = "batch", value = "[{\"level\":\"info\"},{\"level\":\"warn\"}]")
                        }),
                @Content(
                        mediaType = ApiMediaTypes.NDJSON,
                        schema =
                                @Schema(
                                        type = SchemaType.STRING,
                                        description =
                                                "One object per line, e.g. {\"level\":\"info\"}\\n{\"level\":\"warn\"}\\n; blank "
                                                        + "lines are skipped; always answered as a batch")),
                @Content(
                        mediaType = ApiMediaTypes.MSGPACK,
                        schema =
                                @Schema(
                                        type = SchemaType.STRING,
                                        format = "binary",
                                        description =
                                                "One map, or a non-empty array of maps (application/x-msgpack is accepted "
                                                        + "too)"))
            })
    @APIResponse(
            responseCode = "201",
            description =
                    "Written. One document: Written, and Location names it; a " + "batch: WrittenBatch, in input order",
            headers =
                    @Header(
                            name = "Location",
                            description = "One document only: its URL",
                            schema = @Schema(type = SchemaType.STRING)),
            content = {
                @Content(
                        mediaType = ApiMediaTypes.JSON,
                        schema = @Schema(oneOf = {Views.Written.class, Views.WrittenBatch.class})),
                @Content(
                        mediaType = ApiMediaTypes.MSGPACK,
                        schema = @Schema(oneOf = {Views.Written.class, Views.WrittenBatch.class}))
            })
    @APIResponse(
            responseCode = "400",
            description = "`invalid-document`: not valid JSON, NDJSON or MessagePack, "
                    + "not an object, an unsupported value, a bad timestamp field, an empty body or batch; detail names "
                    + "the element (0-based) or line (1-based)")
    @APIResponse(
            responseCode = "406",
            description = "`http-406`: Accept allows neither JSON nor MessagePack; " + "nothing was written")
    @APIResponse(
            responseCode = "413",
            description = "`request-too-large`: body over segments.max-request-size; "
                    + "`invalid-document` or `document-too-large`: a document over segments.max-document-size")
    @APIResponse(
            responseCode = "415",
            description = "`http-415`: Content-Type is not application/json, "
                    + "application/x-ndjson or application/msgpack")
    @APIResponse(
            responseCode = "422",
            description = "`timestamp-out-of-range`: older than now - segments.retention, "
                    + "or more than segments.max-clock-skew ahead")
    @APIResponse(responseCode = "503", description = "`unavailable`: recovering or shutting down")
    @APIResponse(
            responseCode = "507",
            description = "`insufficient-storage`: free disk below " + "segments.min-free-disk; reads go on")
    public Response write(
            InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Context HttpHeaders headers,
            @Context UriInfo uri)
            throws IOException {
        BodyFormat format = BodyFormat.ofMediaType(contentType)
                .orElseThrow(() -> new NotSupportedException(
                        "send application/json, application/x-ndjson or application/msgpack, not " + contentType));
        String answerType = ApiMediaTypes.jsonOrMsgpack(headers);
        Timer.Sample sample = Timer.start();
        BufferedInputStream in = new BufferedInputStream(body, 8192);
        boolean batch = format == BodyFormat.NDJSON || startsWithArray(in, format);
        List<DocumentToWrite> toWrite = decoder.decode(in, format);
        List<WrittenDocument> written = service.store().write(toWrite);
        sample.stop(metrics.writeTimer());
        if (!batch) {
            WrittenDocument doc = written.getFirst();
            URI location = uri.getBaseUriBuilder()
                    .path("api/v1/documents")
                    .path(doc.id().toString())
                    .build();
            return Response.created(location)
                    .type(answerType)
                    .entity(Views.Written.of(doc))
                    .build();
        }
        if (answerType.equals(ApiMediaTypes.JSON)) {
            return Response.status(Response.Status.CREATED)
                    .type(answerType)
                    .entity(WrittenBatchJson.of(written))
                    .build();
        }
        return Response.status(Response.Status.CREATED)
                .type(answerType)
                .entity(new Views.WrittenBatch(
                        written.size(), written.stream().map(Views.Written::of).toList()))
                .build();
    }

    /** Whether the body's first significant byte opens an array (a batch) rather than one object. */
    private static boolean startsWithArray(BufferedInputStream in, BodyFormat format) throws IOException {
        in.mark(4096);
        try {
            int b;
            do {
                b = in.read();
            } while (format == BodyFormat.JSON
                    && (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0xEF || b == 0xBB || b == 0xBF));
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
    @Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK, ApiMediaTypes.X_MSGPACK})
    @Operation(
            summary = "Get one document",
            description = "The document with its id, event timestamp and "
                    + "segment. In a cluster the node named in the id serves it: another node forwards the request and "
                    + "passes the answer back; an owner that does not answer is a 503, never a false 404.")
    @Parameter(
            name = "id",
            in = ParameterIn.PATH,
            description = ApiSchemas.DOCUMENT_ID,
            example = "01a22809-05df-707d-8004-09e0baee3674")
    @Parameter(name = PeerClient.FORWARDED, in = ParameterIn.HEADER, hidden = true)
    @APIResponse(
            responseCode = "200",
            description = "The document",
            content = {
                @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(implementation = ApiSchemas.Document.class)),
                @Content(
                        mediaType = ApiMediaTypes.MSGPACK,
                        schema = @Schema(implementation = ApiSchemas.Document.class))
            })
    @APIResponse(responseCode = "400", description = "`invalid-id`: not a UUIDv7 in text form")
    @APIResponse(
            responseCode = "404",
            description = "`document-not-found`: never written, or its segment was " + "evicted")
    @APIResponse(responseCode = "406", description = "`http-406`: Accept allows neither JSON nor MessagePack")
    @APIResponse(
            responseCode = "500",
            description = "`document-damaged`: the stored copy of this document failed its checks (its "
                    + "record, or its segment was quarantined); the other documents are served")
    @APIResponse(
            responseCode = "503",
            description = "`node-unavailable`: cluster, the owner did not answer; "
                    + "`segment-moved`: retry; `unavailable`: recovering or shutting down")
    @NonBlocking
    public Uni<Response> get(
            @PathParam("id") String idText,
            @HeaderParam(PeerClient.FORWARDED) String forwarded,
            @Context HttpHeaders headers) {
        UUID id = DocumentIds.parse(idText);
        String answerType = ApiMediaTypes.jsonOrMsgpack(headers);
        boolean wasForwarded = forwarded != null;
        Uni<Response> answer = Uni.createFrom().item(() -> answer(id, idText, wasForwarded, answerType));
        // A get that reads only this node's files and memory (a mapped sealed segment, the active
        // segment: microseconds) is answered on the I/O thread that read the request, with no hand-over
        // to a worker thread and back; one that may wait on another node or the object store goes to
        // a worker, never blocking an I/O thread. (A page of a mapped segment that the kernel must
        // read from disk first is the one wait left on the I/O thread, as with Kafka's sendfile.)
        if (documents.getMayWait(id, wasForwarded)) {
            return answer.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return answer;
    }

    private Response answer(UUID id, String idText, boolean wasForwarded, String answerType) {
        var owners = documents.forwardGet(id, wasForwarded, answerType);
        if (owners.isPresent()) {
            var response = owners.get();
            return Response.status(response.statusCode())
                    .entity(response.body())
                    .type(response.headers().firstValue("Content-Type").orElse(answerType))
                    .build();
        }
        Buffer body;
        try {
            StoredDocument doc = documents.getHere(id).orElseThrow(() -> new DocumentNotFoundException(idText));
            body = DocumentAnswerBody.of(doc, answerType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.ok(body, answerType).build();
    }

    @GET
    @Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK, ApiMediaTypes.X_MSGPACK, ApiMediaTypes.NDJSON})
    @Operation(
            summary = "Scan a time range with a filter",
            description = "Documents whose event time is in "
                    + "[from, to) and that match the filter, segment by segment, oldest first, in write (id) order, in "
                    + "pages: send `next` back as `cursor` for the following page. The cursor survives rotation, "
                    + "archiving, eviction (it continues with the next segment) and restarts. In a cluster every node "
                    + "is asked and the answers merged in id order; the cursor carries each node's position.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = ApiSchemas.FROM, example = "2026-11-29T15:00:00Z")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = ApiSchemas.TO)
    @Parameter(
            name = "filter",
            in = ParameterIn.QUERY,
            description = ApiSchemas.FILTER + " (URL-encoded JSON)",
            example = "{\"http.status\":{\"$gte\":500}}")
    @Parameter(
            name = "limit",
            in = ParameterIn.QUERY,
            description = ApiSchemas.LIMIT,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "10000"))
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = ApiSchemas.CURSOR)
    @Parameter(
            name = "partial",
            in = ParameterIn.QUERY,
            description = ApiSchemas.PARTIAL,
            schema = @Schema(type = SchemaType.BOOLEAN))
    @Parameter(name = PeerClient.FORWARDED, in = ParameterIn.HEADER, hidden = true)
    @APIResponse(
            responseCode = "200",
            description = "A page (JSON, MessagePack), or every match streamed one document "
                    + "a line (NDJSON, with Accept: application/x-ndjson; no cursor)",
            content = {
                @Content(
                        mediaType = ApiMediaTypes.JSON,
                        schema = @Schema(implementation = ApiSchemas.DocumentPage.class)),
                @Content(
                        mediaType = ApiMediaTypes.MSGPACK,
                        schema = @Schema(implementation = ApiSchemas.DocumentPage.class)),
                @Content(
                        mediaType = ApiMediaTypes.NDJSON,
                        schema = @Schema(type = SchemaType.STRING, description = "One Document per line"))
            })
    @APIResponse(
            responseCode = "400",
            description = "`invalid-time-range` (from, to), `invalid-filter` (detail "
                    + "says where), `invalid-cursor`, `invalid-parameter` (limit, partial)")
    @APIResponse(responseCode = "406", description = "`http-406`: Accept allows none of JSON, MessagePack, NDJSON")
    @APIResponse(
            responseCode = "500",
            description = "`corrupt-segment`: a segment's index failed its checks; the segment was "
                    + "quarantined (a damaged record is skipped, not an error)")
    @APIResponse(
            responseCode = "503",
            description = "`node-unavailable`: cluster, a node did not answer and partial "
                    + "is not true; `segment-moved`: retry; `unavailable`: recovering or shutting down")
    @APIResponse(
            responseCode = "414",
            description = "`uri-too-long`: over 64 KiB; send the filter with POST " + "/api/v1/documents/search")
    public Response scan(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("filter") String filter,
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor,
            @QueryParam("partial") String partial,
            @HeaderParam(PeerClient.FORWARDED) String forwarded,
            @Context HttpHeaders headers) {
        return scan(ScanRequests.of(from, to, filter, limit, cursor, partial), forwarded != null, headers);
    }

    @POST
    @Path("search")
    @Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK, ApiMediaTypes.X_MSGPACK, ApiMediaTypes.NDJSON})
    @Operation(
            summary = "Scan, with the parameters in a JSON body",
            description = "The scan of GET "
                    + "/api/v1/documents, for filters too long or awkward for a URI. An empty body is {}.")
    @RequestBody(
            description = "At most 1 MiB",
            content =
                    @Content(
                            mediaType = ApiMediaTypes.JSON,
                            schema = @Schema(implementation = ApiSchemas.Search.class),
                            example =
                                    "{\"filter\":{\"$or\":[{\"level\":\"error\"},{\"level\":\"warn\"}]},\"limit\":10}"))
    @Parameter(name = PeerClient.FORWARDED, in = ParameterIn.HEADER, hidden = true)
    @APIResponse(
            responseCode = "200",
            description = "A page (JSON, MessagePack), or every match streamed one document "
                    + "a line (NDJSON, with Accept: application/x-ndjson; no cursor)",
            content = {
                @Content(
                        mediaType = ApiMediaTypes.JSON,
                        schema = @Schema(implementation = ApiSchemas.DocumentPage.class)),
                @Content(
                        mediaType = ApiMediaTypes.MSGPACK,
                        schema = @Schema(implementation = ApiSchemas.DocumentPage.class)),
                @Content(
                        mediaType = ApiMediaTypes.NDJSON,
                        schema = @Schema(type = SchemaType.STRING, description = "One Document per line"))
            })
    @APIResponse(
            responseCode = "400",
            description = "`invalid-time-range` (from, to), `invalid-filter` (detail "
                    + "says where), `invalid-cursor`, `invalid-parameter` (limit, partial); `malformed-body`: not JSON; "
                    + "`invalid-parameter`: not an object, an unknown field, a field of the wrong type")
    @APIResponse(responseCode = "406", description = "`http-406`: Accept allows none of JSON, MessagePack, NDJSON")
    @APIResponse(
            responseCode = "500",
            description = "`corrupt-segment`: a segment's index failed its checks; the segment was "
                    + "quarantined (a damaged record is skipped, not an error)")
    @APIResponse(
            responseCode = "503",
            description = "`node-unavailable`: cluster, a node did not answer and partial "
                    + "is not true; `segment-moved`: retry; `unavailable`: recovering or shutting down")
    @APIResponse(responseCode = "413", description = "`request-too-large`: the body is over 1 MiB")
    @APIResponse(responseCode = "415", description = "`http-415`: Content-Type is not application/json")
    public Response search(
            InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(PeerClient.FORWARDED) String forwarded,
            @Context HttpHeaders headers)
            throws IOException {
        if (BodyFormat.ofMediaType(contentType)
                .filter(f -> f == BodyFormat.JSON)
                .isEmpty()) {
            throw new NotSupportedException("send the search as application/json, not " + contentType);
        }
        return scan(ScanRequests.ofSearchBody(body), forwarded != null, headers);
    }

    private Response scan(ScanRequest request, boolean forwarded, HttpHeaders headers) {
        if (ApiMediaTypes.wantsNdjson(headers)) {
            return Response.ok((StreamingOutput) documents.stream(request, forwarded)::writeTo, ApiMediaTypes.NDJSON)
                    .build();
        }
        String answerType = ApiMediaTypes.jsonOrMsgpack(headers);
        DocumentPage page = documents.page(request, request.limit().orElse(Parameters.DEFAULT_LIMIT), forwarded);
        JsonFactory factory = factory(answerType);
        StreamingOutput output = out -> writePage(factory, out, page);
        return Response.ok(output, answerType).build();
    }

    private static JsonFactory factory(String answerType) {
        return answerType.equals(ApiMediaTypes.MSGPACK)
                ? DocumentEncoder.msgpackFactory()
                : DocumentEncoder.jsonFactory();
    }

    /**
     * {@code {"documents":[…],"next":…}}, and {@code "partial":true,"missing":[…]} when nodes are
     * left out, {@code "partial":true,"skipped":[…]} when archived segments are (never both: a
     * merged page does not know the segments other nodes left out).
     */
    private void writePage(JsonFactory factory, OutputStream out, DocumentPage page) throws IOException {
        try (JsonGenerator generator = factory.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeArrayFieldStart("documents");
            switch (page) {
                case DocumentPage.Local local -> {
                    for (StoredDocument doc : local.documents()) {
                        DocumentEncoder.writeDocument(generator, doc);
                    }
                }
                case DocumentPage.Merged merged -> {
                    for (ClusterScan.Line line : merged.documents()) {
                        if (factory == DocumentEncoder.msgpackFactory()) {
                            generator.writeTree(json.readTree(line.json()));
                        } else {
                            generator.writeRawValue(line.json());
                        }
                    }
                }
            }
            generator.writeEndArray();
            if (page.next().isPresent()) {
                generator.writeStringField("next", page.next().get());
            } else {
                generator.writeNullField("next");
            }
            // one "partial" however many kinds of gap: two would make the object's keys repeat
            if (!page.missing().isEmpty() || !page.skipped().isEmpty()) {
                generator.writeBooleanField("partial", true);
            }
            if (!page.missing().isEmpty()) {
                generator.writeArrayFieldStart("missing");
                for (int node : page.missing()) {
                    generator.writeNumber(node);
                }
                generator.writeEndArray();
            }
            if (!page.skipped().isEmpty()) {
                generator.writeArrayFieldStart("skipped");
                for (String segment : page.skipped()) {
                    generator.writeString(segment);
                }
                generator.writeEndArray();
            }
            generator.writeEndObject();
        }
    }
}
