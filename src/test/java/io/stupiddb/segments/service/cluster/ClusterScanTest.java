package io.stupiddb.segments.service.cluster;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The k-way merge of node streams: id order, limits, the next positions, broken nodes. */
class ClusterScanTest {

    /** A UUIDv7-shaped id whose order is {@code n}'s, carrying {@code node}. */
    private static UUID id(long n, int node) {
        return new UUID((n << 16) | 0x7000L, 0x8000_0000_0000_0000L | ((long) node << 52) | n);
    }

    private static InputStream stream(int node, long... ns) {
        StringBuilder text = new StringBuilder();
        for (long n : ns) {
            text.append("{\"id\":\"")
                    .append(id(n, node))
                    .append("\",\"source\":{\"n\":")
                    .append(n)
                    .append("}}\n");
        }
        return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<Integer, ClusterScan.Source> sources(Map<Integer, long[]> data) {
        Map<Integer, ClusterScan.Source> sources = new TreeMap<>();
        data.forEach((node, ns) -> sources.put(node, ClusterScan.remote(node, stream(node, ns))));
        return sources;
    }

    @Test
    void mergesInIdOrderAndKnowsWhetherMoreIsLeft() throws IOException {
        Map<Integer, long[]> data = Map.of(0, new long[] {1, 4, 7}, 1, new long[] {2, 5}, 2, new long[] {3, 6, 8, 9});
        List<Long> order = new ArrayList<>();
        ClusterScan.Result all = ClusterScan.merge(
                sources(data), null, false, line -> order.add(line.id().getLeastSignificantBits() & 0xFFFF));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), order);
        assertFalse(all.more());
        assertEquals(Map.of(0, id(7, 0), 1, id(5, 1), 2, id(9, 2)), all.positions());

        ClusterScan.Result page = ClusterScan.merge(sources(data), 4, false, line -> {});
        assertTrue(page.more());
        assertEquals(Map.of(0, id(4, 0), 1, id(2, 1), 2, id(3, 2)), page.positions());
    }

    @Test
    void aBrokenNodeFailsTheMergeUnlessPartial() throws IOException {
        Map<Integer, ClusterScan.Source> sources = sources(Map.of(0, new long[] {1, 3}));
        sources.put(
                1,
                ClusterScan.remote(
                        1,
                        new ByteArrayInputStream(
                                ("{\"id\":\"" + id(2, 1) + "\"}\nnot json\n").getBytes(StandardCharsets.UTF_8))));
        assertThrows(PeerUnavailableException.class, () -> ClusterScan.merge(sources, null, false, line -> {}));

        Map<Integer, ClusterScan.Source> again = sources(Map.of(0, new long[] {1, 3}));
        again.put(
                1,
                ClusterScan.remote(
                        1,
                        new ByteArrayInputStream(
                                ("{\"id\":\"" + id(2, 1) + "\"}\nnot json\n").getBytes(StandardCharsets.UTF_8))));
        List<UUID> seen = new ArrayList<>();
        ClusterScan.Result result = ClusterScan.merge(again, null, true, line -> seen.add(line.id()));
        assertEquals(List.of(1), result.missing());
        assertEquals(List.of(id(1, 0), id(2, 1), id(3, 0)), seen);
    }
}
