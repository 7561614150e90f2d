package io.stupiddb.segments.service.codec;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;

/** Passes bytes through {@link Utf8Validator}; an invalid sequence throws {@link InvalidUtf8Exception}. */
final class Utf8ValidatingInputStream extends InputStream {
    private final InputStream in;
    private final Utf8Validator validator = new Utf8Validator();

    Utf8ValidatingInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            int bad = validator.check(b, off, n);
            if (bad >= 0) {
                throw new InvalidUtf8Exception(validator.position());
            }
        } else if (n < 0 && !validator.complete()) {
            throw new InvalidUtf8Exception(validator.position());
        }
        return n;
    }

    /** Invalid UTF-8 at a byte offset of the body; a CharConversionException so Jackson passes it on unchanged. */
    static final class InvalidUtf8Exception extends CharConversionException {
        final long position;

        InvalidUtf8Exception(long position) {
            super("invalid UTF-8 at byte " + position);
            this.position = position;
        }
    }
}
