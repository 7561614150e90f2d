package io.stupiddb.segments.format;

import com.github.luben.zstd.ZstdDictTrainer;
import com.github.luben.zstd.ZstdException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Keeps a bounded, uniform sample (reservoir sampling) of the payloads written to one segment
 * and trains a zstd dictionary from it for the next segment. Documents of one store look alike
 * from hour to hour, so a dictionary from the previous segment gets per-record compression
 * close to whole-file zstd while each get still decompresses only its own record
 * (measured in docs/FORMAT.md, "Compression").
 *
 * <p>Not thread-safe: fed by the single writer; {@link #train()} may run on another thread
 * once the writer is done with it.
 */
public final class DictionarySampler {
    /** zstd's own advice: about 100 times the dictionary size in samples; we keep it bounded. */
    public static final int DEFAULT_DICTIONARY_SIZE = 32 * 1024;

    public static final int DEFAULT_SAMPLE_BUDGET = 4 * 1024 * 1024;
    private static final int MIN_SAMPLES = 64;
    private static final int MAX_SAMPLE_SIZE = 64 * 1024;

    private final int dictionarySize;
    private final int maxSamples;
    private final RandomGenerator random;
    private final List<byte[]> samples = new ArrayList<>();
    private long seen;

    public DictionarySampler(int dictionarySize, int sampleBudget, RandomGenerator random) {
        this.dictionarySize = dictionarySize;
        this.maxSamples = Math.max(MIN_SAMPLES, sampleBudget / 1024);
        this.random = random;
    }

    public static DictionarySampler withDefaults(long seed) {
        return new DictionarySampler(
                DEFAULT_DICTIONARY_SIZE, DEFAULT_SAMPLE_BUDGET, new java.util.SplittableRandom(seed));
    }

    /** Offers one payload; copies it only when the reservoir keeps it. */
    public void offer(byte[] payload, int length) {
        if (length > MAX_SAMPLE_SIZE) {
            return;
        }
        seen++;
        if (samples.size() < maxSamples) {
            samples.add(java.util.Arrays.copyOf(payload, length));
        } else {
            long slot = random.nextLong(seen);
            if (slot < maxSamples) {
                samples.set((int) slot, java.util.Arrays.copyOf(payload, length));
            }
        }
    }

    public int sampleCount() {
        return samples.size();
    }

    /**
     * Trains a dictionary from the samples; empty when there are too few to be worth it or
     * zstd cannot build one from them (then the next segment is compressed without one).
     */
    public Optional<byte[]> train() {
        if (samples.size() < MIN_SAMPLES) {
            return Optional.empty();
        }
        long total = 0;
        for (byte[] sample : samples) {
            total += sample.length;
        }
        ZstdDictTrainer trainer = new ZstdDictTrainer((int) Math.min(Integer.MAX_VALUE - 8, total), dictionarySize);
        for (byte[] sample : samples) {
            trainer.addSample(sample);
        }
        try {
            byte[] dictionary = trainer.trainSamples();
            return dictionary.length == 0 ? Optional.empty() : Optional.of(dictionary);
        } catch (ZstdException e) {
            return Optional.empty();
        }
    }
}
