package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.DictionarySampler;

import java.time.Duration;
import java.util.Optional;

/**
 * Keeps the zstd dictionary compacted segments are written with. One trained dictionary is used
 * for a day of segments ({@link #LIFETIME}): documents of a store change slowly, and sharing one
 * keeps a single copy in memory (DictionaryRegistry) and keeps gets from switching dictionaries.
 * When there is none or it is older, the documents sampled from the segment being compacted train
 * a new one, which that very segment uses (the compaction thread pays the ~1 s of training, off
 * the write path).
 *
 * <p>Thread-safety: {@link #forSegment} is called by the one compaction thread; {@link #current}
 * and {@link #resume} from any thread.
 */
public final class DictionaryTrainer {
    /** How long one trained dictionary is used for new segments. */
    public static final Duration LIFETIME = Duration.ofDays(1);

    private volatile byte[] dictionary;
    /** When {@link #dictionary} was trained (epoch ms; 0: never). */
    private volatile long trainedAt;

    /** Starts from the dictionary of the newest segment found at start-up. */
    public void resume(byte[] newest, long trainedAtMillis) {
        this.dictionary = newest;
        this.trainedAt = trainedAtMillis;
    }

    /** The dictionary in use; empty before the first training. */
    public Optional<byte[]> current() {
        return Optional.ofNullable(dictionary);
    }

    /**
     * The dictionary for a segment compacted at {@code nowMillis}: the current one, or one trained
     * from {@code samples} when there is none or it is past its lifetime (null when training is not
     * possible, e.g. too few samples, and there is no dictionary yet).
     */
    public byte[] forSegment(long nowMillis, DictionarySampler samples) {
        if (dictionary == null || nowMillis - trainedAt >= LIFETIME.toMillis()) {
            Optional<byte[]> trained = samples.train();
            if (trained.isPresent()) {
                dictionary = trained.get();
                trainedAt = nowMillis;
            }
        }
        return dictionary;
    }
}
