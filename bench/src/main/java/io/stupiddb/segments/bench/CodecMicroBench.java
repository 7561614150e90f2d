package io.stupiddb.segments.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.service.codec.BodyFormat;
import io.stupiddb.segments.service.codec.DocumentDecoder;
import io.stupiddb.segments.service.codec.DocumentEncoder;
import io.stupiddb.segments.service.codec.JsonDocumentWriter;
import io.stupiddb.segments.store.DocumentToWrite;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JMH microbenchmarks of the HTTP codecs (issue 14), in documents per second: the request body
 * decoder ({@link DocumentDecoder}) on a batch of 1,000 LogWorkload documents as NDJSON, as one JSON
 * array and as one MessagePack array (already in minimal encoding, as msgpack-core packs it), and the
 * GET answer's JSON rendering ({@link DocumentEncoder#writeDocument}) of one stored document. Only
 * public API is used, so the same compiled benchmark runs against an older service jar on the class
 * path: {@code bench/codec-jmh --against <jar>} compares two builds in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dmsgpack.universal-buffer=true", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CodecMicroBench {
    static final int DOCS = 1_000;

    private final DocumentDecoder decoder = new DocumentDecoder("timestamp", 1 << 20, 64L << 20);
    private byte[] ndjson;
    private byte[] jsonArray;
    private byte[] msgpackArray;
    private byte[] oneSource;
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(8192);

    @Setup
    public void setUp() throws IOException {
        LogWorkload workload = new LogWorkload(42, 1_764_000_000_000L, Dataset.HOUR, DOCS);
        ObjectMapper json = new ObjectMapper();
        ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
        var nd = new ByteArrayOutputStream();
        var array = json.createArrayNode();
        for (int i = 0; i < DOCS; i++) {
            ObjectNode doc = workload.event(workload.timestamp(i));
            nd.writeBytes(json.writeValueAsBytes(doc));
            nd.write('\n');
            array.add(doc);
        }
        ndjson = nd.toByteArray();
        jsonArray = json.writeValueAsBytes(array);
        msgpackArray = msgpack.writeValueAsBytes(array);
        oneSource = msgpack.writeValueAsBytes(array.get(0));
        if (decode(BodyFormat.MSGPACK, msgpackArray).size() != DOCS) {
            throw new IllegalStateException("the MessagePack batch did not decode");
        }
    }

    byte[] ndjson() {
        return ndjson;
    }

    byte[] jsonArray() {
        return jsonArray;
    }

    byte[] msgpackArray() {
        return msgpackArray;
    }

    byte[] oneSource() {
        return oneSource;
    }

    private List<DocumentToWrite> decode(BodyFormat format, byte[] body) throws IOException {
        return decoder.decode(new ByteArrayInputStream(body), format);
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public List<DocumentToWrite> decodeNdjson() throws IOException {
        return decode(BodyFormat.NDJSON, ndjson);
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public List<DocumentToWrite> decodeJsonArray() throws IOException {
        return decode(BodyFormat.JSON, jsonArray);
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public List<DocumentToWrite> decodeMsgpackArray() throws IOException {
        return decode(BodyFormat.MSGPACK, msgpackArray);
    }

    /** The body of a GET by id answer, as JSON. */
    @Benchmark
    public int renderJson() throws IOException {
        sink.reset();
        try (JsonGenerator gen = DocumentEncoder.jsonFactory().createGenerator(sink)) {
            DocumentEncoder.writeDocument(
                    gen, "01a22809-05df-707d-8004-09e0baee3674", 1_764_000_000_000L, "seg-1", oneSource);
        }
        return sink.size();
    }

    /**
     * The same answer as {@link #renderJson} (byte for byte) by the writer the GET and NDJSON routes
     * use since issue 14's third round: straight from the MessagePack into one byte buffer.
     */
    @Benchmark
    public int renderJsonDirect() throws IOException {
        return new JsonDocumentWriter(2 * oneSource.length + 256)
                .document("01a22809-05df-707d-8004-09e0baee3674", 1_764_000_000_000L, "seg-1", oneSource)
                .size();
    }
}
