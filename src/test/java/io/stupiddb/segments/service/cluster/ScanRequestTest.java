package io.stupiddb.segments.service.cluster;

import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.PageToken;
import io.stupiddb.segments.query.TimeBounds;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What each node is asked for: the same bounds and filter, its own position, the peer limit. */
class ScanRequestTest {
    private static final UUID ON_NODE_1 = UUID.fromString("01a22803-d1e5-71f6-8001-0d1c7a6cea01");
    private static final UUID ON_NODE_2 = UUID.fromString("01a22803-d1e5-71f6-8002-0d1c7a6cea02");

    private static ScanRequest request(String from, String to, String filter, Optional<PageToken> cursor) {
        return new ScanRequest(
                TimeBounds.parse(from, to),
                filter == null ? Filter.matchAll() : Filter.parse(filter),
                Optional.ofNullable(filter),
                OptionalInt.empty(),
                cursor,
                false);
    }

    @Test
    void anUnboundedScanAsksPeersForEverything() {
        assertEquals(
                "/api/v1/documents?",
                request(null, null, null, Optional.empty()).peerQuery(1, OptionalInt.empty()));
    }

    @Test
    void boundsFilterAndLimitArePassedOnAsEpochMillisAndUrlEncodedJson() {
        ScanRequest request = request("2026-11-29T10:00:00Z", "1795960800001", "{\"a\":\"b c\"}", Optional.empty());
        assertEquals(
                "/api/v1/documents?from=1795946400000&to=1795960800001&filter=%7B%22a%22%3A%22b+c%22%7D&limit=11&",
                request.peerQuery(2, OptionalInt.of(11)));
    }

    @Test
    void eachNodeContinuesFromItsOwnPositionInTheCursor() {
        PageToken cursor = new PageToken(new TreeMap<>(Map.of(1, ON_NODE_1, 2, ON_NODE_2)));
        ScanRequest request = request(null, null, null, Optional.of(cursor));
        assertEquals(
                "/api/v1/documents?cursor=" + PageToken.of(2, ON_NODE_2).encode(),
                request.peerQuery(2, OptionalInt.empty()));
        assertEquals(ON_NODE_1, request.spec(1).afterId());
        assertNull(request.spec(3).afterId(), "a node the cursor does not name starts from its beginning");
        assertEquals("/api/v1/documents?", request.peerQuery(3, OptionalInt.empty()));
    }

    @Test
    void theLocalSpecKeepsTheBounds() {
        ScanRequest request = request("1000", "2000", null, Optional.empty());
        assertEquals(1000, request.spec(0).fromInclusive());
        assertEquals(2000, request.spec(0).toExclusive());
    }
}
