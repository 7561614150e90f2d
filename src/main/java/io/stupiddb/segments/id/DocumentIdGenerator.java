package io.stupiddb.segments.id;

import java.time.InstantSource;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * Generates document ids: UUIDv7 (RFC 9562) that are strictly increasing for every call of one
 * generator and carry the node number ({@code segments.node-id}).
 *
 * <h2>Bit layout</h2>
 * Drawn once, in {@link DocumentIds} (and docs/IDS.md): the 48-bit timestamp, version 7, the
 * 42-bit counter split around the 10-bit node number by the variant bits, a 22-bit random tail.
 * The node id sits between the counter's halves but is constant for one generator, so a larger
 * counter at the same timestamp is a larger id.
 *
 * <h2>Algorithm (RFC 9562 §6.2, method 1 with a randomly seeded counter)</h2>
 * Keep the last timestamp {@code t} and counter {@code c}. With {@code now = clock.millis()}:
 * <ul>
 *   <li>{@code now > t}: {@code t = now}, {@code c} = a random 41-bit value (the top counter bit
 *       starts at 0, so at least 2<sup>41</sup> ids fit in every millisecond);</li>
 *   <li>otherwise (clock stood still or stepped back): {@code c = c + 1};</li>
 *   <li>counter exhausted: {@code t = t + 1} (the id runs ahead of the clock until it catches up),
 *       counter re-seeded.</li>
 * </ul>
 * The tail is random for every id. Timestamps never decrease and at equal timestamps the counter
 * grows, so every id is greater, as an unsigned 128-bit number and as canonical text, than the
 * one before.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Every id returned is greater ({@link DocumentIds#compare}) than every id this generator
 *       returned before and than the {@code floor} it was built with.</li>
 *   <li>{@code DocumentIds.nodeOf(next()) == nodeId()}.</li>
 *   <li>The timestamp is {@code max(clock, last timestamp)}, plus at most the milliseconds
 *       borrowed on counter overflow.</li>
 * </ul>
 * Restart: the store passes the largest id it holds as {@code floor}; a clock that is behind the
 * floor then continues the floor's timestamp and counter. A floor written under another node id
 * (the node id was changed) makes the first id start at the floor's timestamp + 1 ms.
 *
 * <p>Thread-safety: thread-safe; {@link #next()} is serialised on an internal lock (the store
 * already calls it under its writer lock, so the lock is uncontended).
 */
public final class DocumentIdGenerator {

    /** Largest valid {@code segments.node-id}. */
    public static final int MAX_NODE_ID = 1023;

    static final int COUNTER_BITS = 42;
    static final long COUNTER_MAX = (1L << COUNTER_BITS) - 1;
    private static final long SEED_MASK = (1L << (COUNTER_BITS - 1)) - 1;
    static final long MAX_TIMESTAMP = (1L << 48) - 1;

    private final int nodeId;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final ReentrantLock stateLock = new ReentrantLock();
    /** Timestamp of the last id (or of the floor). Guarded by {@link #stateLock}. */
    private long lastMillis;
    /** Counter of the last id (or of the floor). Guarded by {@link #stateLock}. */
    private long counter;

    /**
     * @param nodeId {@code segments.node-id}, 0–1023
     * @param clock  the store's clock
     * @param floor  the largest id the store already holds, or null for an empty store; must be
     *               a UUIDv7
     * @throws IllegalArgumentException when {@code nodeId} is out of range or {@code floor} is
     *                                  not a UUIDv7
     */
    public DocumentIdGenerator(int nodeId, InstantSource clock, UUID floor) {
        this(nodeId, clock, floor, new ThreadLocalRandomSource());
    }

    DocumentIdGenerator(int nodeId, InstantSource clock, UUID floor, RandomGenerator random) {
        if (nodeId < 0 || nodeId > MAX_NODE_ID) {
            throw new IllegalArgumentException(
                    "segments.node-id must be between 0 and " + MAX_NODE_ID + ", got " + nodeId);
        }
        this.nodeId = nodeId;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (floor == null) {
            // "Before the epoch, counter exhausted": the first call takes a fresh timestamp >= 0.
            this.lastMillis = -1;
            this.counter = COUNTER_MAX;
        } else {
            if (!DocumentIds.isVersion7(floor)) {
                throw new IllegalArgumentException("floor id is not a UUIDv7: " + floor);
            }
            this.lastMillis = DocumentIds.timestampMillisOf(floor);
            // Same node: continue the floor's counter. Other node: the node bits sit above
            // counter_lo, so only a later timestamp is guaranteed to be larger.
            this.counter = DocumentIds.nodeOf(floor) == nodeId ? DocumentIds.counterOf(floor) : COUNTER_MAX;
        }
    }

    /** The node number every id of this generator carries. */
    public int nodeId() {
        return nodeId;
    }

    /**
     * The next id, greater than every id returned before. Thread-safe.
     *
     * @throws IllegalStateException when the 48-bit timestamp would overflow (year 10889)
     */
    public UUID next() {
        stateLock.lock();
        try {
            long now = clock.millis();
            if (now > lastMillis) {
                startMillisecond(now);
            } else if (counter < COUNTER_MAX) {
                counter++;
            } else {
                startMillisecond(lastMillis + 1);
            }
            return DocumentIds.compose(lastMillis, nodeId, counter, random.nextLong());
        } finally {
            stateLock.unlock();
        }
    }

    private void startMillisecond(long millis) {
        if (millis > MAX_TIMESTAMP) {
            throw new IllegalStateException("UUIDv7 timestamp exhausted: " + millis + " ms does not fit in 48 bits");
        }
        lastMillis = millis;
        counter = random.nextLong() & SEED_MASK;
    }

    /** {@link ThreadLocalRandom} behind the {@link RandomGenerator} interface, seeded at run time. */
    private static final class ThreadLocalRandomSource implements RandomGenerator {
        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }
    }
}
