package io.stupiddb.segments.testing;

import io.stupiddb.segments.format.DictionarySampler;
import io.stupiddb.segments.segment.NewDocument;

import java.util.SplittableRandom;

/** A zstd dictionary trained once on generated log events, shared by tests. */
public final class DictionaryFixture {
    private static final byte[] DICTIONARY = train();

    private DictionaryFixture() {}

    public static byte[] dictionary() {
        return DICTIONARY.clone();
    }

    private static byte[] train() {
        DictionarySampler sampler = new DictionarySampler(16 * 1024, 2 * 1024 * 1024, new SplittableRandom(7));
        TestDocuments generator = new TestDocuments(99);
        for (NewDocument doc : generator.batch(3000)) {
            sampler.offer(doc.source(), doc.source().length);
        }
        return sampler.train().orElseThrow();
    }
}
