package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Checks a (re)started service against what the clients were told ({@link Ledger}):
 * <ul>
 *   <li>readiness UP, nothing quarantined;</li>
 *   <li>journal: seqs 1..n without gaps, what was read before is unchanged (no seq reused), no
 *       SEGMENT_QUARANTINED, per segment at most one SEALED, ARCHIVED, EVICTED in that order;</li>
 *   <li>segments: each listed once, none evicted, each sealed one has its SEALED event and the
 *       event's document count;</li>
 *   <li>a full NDJSON scan: ids strictly increasing, each uid once, content identical to what was
 *       sent, every acknowledged document of a segment not evicted present in the segment its ack
 *       named, nothing of an evicted segment, no document nobody sent;</li>
 *   <li>a paged scan (cursor) returns the same ids; gets of the 50 newest acknowledged documents
 *       of the last cycle (the ones a crash is most likely to take) and samples of the others
 *       return identical content, and 404 for evicted ones.</li>
 * </ul>
 * Documents that were in flight at the kill and survived become part of what must stay.
 */
final class StoreCheck {
    /** What one check found. */
    record Result(
            int scanned,
            int acknowledgedChecked,
            int lost,
            int events,
            int inFlightKept,
            int inFlightGone,
            int evictedSegments,
            List<String> failures) {}

    private final Api api;
    private final Ledger ledger;
    private List<JsonNode> previousEvents = List.of();
    private final Set<String> evictedBefore = new HashSet<>();
    /** Acks in evicted segments, dropped from the ledger once checked gone. */
    long evictedAcks;
    /** Live acknowledged documents found intact after at least one restart. */
    private final Set<UUID> verifiedAfterRestart = new HashSet<>();
    /** Such documents whose segment was evicted later. */
    private long verifiedThenEvicted;
    /** Documents kept from requests that got no answer (not acknowledged, so not counted above). */
    private final Set<UUID> recoveredInFlight = new HashSet<>();

    StoreCheck(Api api, Ledger ledger) {
        this.api = api;
        this.ledger = ledger;
    }

    /** Acknowledged documents found intact after at least one restart (before any eviction of theirs). */
    long verifiedAfterRestart() {
        return verifiedAfterRestart.size() + verifiedThenEvicted;
    }

    Result verify(int cycle, int olderSample, SplittableRandom random) throws Exception {
        List<String> failures = new ArrayList<>();
        // Readiness.
        JsonNode ready = api.readiness();
        if (!"UP".equals(ready.path("status").asText())) {
            failures.add("readiness not UP: " + ready);
        }
        String quarantined = api.storeCheckData().path("quarantined").asText("");
        if (!quarantined.isEmpty()) {
            failures.add("quarantined after a crash: " + quarantined);
        }
        // Journal.
        List<JsonNode> events = api.events();
        Map<String, List<String>> lifecycle = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            if (event.get("seq").asLong() != i + 1) {
                failures.add("journal seq " + event.get("seq") + " at position " + (i + 1) + " (gap or reuse)");
                break;
            }
            String type = event.get("type").asText();
            if (type.equals("SEGMENT_QUARANTINED")) {
                failures.add("quarantine event after a crash: " + event);
            }
            lifecycle
                    .computeIfAbsent(event.get("segment").asText(), k -> new ArrayList<>())
                    .add(type);
        }
        for (int i = 0; i < Math.min(previousEvents.size(), events.size()); i++) {
            JsonNode before = previousEvents.get(i);
            JsonNode now = events.get(i);
            for (String field :
                    List.of("seq", "type", "segment", "reason", "documents", "minTimestamp", "maxTimestamp")) {
                if (!before.path(field).equals(now.path(field))) {
                    failures.add("event seq " + before.get("seq") + " changed: was " + before + ", now " + now);
                    break;
                }
            }
        }
        if (events.size() < previousEvents.size()) {
            failures.add("journal shrank from " + previousEvents.size() + " to " + events.size() + " events");
        }
        Set<String> evicted = new HashSet<>();
        Map<String, Long> sealedCounts = new HashMap<>();
        lifecycle.forEach((segment, types) -> {
            List<String> order = List.of("SEGMENT_SEALED", "SEGMENT_ARCHIVED", "SEGMENT_EVICTED");
            int last = -1;
            for (String type : types) {
                int at = order.indexOf(type);
                if (at <= last || (at > 0 && last < 0)) {
                    failures.add("segment " + segment + " has events " + types);
                    break;
                }
                last = at;
            }
            if (types.contains("SEGMENT_EVICTED")) {
                evicted.add(segment);
            }
        });
        for (JsonNode event : events) {
            if (event.get("type").asText().equals("SEGMENT_SEALED")) {
                sealedCounts.put(
                        event.get("segment").asText(), event.get("documents").asLong());
            }
        }
        // Segments.
        Map<String, JsonNode> listed = new HashMap<>();
        for (JsonNode segment : api.segments()) {
            String id = segment.get("id").asText();
            if (listed.put(id, segment) != null) {
                failures.add("segment listed twice: " + id);
            }
            if (evicted.contains(id)) {
                failures.add("evicted segment still listed: " + segment);
            }
            if (!segment.get("state").asText().equals("ACTIVE") && !sealedCounts.containsKey(id)) {
                failures.add("sealed segment without SEGMENT_SEALED event: " + segment);
            }
        }
        sealedCounts.forEach((id, count) -> {
            if (!evicted.contains(id) && !listed.containsKey(id)) {
                failures.add("segment " + id + " sealed, never evicted, but gone");
            }
        });
        // Full scan.
        Map<UUID, JsonNode> scanned = new HashMap<>();
        Map<Long, UUID> byUid = new HashMap<>();
        Map<String, Long> perSegment = new HashMap<>();
        UUID[] last = {null};
        int status = api.scanNdjson("", doc -> {
            UUID id = UUID.fromString(doc.get("id").asText());
            if (last[0] != null && Ids.compare(id, last[0]) <= 0) {
                failures.add("scan not in id order: " + id + " after " + last[0]);
            }
            last[0] = id;
            long uid = doc.path("source").path("uid").asLong(-1);
            if (!Docs.matches(doc.get("source"), uid)) {
                failures.add("stored content differs from what was sent: " + doc);
            }
            UUID earlier = byUid.put(uid, id);
            if (earlier != null) {
                failures.add("document uid " + uid + " stored twice: " + earlier + " and " + id);
            }
            String segment = doc.get("segment").asText();
            if (evicted.contains(segment)) {
                failures.add("document of evicted segment " + segment + " still served: " + id);
            }
            perSegment.merge(segment, 1L, Long::sum);
            scanned.put(id, doc);
        });
        if (status != 200) {
            failures.add("NDJSON scan answered " + status);
        }
        perSegment.forEach((segment, count) -> {
            JsonNode info = listed.get(segment);
            if (info == null) {
                failures.add("scan returned documents of unlisted segment " + segment);
            } else if (info.get("documents").asLong() != count) {
                failures.add(
                        "segment " + segment + " lists " + info.get("documents") + " documents, scan saw " + count);
            }
            Long sealedCount = sealedCounts.get(segment);
            if (sealedCount != null && sealedCount != (long) count) {
                failures.add("SEGMENT_SEALED of " + segment + " says " + sealedCount + " documents, scan saw " + count);
            }
        });
        // Acknowledged documents.
        int lost = 0;
        int checked = 0;
        Set<Long> ackedUids = new HashSet<>();
        List<Ledger.Ack> toGet = new ArrayList<>();
        List<Ledger.Ack> current = new ArrayList<>();
        List<Ledger.Ack> gone = new ArrayList<>();
        List<Ledger.Ack> older = new ArrayList<>();
        for (Ledger.Ack ack : List.copyOf(ledger.acked.values())) {
            ackedUids.add(ack.uid());
            JsonNode doc = scanned.get(ack.id());
            if (evicted.contains(ack.segment())) {
                if (doc != null) {
                    failures.add("acknowledged document of evicted segment still there: " + ack);
                }
                gone.add(ack); // must be 404
                continue;
            }
            checked++;
            if (doc == null) {
                lost++;
                if (lost <= 20) {
                    failures.add("LOST acknowledged document " + ack);
                }
                continue;
            }
            if (doc.path("source").path("uid").asLong(-1) != ack.uid()) {
                failures.add(
                        "id " + ack.id() + " holds uid " + doc.path("source").path("uid") + ", acked for " + ack.uid());
            }
            if (!recoveredInFlight.contains(ack.id())) {
                verifiedAfterRestart.add(ack.id());
            }
            if (!doc.get("segment").asText().equals(ack.segment())) {
                failures.add("document " + ack.id() + " acked in segment " + ack.segment() + ", found in "
                        + doc.get("segment").asText());
            }
            if (ack.cycle() == cycle) {
                current.add(ack);
            } else {
                older.add(ack);
            }
        }
        // Gets: the newest acks of the last cycle (the ones a crash is most likely to take), and samples.
        current.sort(
                java.util.Comparator.comparingLong(Ledger.Ack::ackedAtNanos).reversed());
        toGet.addAll(current.subList(0, Math.min(50, current.size())));
        for (int i = 0; i < olderSample; i++) {
            if (current.size() > 50) {
                toGet.add(current.get(50 + random.nextInt(current.size() - 50)));
            }
            if (!older.isEmpty()) {
                toGet.add(older.get(random.nextInt(older.size())));
            }
            if (!gone.isEmpty() && i < 10) {
                toGet.add(gone.get(random.nextInt(gone.size())));
            }
        }
        for (Ledger.Ack ack : toGet) {
            Api.Response got = api.get("/api/v1/documents/" + ack.id());
            if (evicted.contains(ack.segment())) {
                if (got.status() != 404 || !got.isProblem()) {
                    failures.add("get of evicted " + ack.id() + ": " + got);
                }
            } else if (got.status() != 200 || !Docs.matches(got.json().get("source"), ack.uid())) {
                failures.add("get " + ack + ": " + got);
            }
        }
        // Documents in flight at the kill: kept at most once (checked above), and then they stay.
        int kept = 0;
        for (Long uid : List.copyOf(ledger.unanswered)) {
            UUID id = byUid.get(uid);
            if (id != null) {
                JsonNode doc = scanned.get(id);
                ledger.acked.put(id, new Ledger.Ack(id, uid, doc.get("segment").asText(), cycle, System.nanoTime()));
                recoveredInFlight.add(id);
                ackedUids.add(uid);
                kept++;
            }
        }
        int inFlightGone = ledger.unanswered.size() - kept;
        ledger.unanswered.clear();
        for (Long uid : byUid.keySet()) {
            if (!ackedUids.contains(uid)) {
                failures.add("document uid " + uid + " that no client sent (or sent and was refused)");
            }
        }
        // Paged scan = NDJSON scan.
        List<UUID> paged = api.scanPaged(997).stream()
                .map(d -> UUID.fromString(d.get("id").asText()))
                .toList();
        List<UUID> streamed = scanned.keySet().stream().sorted(Ids::compare).toList();
        if (!paged.equals(streamed)) {
            failures.add("paged scan returned " + paged.size() + " ids, NDJSON scan " + streamed.size()
                    + " (or in another order)");
        }
        // Forget what is verifiably gone, keep the rest for the next cycle.
        for (Ledger.Ack ack : List.copyOf(ledger.acked.values())) {
            if (evicted.contains(ack.segment())) {
                ledger.acked.remove(ack.id());
                evictedAcks++;
                if (verifiedAfterRestart.remove(ack.id())) {
                    verifiedThenEvicted++;
                }
            }
        }
        previousEvents = events;
        evictedBefore.addAll(evicted);
        return new Result(scanned.size(), checked, lost, events.size(), kept, inFlightGone, evicted.size(), failures);
    }
}
