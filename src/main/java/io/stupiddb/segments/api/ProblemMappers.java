package io.stupiddb.segments.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.stupiddb.segments.cold.ArchiveUnavailableException;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.id.InvalidDocumentIdException;
import io.stupiddb.segments.lifecycle.ActiveSegmentConflictException;
import io.stupiddb.segments.lifecycle.NoSuchSegmentException;
import io.stupiddb.segments.query.FilterSyntaxException;
import io.stupiddb.segments.query.PageToken;
import io.stupiddb.segments.query.TimeBoundsException;
import io.stupiddb.segments.segment.InsufficientStorageException;
import io.stupiddb.segments.segment.SegmentClosedException;
import io.stupiddb.segments.service.StoreUnavailableException;
import io.stupiddb.segments.service.codec.InvalidDocumentException;
import io.stupiddb.segments.service.codec.RequestTooLargeException;
import io.stupiddb.segments.store.DocumentDamagedException;
import io.stupiddb.segments.store.DocumentRejectedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * One mapper per error type, each to its status and problem kind (no catch-all: an unexpected
 * exception stays visible as a 500 with its log line, not silently renamed).
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalidDocument(InvalidDocumentException e) {
        return Problem.response(e.kind().status(), "invalid-document", "Invalid document", e.getMessage());
    }

    @ServerExceptionMapper
    public Response rejectedDocument(DocumentRejectedException e) {
        return switch (e.kind()) {
            case TOO_LARGE -> Problem.response(413, "document-too-large", "Document too large", e.getMessage());
            case TIMESTAMP_TOO_OLD, TIMESTAMP_IN_FUTURE ->
                Problem.response(422, "timestamp-out-of-range", "Timestamp out of range", e.getMessage());
            case MALFORMED -> Problem.response(400, "invalid-document", "Invalid document", e.getMessage());
            case UNKNOWN_RETENTION_CLASS ->
                Problem.response(422, "unknown-retention-class", "Unknown retention class", e.getMessage());
        };
    }

    @ServerExceptionMapper
    public Response requestTooLarge(RequestTooLargeException e) {
        return Problem.response(413, "request-too-large", "Request too large", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidId(InvalidDocumentIdException e) {
        return Problem.response(400, "invalid-id", "Invalid document id", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidFilter(FilterSyntaxException e) {
        return Problem.response(400, "invalid-filter", "Invalid filter", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidTimeBounds(TimeBoundsException e) {
        return Problem.response(400, "invalid-time-range", "Invalid time range", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidCursor(PageToken.InvalidCursorException e) {
        return Problem.response(400, "invalid-cursor", "Invalid cursor", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e) {
        return Problem.response(400, "invalid-parameter", "Invalid parameter", e.getMessage());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return Problem.response(400, "malformed-body", "Malformed request body", e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response noSuchSegment(NoSuchSegmentException e) {
        return Problem.response(404, "segment-not-found", "Segment not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response documentNotFound(DocumentNotFoundException e) {
        return Problem.response(404, "document-not-found", "Document not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notSalvageable(io.stupiddb.segments.lifecycle.NotSalvageableException e) {
        return Problem.response(422, "not-salvageable", "Segment cannot be salvaged", e.getMessage());
    }

    @ServerExceptionMapper
    public Response activeSegment(ActiveSegmentConflictException e) {
        return Problem.response(409, "active-segment", "Segment is active", e.getMessage());
    }

    @ServerExceptionMapper
    public Response insufficientStorage(InsufficientStorageException e) {
        return Problem.response(507, "insufficient-storage", "Insufficient storage", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailableException e) {
        Response problem = Problem.response(503, "unavailable", "Service unavailable", e.getMessage());
        return Response.fromResponse(problem).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response peerUnavailable(io.stupiddb.segments.service.cluster.PeerUnavailableException e) {
        Response problem = Problem.response(503, "node-unavailable", "Node unavailable", e.getMessage());
        return Response.fromResponse(problem).header("Retry-After", "2").build();
    }

    @ServerExceptionMapper
    public Response archiveUnavailable(ArchiveUnavailableException e) {
        // The object store holding archived segments does not answer (SPEC §10); local data is still served.
        Response problem = Problem.response(
                503,
                "archive-unavailable",
                "Archived segment unavailable",
                e.getMessage() + " (retry later; scans: partial=true leaves such segments out)");
        return Response.fromResponse(problem).header("Retry-After", "10").build();
    }

    @ServerExceptionMapper
    public Response segmentClosed(SegmentClosedException e) {
        // A read raced with rotation, archive or eviction more often than the retries allow.
        Response problem = Problem.response(503, "segment-moved", "Segment moved, try again", e.getMessage());
        return Response.fromResponse(problem).header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response corrupt(CorruptSegmentException e) {
        LOG.errorf("corrupt segment data: %s", e.getMessage());
        // The message names the file; clients get the segment id and offset, never a server path.
        String where = e.segmentId().map(id -> "segment " + id).orElse("segment data");
        return Problem.response(
                500,
                "corrupt-segment",
                "Corrupt segment quarantined",
                where + " at byte " + e.offset() + ": " + e.problem()
                        + " (the segment was taken out of service; see readiness and the events)");
    }

    @ServerExceptionMapper
    public Response documentDamaged(DocumentDamagedException e) {
        LOG.errorf("damaged document: %s", e.getMessage());
        return Problem.response(500, "document-damaged", "Stored document damaged", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        Response problem = Problem.response(401, "unauthorized", "Unauthorized", e.getMessage());
        return Response.fromResponse(problem)
                .header("WWW-Authenticate", "Bearer")
                .build();
    }

    /** Framework errors (unknown route 404, wrong method 405, unsupported media type 415, …) as problems too. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return Problem.response(status, "http-" + status, reason, e.getMessage());
    }
}
