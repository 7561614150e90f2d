package io.stupiddb.segments.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Timer;
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

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/documents}: write, get by id, scan and search (SPEC §2). Reads the request,
 * asks the store (writes, local gets) or {@link ClusterDocuments} (forwarded gets, scans), and
 * writes the answer. Each route's {@code @Produces} lists what it can answer with, so an Accept
 * it cannot serve is a 406 before anything is written.
 */
@Path("/api/v1/documents")
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
    public Response write(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @Context HttpHeaders headers, @Context UriInfo uri) throws IOException {
        BodyFormat format = BodyFormat.ofMediaType(contentType).orElseThrow(() -> new NotSupportedException(
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
            URI location = uri.getBaseUriBuilder().path("api/v1/documents").path(doc.id().toString()).build();
            return Response.created(location).type(answerType).entity(Views.Written.of(doc)).build();
        }
        return Response.status(Response.Status.CREATED).type(answerType)
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
    @Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK, ApiMediaTypes.X_MSGPACK})
    public Response get(@PathParam("id") String idText, @HeaderParam(PeerClient.FORWARDED) String forwarded,
                        @Context HttpHeaders headers) throws IOException {
        UUID id = DocumentIds.parse(idText);
        String answerType = ApiMediaTypes.jsonOrMsgpack(headers);
        var owners = documents.forwardGet(id, forwarded != null, answerType);
        if (owners.isPresent()) {
            var response = owners.get();
            return Response.status(response.statusCode()).entity(response.body())
                    .type(response.headers().firstValue("Content-Type").orElse(answerType)).build();
        }
        Timer.Sample sample = Timer.start();
        StoredDocument doc = service.store().get(id).orElseThrow(() -> new DocumentNotFoundException(idText));
        sample.stop(metrics.getTimer());
        JsonFactory factory = factory(answerType);
        StreamingOutput output = out -> {
            try (JsonGenerator generator = factory.createGenerator(out)) {
                DocumentEncoder.writeDocument(generator, doc);
            }
        };
        return Response.ok(output, answerType).build();
    }

    @GET
    @Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK, ApiMediaTypes.X_MSGPACK, ApiMediaTypes.NDJSON})
    public Response scan(@QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("filter") String filter, @QueryParam("limit") String limit,
                         @QueryParam("cursor") String cursor, @QueryParam("partial") String partial,
                         @HeaderParam(PeerClient.FORWARDED) String forwarded, @Context HttpHeaders headers) {
        return scan(ScanRequests.of(from, to, filter, limit, cursor, partial), forwarded != null, headers);
    }

    @POST
    @Path("search")
    @Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK, ApiMediaTypes.X_MSGPACK, ApiMediaTypes.NDJSON})
    public Response search(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @HeaderParam(PeerClient.FORWARDED) String forwarded, @Context HttpHeaders headers)
            throws IOException {
        if (BodyFormat.ofMediaType(contentType).filter(f -> f == BodyFormat.JSON).isEmpty()) {
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
        return answerType.equals(ApiMediaTypes.MSGPACK) ? DocumentEncoder.msgpackFactory()
                : DocumentEncoder.jsonFactory();
    }

    /** {@code {"documents":[…],"next":…}}, and {@code "partial":true,"missing":[…]} when nodes are left out. */
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
            if (!page.missing().isEmpty()) {
                generator.writeBooleanField("partial", true);
                generator.writeArrayFieldStart("missing");
                for (int node : page.missing()) {
                    generator.writeNumber(node);
                }
                generator.writeEndArray();
            }
            generator.writeEndObject();
        }
    }
}
