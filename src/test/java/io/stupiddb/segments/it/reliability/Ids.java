package io.stupiddb.segments.it.reliability;

import java.util.UUID;

/** Document ids in store order: UUIDv7 compared as unsigned 128-bit numbers (= canonical text order). */
final class Ids {
    private Ids() {}

    static int compare(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
