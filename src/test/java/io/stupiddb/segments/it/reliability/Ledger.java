package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the clients know: every acknowledged document (a 201 received) with its uid, the segment
 * the ack named and when it arrived; the uids sent without an answer; problems seen while the
 * service was up. Thread-safe.
 */
final class Ledger {
    /** One acknowledged document. */
    record Ack(UUID id, long uid, String segment, int cycle, long ackedAtNanos) {}

    final Map<UUID, Ack> acked = new ConcurrentHashMap<>();
    /** Uids whose request got no answer (in flight at the kill): each may exist at most once. */
    final Set<Long> unanswered = ConcurrentHashMap.newKeySet();

    final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextUid;

    Ledger(long firstUid) {
        this.nextUid = new AtomicLong(firstUid);
    }

    long nextUid() {
        return nextUid.getAndIncrement();
    }

    /**
     * Records the acks of a 201 answer to a write of {@code uids} ({@code {"id","segment",…}} or
     * {@code {"count","documents":[…]}} in input order).
     */
    List<Ack> acknowledge(List<Long> uids, JsonNode body, boolean batch, int cycle) {
        long now = System.nanoTime();
        List<Ack> acks = new ArrayList<>(uids.size());
        if (!batch) {
            UUID id = UUID.fromString(body.get("id").asText());
            acks.add(new Ack(id, uids.getFirst(), body.get("segment").asText(), cycle, now));
        } else {
            JsonNode documents = body.get("documents");
            if (body.get("count").asInt() != uids.size() || documents.size() != uids.size()) {
                problem("batch of " + uids.size() + " acknowledged as " + body);
                return acks;
            }
            for (int i = 0; i < uids.size(); i++) {
                JsonNode written = documents.get(i);
                acks.add(new Ack(
                        UUID.fromString(written.get("id").asText()),
                        uids.get(i),
                        written.get("segment").asText(),
                        cycle,
                        now));
            }
        }
        for (Ack ack : acks) {
            if (acked.putIfAbsent(ack.id(), ack) != null) {
                problem("id " + ack.id() + " acknowledged twice");
            }
        }
        return acks;
    }

    void problem(String text) {
        if (problems.size() < 1000) {
            problems.add(text);
        }
    }
}
