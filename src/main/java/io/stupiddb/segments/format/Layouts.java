package io.stupiddb.segments.format;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** The value layouts of the format: every multi-byte number on disk is big-endian, unaligned. */
final class Layouts {
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Layouts() {}
}
