package io.stupiddb.segments.format.column;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A dotted field path ({@code "http.status"}) with its proper prefixes ({@code "http"}) and UTF-8
 * bytes precomputed, so resolving it in many documents splits nothing.
 *
 * @param path     non-empty segments separated by single dots
 * @param prefixes the proper prefixes, shortest first
 * @param utf8     the path's UTF-8 bytes (as stored in a column group directory)
 */
public record ColumnPath(String path, String[] prefixes, byte[] utf8) {

    public static ColumnPath of(String path) {
        String[] segments = path.split("\\.", -1);
        if (path.isEmpty() || Arrays.stream(segments).anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("invalid field path \"" + path + "\"");
        }
        if (segments.length > FieldValues.MAX_DEPTH) {
            throw new IllegalArgumentException("field path has more than " + FieldValues.MAX_DEPTH + " segments");
        }
        String[] prefixes = new String[segments.length - 1];
        for (int i = 0, end = -1; i < prefixes.length; i++) {
            end = path.indexOf('.', end + 1);
            prefixes[i] = path.substring(0, end);
        }
        return new ColumnPath(path, prefixes, path.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnPath other && other.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
