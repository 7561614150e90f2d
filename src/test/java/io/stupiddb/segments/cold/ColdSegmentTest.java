package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColdSegmentTest {
    private static final UUID MIN = UUID.fromString("01a22809-05df-707d-8004-09e0baee3674");
    private static final UUID MAX = UUID.fromString("01a22809-60c3-7261-800f-fbf435e6b7ba");

    private static ColdSegment segment(String id, UUID min, UUID max) {
        SegmentInfo info = new SegmentInfo(
                id, SegmentState.ARCHIVED, 10, 20L, 30L, 100L, 200L, min, max, 5, 4096, Codec.ZSTD, 19, 2);
        return new ColdSegment(info, "p/node-0/" + id + ".seg", "s3://b/p/node-0/" + id + ".seg", "ab".repeat(32));
    }

    @Test
    void theMetadataCarriesEverythingARebuildNeeds() {
        ColdSegment original = segment("0000-1795968009147", MIN, MAX);
        ColdSegment back = ColdSegment.fromMetadata(
                        original.key(), original.location(), original.id(), 4096, original.metadata())
                .orElseThrow();
        assertEquals(original, back);
    }

    @Test
    void metadataThatIsNotOursOrNamesAnotherSegmentIsRefused() {
        ColdSegment original = segment("0000-1795968009147", MIN, MAX);
        assertEquals(
                Optional.empty(),
                ColdSegment.fromMetadata(original.key(), original.location(), "0000-1", 4096, original.metadata()));
        assertEquals(
                Optional.empty(),
                ColdSegment.fromMetadata(original.key(), original.location(), original.id(), 1, Map.of()));
        Map<String, String> broken = new HashMap<>(original.metadata());
        broken.put("documents", "many");
        assertEquals(
                Optional.empty(),
                ColdSegment.fromMetadata(original.key(), original.location(), original.id(), 1, broken));
    }

    @Test
    void theIndexFindsTheSegmentHoldingAnIdAndTheLargestId() {
        UUID mid = UUID.fromString("01a22809-3000-7000-8000-000000000000");
        ColdIndex index = new ColdIndex(List.of(segment("0000-2", mid, MAX), segment("0000-1", MIN, mid)));
        assertEquals("0000-1", index.segments().getFirst().id(), "sorted by segment id");
        assertEquals("0000-1", index.holding(MIN).orElseThrow().id());
        assertEquals("0000-2", index.holding(MAX).orElseThrow().id());
        assertTrue(index.holding(UUID.fromString("01a22809-70c3-7261-800f-fbf435e6b7ba"))
                .isEmpty());
        assertEquals(Optional.of(MAX), index.maxId());
        assertEquals(
                List.of("0000-2"),
                index.without("0000-1").segments().stream().map(ColdSegment::id).toList());
        assertEquals(Optional.empty(), ColdIndex.empty().maxId());
    }
}
