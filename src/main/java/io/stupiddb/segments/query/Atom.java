package io.stupiddb.segments.query;

/**
 * One value test bound to one field path: "some value at {@code path} passes {@code test}".
 * {@code index} numbers the atoms of a filter (their slot in the per-evaluation hit array) and
 * {@code slot} numbers its distinct paths (their slot in the per-evaluation presence array).
 *
 * <p>Immutable and thread-safe.
 */
record Atom(int index, int slot, String path, ValueCondition test) {}
