package io.stupiddb.segments.store;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code segments.retention-classes} and {@code segments.retention-class-field} (SPEC §12): a
 * document whose top-level {@code field} is a string naming one of {@code classes} is kept in
 * that class's segments for its retention; a document without the field, or with a value that is
 * not a string, or with the string {@code default}, goes to the default class
 * ({@code segments.retention}). With no classes the field means nothing (it is not checked).
 *
 * @param field   the top-level field naming a document's class
 * @param classes the classes, names unique
 */
public record RetentionClasses(String field, List<RetentionClass> classes) {
    public static final String DEFAULT_FIELD = "retention";

    /** No classes: every document is kept for {@code segments.retention}. */
    public static final RetentionClasses NONE = new RetentionClasses(DEFAULT_FIELD, List.of());

    public RetentionClasses {
        Objects.requireNonNull(field, "segments.retention-class-field");
        if (field.isBlank()) {
            throw new IllegalArgumentException("segments.retention-class-field must not be empty");
        }
        classes = List.copyOf(classes);
        Set<String> names = new HashSet<>();
        for (RetentionClass c : classes) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("segments.retention-classes names class '" + c.name() + "' twice");
            }
        }
    }

    public boolean isEmpty() {
        return classes.isEmpty();
    }

    /** The configured class of this name. */
    public Optional<RetentionClass> named(String name) {
        return classes.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
