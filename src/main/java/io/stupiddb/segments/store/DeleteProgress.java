package io.stupiddb.segments.store;

import java.util.Map;
import java.util.Optional;

/**
 * Where deletes by filter stand (metrics, {@code GET /segments}).
 *
 * @param pending            segment id → deleted documents it still holds (until rewritten)
 * @param rewriting          the segment being rewritten now
 * @param deletedTotal       documents deleted since start-up
 * @param rewrites           segments rewritten (or evicted as emptied) since start-up
 * @param reclaimedDocuments deleted documents whose space came back since start-up
 */
public record DeleteProgress(
        Map<String, Integer> pending,
        Optional<String> rewriting,
        long deletedTotal,
        long rewrites,
        long reclaimedDocuments) {
    public DeleteProgress {
        pending = Map.copyOf(pending);
    }

    /** Deleted documents {@code segmentId} still holds (0 when none or rewritten). */
    public int pendingIn(String segmentId) {
        return pending.getOrDefault(segmentId, 0);
    }
}
