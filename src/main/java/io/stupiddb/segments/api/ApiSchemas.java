package io.stupiddb.segments.api;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * OpenAPI schemas of the shapes the API writes with a streaming generator
 * ({@code DocumentEncoder}, the scan pages) or reads by hand (write and search bodies), so no
 * view record describes them. Classes with fields, not records: they are read by the OpenAPI
 * scanner only, never instantiated or serialized, so unlike the views they are not registered for
 * reflection. The shapes are docs/API.md's; {@code OpenApiDocumentTest} checks the document.
 */
final class ApiSchemas {
    private ApiSchemas() {}

    static final String DOCUMENT_ID = "A UUIDv7 (RFC 9562) in canonical text form, assigned by the store";
    static final String SEGMENT_ID = "Opaque segment id: 1-64 characters of [0-9a-z-]";
    static final String TIME = "RFC 3339 in UTC with three fraction digits";

    // The scan parameters, for the query of GET /api/v1/documents and the body of the search.
    static final String FROM =
            "First included event time: RFC 3339 (2026-11-25T10:00:00Z) or epoch milliseconds; " + "absent: unbounded";
    static final String TO = "First excluded event time, same forms; absent: unbounded; from must not be later";
    static final String FILTER = "A filter in the filter language of docs/QUERY.md; {} or absent: every document";
    static final String LIMIT =
            "Documents per page, 1-10000; default 100 for JSON and MessagePack, every match for " + "NDJSON";
    static final String CURSOR =
            "The `next` of the previous page, as it was (opaque); send the same from, to and " + "filter with it";
    static final String PARTIAL = "true answers with what can be read instead of a 503: in a cluster what the answering"
            + " nodes have, listing the others under `missing`; with a cold tier without the archived segments the object"
            + " store cannot serve now, listing them under `skipped` (JSON and MessagePack pages)";

    /** Any JSON object: a document as the client wrote it. */
    @Schema(
            name = "Source",
            type = SchemaType.OBJECT,
            additionalProperties = Schema.True.class,
            description = "A document: any JSON object (nesting up to 64 levels). Its event time is the top-level "
                    + "field named by segments.timestamp-field (default `timestamp`), an RFC 3339 string or integer "
                    + "epoch milliseconds; absent: the ingest time.",
            example = "{\"timestamp\":\"2026-11-29T16:00:08Z\",\"level\":\"error\",\"service\":\"checkout\","
                    + "\"http\":{\"status\":503}}")
    static final class Source {
        private Source() {}
    }

    @Schema(name = "Document", description = "A stored document")
    static final class Document {
        @Schema(required = true, description = DOCUMENT_ID, example = "01a22809-05df-707d-8004-09e0baee3674")
        String id;

        @Schema(required = true, description = "Its event time; " + TIME, example = "2026-11-29T16:00:08.000Z")
        String timestamp;

        @Schema(
                required = true,
                description = "The segment that holds it. " + SEGMENT_ID,
                example = "0000-1795968009147")
        String segment;

        @Schema(required = true, description = "The document as it was written")
        Source source;

        private Document() {}
    }

    @Schema(name = "DocumentPage", description = "One page of a scan or search")
    static final class DocumentPage {
        @Schema(required = true, description = "In scan order (id order)")
        List<Document> documents;

        @Schema(
                required = true,
                nullable = true,
                description = "Opaque cursor for the next page (send it as "
                        + "`cursor` with the same from, to and filter), or null when this page is the last",
                example = "AQABAAABoigJB2px84AOvHJkNrrW")
        String next;

        @Schema(description = "Present (true) when nodes or archived segments were left out (partial=true)")
        Boolean partial;

        @Schema(description = "Cluster only: the node ids left out")
        List<Integer> missing;

        @Schema(
                description = "Cold tier, partial=true: the archived segments left out because the object store"
                        + " could not serve them (with \"partial\":true); absent when none was")
        List<String> skipped;

        private DocumentPage() {}
    }

    @Schema(
            name = "Search",
            description = "The parameters of GET /api/v1/documents as a JSON object; every field is "
                    + "optional, null is absent, any other field is a 400")
    static final class Search {
        @Schema(description = FROM, example = "2026-11-29T15:00:00Z")
        String from;

        @Schema(description = TO)
        String to;

        @Schema(
                description = FILTER + " (an object here, not a string)",
                example = "{\"$or\":[{\"level\":\"error\"},{\"http.status\":{\"$gte\":500}}]}")
        Source filter;

        @Schema(description = LIMIT, minimum = "1", maximum = "10000")
        Integer limit;

        @Schema(description = CURSOR)
        String cursor;

        @Schema(description = PARTIAL)
        Boolean partial;

        private Search() {}
    }

    @Schema(
            name = "Delete",
            description = "A delete by filter; any other field is a 400. The filter is required; {} (every"
                    + " document in the range) only with \"all\":true")
    static final class Delete {
        @Schema(
                required = true,
                description = "A filter in the filter language of docs/QUERY.md (an object)",
                example = "{\"user.id\":\"u-123\"}")
        Source filter;

        @Schema(description = FROM, example = "2026-11-01T00:00:00Z")
        String from;

        @Schema(description = TO)
        String to;

        @Schema(description = "Must be true to delete with a filter that matches every document")
        Boolean all;

        @Schema(description = "Cluster: delete on the nodes that answer when some do not")
        Boolean partial;

        private Delete() {}
    }
}
