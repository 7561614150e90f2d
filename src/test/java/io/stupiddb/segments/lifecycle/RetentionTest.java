package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@link Retention}'s two rules as tables of segment lists. A segment is written {@code
 * "<id>:<state>:<max timestamp or ->:<size>"}, e.g. {@code "a:SEALED:100:10"}; lists are oldest first.
 */
class RetentionTest {
    private static final long NOW = 10_000;

    static Stream<Arguments> beyondTime() {
        return Stream.of(
                arguments("nothing stored", List.of(), 1000, List.of()),
                arguments("all within retention", List.of("a:SEALED:9000:1", "b:SEALED:9500:1"), 1000, List.of()),
                arguments("newest timestamp exactly at the cutoff stays", List.of("a:SEALED:9000:1"), 1000, List.of()),
                arguments("one millisecond older than the cutoff goes", List.of("a:SEALED:8999:1"), 1000, List.of("a")),
                arguments(
                        "sealed and archived both go, in list order",
                        List.of("a:ARCHIVED:100:1", "b:SEALED:200:1", "c:SEALED:9999:1"),
                        1000,
                        List.of("a", "b")),
                arguments(
                        "the active segment never goes, however old",
                        List.of("a:SEALED:100:1", "b:ACTIVE:100:1"),
                        1000,
                        List.of("a")),
                arguments(
                        "a segment without documents (no timestamps) never goes",
                        List.of("a:SEALED:-:1", "b:SEALED:100:1"),
                        1000,
                        List.of("b")),
                arguments(
                        "zero retention: everything strictly older than now",
                        List.of("a:SEALED:9999:1", "b:SEALED:10000:1"),
                        0,
                        List.of("a")),
                arguments(
                        "the decision is by the newest timestamp only, not by position",
                        List.of("a:SEALED:9500:1", "b:SEALED:100:1"),
                        1000,
                        List.of("b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void beyondTime(String name, List<String> segments, long retentionMillis, List<String> expected) {
        assertEquals(expected, Retention.beyondTime(segments(segments), NOW, Duration.ofMillis(retentionMillis)));
    }

    static Stream<Arguments> beyondSize() {
        return Stream.of(
                arguments("nothing stored", List.of(), 0, Set.of(), List.of()),
                arguments("under the limit", List.of("a:SEALED:1:10", "b:ACTIVE:2:10"), 30, Set.of(), List.of()),
                arguments(
                        "exactly at the limit stays",
                        List.of("a:SEALED:1:10", "b:ACTIVE:2:10"),
                        20,
                        Set.of(),
                        List.of()),
                arguments(
                        "one byte over evicts the oldest",
                        List.of("a:SEALED:1:10", "b:SEALED:2:10", "c:ACTIVE:3:1"),
                        20,
                        Set.of(),
                        List.of("a")),
                arguments(
                        "oldest first until under",
                        List.of("a:SEALED:1:10", "b:ARCHIVED:2:10", "c:SEALED:3:10", "d:ACTIVE:4:10"),
                        15,
                        Set.of(),
                        List.of("a", "b", "c")),
                arguments(
                        "the active segment counts but is never evicted",
                        List.of("a:SEALED:1:10", "b:ACTIVE:2:100"),
                        50,
                        Set.of(),
                        List.of("a")),
                arguments(
                        "segments already evicted count as gone and are not returned again",
                        List.of("a:SEALED:1:10", "b:SEALED:2:10", "c:SEALED:3:10"),
                        15,
                        Set.of("a"),
                        List.of("b")),
                arguments(
                        "already evicted enough: nothing more",
                        List.of("a:SEALED:1:10", "b:SEALED:2:10"),
                        10,
                        Set.of("a"),
                        List.of()),
                arguments(
                        "zero limit evicts every sealed segment",
                        List.of("a:SEALED:1:10", "b:SEALED:2:10", "c:ACTIVE:3:0"),
                        0,
                        Set.of(),
                        List.of("a", "b")),
                arguments(
                        "empty segments count nothing and go only in order",
                        List.of("a:SEALED:-:0", "b:SEALED:1:10"),
                        5,
                        Set.of(),
                        List.of("a", "b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void beyondSize(
            String name, List<String> segments, long maxTotalBytes, Set<String> alreadyEvicted, List<String> expected) {
        assertEquals(expected, Retention.beyondSize(segments(segments), maxTotalBytes, alreadyEvicted));
    }

    private static List<SegmentInfo> segments(List<String> specs) {
        List<SegmentInfo> list = new ArrayList<>();
        for (String spec : specs) {
            String[] f = spec.split(":");
            Long max = f[2].equals("-") ? null : Long.parseLong(f[2]);
            list.add(new SegmentInfo(
                    f[0],
                    SegmentState.valueOf(f[1]),
                    0,
                    null,
                    null,
                    max == null ? null : 0L,
                    max,
                    null,
                    null,
                    max == null ? 0 : 1,
                    Long.parseLong(f[3]),
                    Codec.NONE,
                    0,
                    1));
        }
        return list;
    }
}
