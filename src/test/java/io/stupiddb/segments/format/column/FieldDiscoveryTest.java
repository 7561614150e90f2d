package io.stupiddb.segments.format.column;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldDiscoveryTest {

    private static Map<String, ColumnSchema.Field> byPath(ColumnSchema schema) {
        return schema.fields().stream().collect(Collectors.toMap(ColumnSchema.Field::path, Function.identity()));
    }

    @Test
    void findsTheHotFieldsOfLogDocuments() {
        FieldDiscovery discovery = new FieldDiscovery(0.5, 32);
        String[] levels = {"info", "info", "info", "warn", "error"};
        for (int i = 0; i < 1_000; i++) {
            String doc = "{'level':'" + levels[i % 5] + "','http':{'status':" + (200 + i % 7) + ",'method':'GET'},"
                    + "'trace_id':'t" + i + "','latency_ms':" + (i * 0.25) + ",'tags':['a','b']"
                    + (i % 3 == 0 ? ",'rare':1" : "") + (i % 2 == 0 ? ",'mixed':1" : ",'mixed':'one'") + "}";
            discovery.add(Msgpack.of(doc));
        }
        ColumnSchema schema = discovery.schema();
        Map<String, ColumnSchema.Field> fields = byPath(schema);
        assertEquals(
                List.of("http.method", "http.status", "latency_ms", "level", "mixed", "trace_id"),
                schema.fields().stream().map(ColumnSchema.Field::path).toList());
        assertEquals(FieldType.STRING, fields.get("level").type());
        assertEquals(3, fields.get("level").distinct());
        assertEquals(FieldType.INTEGER, fields.get("http.status").type());
        assertEquals(7, fields.get("http.status").distinct());
        assertEquals(FieldType.FLOAT, fields.get("latency_ms").type()); // 0.0, 0.25... JSON 0.0 stays a float
        assertEquals(1_000, fields.get("trace_id").present());
        long traceIds = fields.get("trace_id").distinct();
        assertTrue(traceIds > 850 && traceIds < 1_150, "KMV estimate " + traceIds);
        assertFalse(fields.containsKey("tags"), "arrays are not columnar");
        assertFalse(fields.containsKey("rare"), "present in a third of the documents");
        assertFalse(fields.containsKey("http"), "objects are ways, not columns");
        assertEquals(500, fields.get("mixed").present() / 2);
        assertEquals(1_000, schema.sampleDocuments());
    }

    @Test
    void forcedAndExcludedPathsOverrideTheSample() {
        FieldDiscovery discovery =
                new FieldDiscovery(0.5, 32).force("user.id").force("rare").exclude("level");
        for (int i = 0; i < 10; i++) {
            discovery.add(Msgpack.of("{'level':'info','n':" + i + (i == 0 ? ",'rare':'x'" : "") + "}"));
        }
        Map<String, ColumnSchema.Field> fields = byPath(discovery.schema());
        assertEquals(
                List.of("n", "rare", "user.id"),
                fields.keySet().stream().sorted().toList());
        assertTrue(fields.get("user.id").forced());
        assertEquals(0, fields.get("user.id").present());
        assertEquals(1, fields.get("rare").present());
        assertFalse(fields.get("n").forced());
        assertEquals(10, fields.get("n").distinct());
    }

    @Test
    void keepsTheMostPresentFieldsWhenThereAreTooMany() {
        FieldDiscovery discovery = new FieldDiscovery(0.1, 2);
        discovery.add(Msgpack.of("{'a':1,'b':1,'c':1}"));
        discovery.add(Msgpack.of("{'a':1,'b':1}"));
        discovery.add(Msgpack.of("{'b':1}"));
        assertEquals(
                List.of("a", "b"),
                discovery.schema().fields().stream()
                        .map(ColumnSchema.Field::path)
                        .toList());
    }
}
