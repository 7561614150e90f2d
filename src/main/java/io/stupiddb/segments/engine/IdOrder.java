package io.stupiddb.segments.engine;

import java.util.UUID;

/** Document ids ordered as unsigned 128-bit numbers, which is the order of their canonical text. */
final class IdOrder {
    private IdOrder() {
    }

    static int compare(long msbA, long lsbA, long msbB, long lsbB) {
        int cmp = Long.compareUnsigned(msbA, msbB);
        return cmp != 0 ? cmp : Long.compareUnsigned(lsbA, lsbB);
    }

    static int compare(UUID a, UUID b) {
        return compare(a.getMostSignificantBits(), a.getLeastSignificantBits(),
                b.getMostSignificantBits(), b.getLeastSignificantBits());
    }
}
