package io.stupiddb.segments.journal;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleEventTest {

    @Test
    void factoriesSetTypeAndReason() {
        assertEquals(
                LifecycleEventType.SEGMENT_SEALED,
                LifecycleEvent.Draft.sealed("s", 1L, 2L, 3).type());
        assertEquals(
                LifecycleEventType.SEGMENT_ARCHIVED,
                LifecycleEvent.Draft.archived("s", null, null, 0).type());
        var evicted = LifecycleEvent.Draft.evicted("s", EvictionReason.MANUAL, 1L, 1L, 1);
        assertEquals(LifecycleEventType.SEGMENT_EVICTED, evicted.type());
        assertEquals(EvictionReason.MANUAL, evicted.reason());
        var quarantined = LifecycleEvent.Draft.quarantined("s", "footer checksum mismatch", null, null, 0);
        assertEquals(LifecycleEventType.SEGMENT_QUARANTINED, quarantined.type());
        assertNull(quarantined.reason());
        assertEquals("footer checksum mismatch", quarantined.detail());
    }

    @Test
    void reasonOnlyForEvictions() {
        assertThrows(NullPointerException.class, () -> LifecycleEvent.Draft.evicted("s", null, null, null, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new LifecycleEvent.Draft(
                        LifecycleEventType.SEGMENT_SEALED, "s", EvictionReason.SIZE, null, null, null, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new LifecycleEvent.Draft(LifecycleEventType.SEGMENT_EVICTED, "s", null, null, null, null, 0));
    }

    @Test
    void rejectsInvalidFields() {
        assertThrows(IllegalArgumentException.class, () -> LifecycleEvent.Draft.sealed("", null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> LifecycleEvent.Draft.sealed("x".repeat(256), null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> LifecycleEvent.Draft.sealed("s", null, null, -1));
        assertThrows(IllegalArgumentException.class, () -> LifecycleEvent.Draft.sealed("s", 5L, 4L, 1));
        assertThrows(NullPointerException.class, () -> LifecycleEvent.Draft.sealed(null, null, null, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new LifecycleEvent(
                        0, LifecycleEventType.SEGMENT_SEALED, "s", Instant.EPOCH, null, null, null, null, 0));
    }

    @Test
    void longDetailIsShortenedWithoutSplittingASurrogatePair() {
        String detail = "a".repeat(LifecycleEvent.MAX_DETAIL_LENGTH - 2) + "\uD83D\uDE00" + "tail";
        String shortened =
                LifecycleEvent.Draft.quarantined("s", detail, null, null, 0).detail();
        assertTrue(shortened.length() <= LifecycleEvent.MAX_DETAIL_LENGTH);
        assertTrue(shortened.endsWith("a…"), shortened.substring(shortened.length() - 5));
        String exact = "b".repeat(LifecycleEvent.MAX_DETAIL_LENGTH);
        assertEquals(
                exact,
                LifecycleEvent.Draft.sealed("s", null, null, 0)
                        .withDetail(exact)
                        .detail());
    }

    @Test
    void textIsStoredAsItWillBeReadBack() {
        var draft = LifecycleEvent.Draft.quarantined("s", "lone \uD800 surrogate", null, null, 0);
        assertEquals("lone ? surrogate", draft.detail());
    }
}
