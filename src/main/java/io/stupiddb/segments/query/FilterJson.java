package io.stupiddb.segments.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * Reads filter text into a {@link JsonNode} tree under the {@link FilterLimits}: nesting depth and
 * value count are checked as tokens arrive, so a 10,000-deep or 10 MB filter is refused before it
 * is built. Recursion depth is bounded by {@link FilterLimits#MAX_DEPTH}. Also refuses duplicate
 * keys (which one would win is a guess) and anything after the filter object.
 *
 * <p>Not thread-safe: one instance per call ({@link #read} creates it).
 */
final class FilterJson {

    /** Immutable once configured; Jackson factories are thread-safe. */
    private static final JsonFactory FACTORY = new JsonFactory();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern START_MARKER =
            Pattern.compile("\\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)]\\)");

    private final JsonParser parser;
    private int nodes;

    private FilterJson(JsonParser parser) {
        this.parser = parser;
    }

    static JsonNode read(String text) {
        if (text.isBlank()) {
            throw Location.ROOT.error("filter is empty; use {} to match every document");
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            FilterJson reader = new FilterJson(parser);
            return reader.document();
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string cannot fail", e);
        }
    }

    private JsonNode document() throws IOException {
        try {
            JsonNode root = value(parser.nextToken(), Location.ROOT, 1);
            if (parser.nextToken() != null) {
                throw malformed(parser.currentTokenLocation(), "unexpected content after the end of the filter");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw malformed(e.getLocation(), e.getOriginalMessage());
        }
    }

    private JsonNode value(JsonToken token, Location at, int depth) throws IOException {
        if (++nodes > FilterLimits.MAX_NODES) {
            throw FilterLimits.tooManyNodes(at);
        }
        if (token == null) {
            throw malformed(parser.currentLocation(), "unexpected end of input");
        }
        return switch (token) {
            case START_OBJECT -> object(at, depth);
            case START_ARRAY -> array(at, depth);
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT ->
                switch (parser.getNumberType()) {
                    case INT, LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw malformed(parser.currentTokenLocation(), "unexpected " + token);
        };
    }

    private ObjectNode object(Location at, int depth) throws IOException {
        if (depth > FilterLimits.MAX_DEPTH) {
            throw FilterLimits.tooDeep(at);
        }
        ObjectNode object = NODES.objectNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            // Jackson only hands out FIELD_NAME or END_OBJECT here, or throws.
            String key = parser.currentName();
            Location child = at.key(key);
            if (object.has(key)) {
                throw child.error("duplicate key \"" + key + "\"");
            }
            object.set(key, value(parser.nextToken(), child, depth + 1));
        }
        return object;
    }

    private ArrayNode array(Location at, int depth) throws IOException {
        if (depth > FilterLimits.MAX_DEPTH) {
            throw FilterLimits.tooDeep(at);
        }
        ArrayNode array = NODES.arrayNode();
        int index = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            array.add(value(token, at.index(index++), depth + 1));
        }
        return array;
    }

    /**
     * Jackson's parsing context knows the path of the token it failed on (it has often already
     * read the key when the value turns out bad), so the location comes from there.
     */
    /** Jackson names an unclosed object by a source reference that is only noise to a client. */
    private static String tidy(String jacksonMessage) {
        return START_MARKER.matcher(jacksonMessage).replaceAll("(opened at line $1, column $2)");
    }

    private FilterSyntaxException malformed(JsonLocation where, String what) {
        String position = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        return new FilterSyntaxException(pointer, "malformed JSON" + position + ": " + tidy(what));
    }
}
