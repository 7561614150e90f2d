package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.testing.TestDocuments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SegmentList}: kept in id order whatever the order of sealing, copy-on-write, and the
 * binary search of {@link SegmentList#sealedHolding} at every edge: first and last id of each
 * segment, the gaps between segments, before the first and after the last.
 *
 * <p>Three real sealed segments {@code s1 < s2 < s3} of three documents each; one id of the same
 * increasing stream is left out before, between and after them ({@code gaps}).
 */
class SegmentListTest {
    @TempDir
    Path dir;

    private final TestDocuments generator = new TestDocuments(3);
    private final List<UUID> gaps = new ArrayList<>();
    private final List<List<UUID>> ids = new ArrayList<>();
    private final List<SealedSegment> open = new ArrayList<>();
    private SealedSegment s1;
    private SealedSegment s2;
    private SealedSegment s3;

    @BeforeEach
    void sealThreeSegments() throws IOException {
        gaps.add(generator.nextId());
        s1 = seal("seg-1");
        gaps.add(generator.nextId());
        s2 = seal("seg-2");
        gaps.add(generator.nextId());
        s3 = seal("seg-3");
        gaps.add(generator.nextId());
    }

    @AfterEach
    void close() {
        open.forEach(SealedSegment::close);
    }

    @Test
    void withSealedKeepsIdOrderWhateverTheOrderOfSealing() {
        SegmentList list = SegmentList.empty().withSealed(s3).withSealed(s1).withSealed(s2);
        assertEquals(List.of("seg-1", "seg-2", "seg-3"), ids(list));
        assertEquals(Optional.empty(), list.active());
    }

    @Test
    void changesMakeANewListAndLeaveTheOldOneAlone() {
        SegmentList two = SegmentList.empty().withSealed(s1).withSealed(s2);
        SegmentList three = two.withSealed(s3);
        SegmentList without = three.without("seg-2");
        assertEquals(List.of("seg-1", "seg-2"), ids(two));
        assertEquals(List.of("seg-1", "seg-2", "seg-3"), ids(three));
        assertEquals(List.of("seg-1", "seg-3"), ids(without));
        assertThrows(UnsupportedOperationException.class, () -> three.sealed().add(s1));
    }

    @Test
    void theConstructorCopiesItsList() {
        List<SealedSegment> mutable = new ArrayList<>(List.of(s1));
        SegmentList list = new SegmentList(mutable, Optional.empty(), Map.of());
        mutable.add(s2);
        assertEquals(List.of("seg-1"), ids(list));
    }

    @Test
    void withoutRemovesOnlyThatSegmentAndIgnoresUnknownIds() {
        SegmentList all = all();
        assertEquals(List.of("seg-2", "seg-3"), ids(all.without("seg-1")));
        assertEquals(List.of("seg-1", "seg-2"), ids(all.without("seg-3")));
        assertEquals(List.of("seg-1", "seg-2", "seg-3"), ids(all.without("seg-9")));
    }

    @Test
    void archivedSwapsTheSegmentOfTheSameIdInPlaceAndRecordsWhen() throws IOException {
        SealedSegment again = SealedSegment.open(SegmentFiles.sealed(dir, "seg-2"), SegmentState.ARCHIVED);
        open.add(again);
        SegmentList replaced = all().archived(again, 1234L);
        assertEquals(List.of("seg-1", "seg-2", "seg-3"), ids(replaced));
        assertSame(s1, replaced.sealed().get(0));
        assertSame(again, replaced.sealed().get(1));
        assertSame(s3, replaced.sealed().get(2));
        assertEquals(List.of(s1, s2, s3), all().sealed(), "the old list still holds the old segment");
        assertEquals(1234L, replaced.info(again).archivedAt());
        assertNull(replaced.info(s1).archivedAt());
        assertNull(replaced.without("seg-2").archivedAt().get("seg-2"), "an evicted segment's archive time goes too");
    }

    @Test
    void sealedFindsBySegmentId() {
        SegmentList all = all();
        assertSame(s2, all.sealed("seg-2").orElseThrow());
        assertEquals(Optional.empty(), all.sealed("seg-4"));
        assertEquals(Optional.empty(), SegmentList.empty().sealed("seg-1"));
    }

    @Test
    void sealedHoldingFindsEverySegmentsFirstMiddleAndLastId() {
        SegmentList all = all();
        List<SealedSegment> segments = List.of(s1, s2, s3);
        for (int s = 0; s < 3; s++) {
            for (UUID id : ids.get(s)) {
                assertSame(segments.get(s), all.sealedHolding(id).orElse(null), "id " + id + " of segment " + (s + 1));
            }
        }
    }

    @Test
    void sealedHoldingFindsNothingBeforeBetweenOrAfterTheSegments() {
        SegmentList all = all();
        for (UUID gap : gaps) {
            assertNull(all.sealedHolding(gap).orElse(null), "gap id " + gap);
        }
        assertNull(SegmentList.empty().sealedHolding(ids.get(0).get(0)).orElse(null));
    }

    @Test
    void sealedHoldingOnOneAndTwoSegments() {
        SegmentList one = SegmentList.empty().withSealed(s2);
        assertSame(s2, one.sealedHolding(ids.get(1).get(0)).orElse(null));
        assertNull(one.sealedHolding(ids.get(0).get(2)).orElse(null));
        assertNull(one.sealedHolding(ids.get(2).get(0)).orElse(null));
        SegmentList two = SegmentList.empty().withSealed(s1).withSealed(s3);
        assertSame(s1, two.sealedHolding(ids.get(0).get(2)).orElse(null));
        assertSame(s3, two.sealedHolding(ids.get(2).get(0)).orElse(null));
        assertNull(two.sealedHolding(ids.get(1).get(1)).orElse(null), "the ids of the segment not in the list");
    }

    private SegmentList all() {
        return SegmentList.empty().withSealed(s1).withSealed(s2).withSealed(s3);
    }

    private static List<String> ids(SegmentList list) {
        return list.sealed().stream().map(SealedSegment::id).toList();
    }

    private SealedSegment seal(String segmentId) throws IOException {
        List<NewDocument> batch = generator.batch(3);
        ids.add(batch.stream().map(NewDocument::id).toList());
        ActiveSegment active = ActiveSegment.create(
                dir,
                SegmentHeader.create(segmentId, 0, Codec.NONE, 0, 0, null),
                DurabilityMode.NEVER,
                InstantSource.system());
        active.append(batch);
        SealedSegment sealed = active.seal();
        open.add(sealed);
        return sealed;
    }
}
