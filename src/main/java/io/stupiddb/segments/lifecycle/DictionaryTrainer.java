package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.segment.ActiveSegment;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the zstd dictionary new segments are created with. One trained dictionary is used for a
 * day of segments ({@link #LIFETIME}): documents of a store change slowly, and sharing one keeps a
 * single copy in memory (DictionaryRegistry) and keeps gets from switching dictionaries. When it is
 * older, the next sealed segment's sampled documents train a new one, in the background: a later
 * segment uses it.
 *
 * <p>Thread-safety: {@link #offer} is called by the rotator under the writer lock; the training
 * runs on the given executor; {@link #current} from any thread.
 */
public final class DictionaryTrainer {
    /** How long one trained dictionary is used for new segments. */
    public static final Duration LIFETIME = Duration.ofDays(1);

    private final ExecutorService background;
    /** A training is queued or running: rotations meanwhile do not queue another one. */
    private final AtomicBoolean training = new AtomicBoolean();

    private volatile byte[] dictionary;
    /** When {@link #dictionary} was trained (epoch ms; 0: never). */
    private volatile long trainedAt;

    public DictionaryTrainer(ExecutorService background) {
        this.background = background;
    }

    /** Starts from the dictionary of the newest segment found at start-up. */
    public void resume(byte[] newest, long trainedAtMillis) {
        this.dictionary = newest;
        this.trainedAt = trainedAtMillis;
    }

    /** The dictionary for a segment created now; empty before the first training. */
    public Optional<byte[]> current() {
        return Optional.ofNullable(dictionary);
    }

    /**
     * Trains a new dictionary from {@code sealed}'s samples when there is none or it is past its
     * lifetime. Training takes ~1 s for 4,096 samples: off the write path. One at a time: when
     * segments are sealed faster than that (a backfill), rotations do not queue more.
     */
    public void offer(ActiveSegment sealed, long nowMillis) {
        if (background.isShutdown()
                || (dictionary != null && nowMillis - trainedAt < LIFETIME.toMillis())
                || !training.compareAndSet(false, true)) {
            return;
        }
        trainedAt = nowMillis;
        background.execute(() -> {
            try {
                sealed.trainDictionary().ifPresent(d -> dictionary = d);
            } finally {
                training.set(false);
            }
        });
    }
}
