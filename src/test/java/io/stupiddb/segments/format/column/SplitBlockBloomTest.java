package io.stupiddb.segments.format.column;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitBlockBloomTest {

    private static long hash(String s) {
        return XxHash64.hash(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sizedAtAboutTenBitsPerValueForOnePercent() {
        // parquet-format: -8 n / ln(1 - p^(1/8)) bits = 9.68 bits per value at 1%.
        int blocks = SplitBlockBloom.blocksFor(8_192, 0.01);
        assertEquals(310, blocks); // ceil(8192 × 9.68 / 256)
        assertEquals(1, SplitBlockBloom.blocksFor(0, 0.01));
    }

    @Test
    void hasNoFalseNegativesAndAboutTheRequestedFalsePositiveRate() {
        int n = 8_192;
        SplitBlockBloom bloom = SplitBlockBloom.forValues(n, 0.01);
        for (int i = 0; i < n; i++) {
            bloom.add(hash("trace-" + i));
        }
        byte[] stored = new byte[bloom.blocks() * SplitBlockBloom.BLOCK_BYTES + 5];
        bloom.writeTo(stored, 5);
        MemorySegment segment = MemorySegment.ofArray(stored);
        for (int i = 0; i < n; i++) {
            assertTrue(bloom.mightContain(hash("trace-" + i)));
            assertTrue(SplitBlockBloom.mightContain(segment, 5, bloom.blocks(), hash("trace-" + i)));
        }
        int falsePositives = 0;
        int probes = 200_000;
        for (int i = 0; i < probes; i++) {
            boolean inMemory = bloom.mightContain(hash("absent-" + i));
            assertEquals(inMemory, SplitBlockBloom.mightContain(segment, 5, bloom.blocks(), hash("absent-" + i)));
            falsePositives += inMemory ? 1 : 0;
        }
        double rate = (double) falsePositives / probes;
        assertTrue(rate > 0.003 && rate < 0.02, "false-positive rate " + rate);
    }
}
