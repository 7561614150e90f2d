package io.stupiddb.segments.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The codec of two builds of the service, side by side in one JVM on a loaded machine: each jar's
 * {@code io.stupiddb.segments} classes in their own class loader (child first; Jackson and msgpack
 * shared), the CodecMicroBench workloads run in alternating rounds of about one second, and what is
 * compared is the <em>CPU time of the measuring thread</em> per document (ThreadMXBean), which other
 * processes on the cores disturb far less than wall-clock throughput, and the bytes that thread
 * allocated per document (which nothing else disturbs). Prints the medians over the rounds after
 * warm-up and the ratios old/new (above 1: the new build needs less).
 * {@code bench/codec-jmh --cpu OLD.jar} runs it against this build.
 */
public final class CodecCpuCompare {
    private static final int ROUNDS = 12;
    private static final int WARM_UP = 3;

    private CodecCpuCompare() {}

    public static void main(String[] args) throws Exception {
        Path oldJar = Path.of(args[0]);
        Path newJar = Path.of(args[1]);
        CodecMicroBench data = new CodecMicroBench();
        data.setUp();
        Impl[] impls = {new Impl("old", oldJar), new Impl("new", newJar)};
        String[] names = {"decodeNdjson", "decodeJsonArray", "decodeMsgpackArray", "renderJson"};
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.printf("| benchmark (median of %d rounds) | CPU µs per document: %s | %s | old / new "
                        + "| bytes allocated per document: %s | %s | old / new |%n",
                ROUNDS - WARM_UP, oldJar.getFileName(), newJar.getFileName(), oldJar.getFileName(),
                newJar.getFileName());
        System.out.println("|---|---|---|---|---|---|---|");
        for (String name : names) {
            double[][] perDoc = new double[2][ROUNDS];
            double[][] bytesPerDoc = new double[2][ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                for (int i = 0; i < 2; i++) {
                    long docs = 0;
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long bytes0 = threads.getCurrentThreadAllocatedBytes();
                    long end = System.nanoTime() + 1_000_000_000L;
                    while (System.nanoTime() < end) {
                        docs += impls[i].run(name, data);
                    }
                    perDoc[i][r] = (threads.getCurrentThreadCpuTime() - cpu0) / 1000.0 / docs;
                    bytesPerDoc[i][r] = (threads.getCurrentThreadAllocatedBytes() - bytes0) / (double) docs;
                }
            }
            double o = median(Arrays.copyOfRange(perDoc[0], WARM_UP, ROUNDS));
            double n = median(Arrays.copyOfRange(perDoc[1], WARM_UP, ROUNDS));
            double ob = median(Arrays.copyOfRange(bytesPerDoc[0], WARM_UP, ROUNDS));
            double nb = median(Arrays.copyOfRange(bytesPerDoc[1], WARM_UP, ROUNDS));
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %,.0f | %,.0f | %.2f |%n", name, o, n, o / n, ob,
                    nb, ob / nb);
        }
    }

    private static double median(double[] v) {
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /** One build's codec, called by reflection through its own class loader. */
    private static final class Impl {
        private final Object decoder;
        private final Method decode;
        private final Object ndjson;
        private final Object json;
        private final Object msgpack;
        private final Method writeDocument;
        private final JsonFactory factory;
        /** The GET route's own writer where the build has one (JsonDocumentWriter, issue 14 round 3). */
        private final Optional<Constructor<?>> directWriter;

        private final Optional<Method> directDocument;
        private final ByteArrayOutputStream sink = new ByteArrayOutputStream(8192);

        Impl(String name, Path jar) throws Exception {
            ClassLoader loader = new ChildFirst(name, jar, CodecCpuCompare.class.getClassLoader());
            Class<?> decoderClass = loader.loadClass("io.stupiddb.segments.service.codec.DocumentDecoder");
            Class<?> format = loader.loadClass("io.stupiddb.segments.service.codec.BodyFormat");
            Constructor<?> c = decoderClass.getConstructor(String.class, long.class, long.class);
            decoder = c.newInstance("timestamp", 1L << 20, 64L << 20);
            decode = decoderClass.getMethod("decode", InputStream.class, format);
            ndjson = format.getField("NDJSON").get(null);
            json = format.getField("JSON").get(null);
            msgpack = format.getField("MSGPACK").get(null);
            Class<?> encoder = loader.loadClass("io.stupiddb.segments.service.codec.DocumentEncoder");
            writeDocument = encoder.getMethod(
                    "writeDocument", JsonGenerator.class, String.class, long.class, String.class, byte[].class);
            factory = (JsonFactory) encoder.getMethod("jsonFactory").invoke(null);
            Optional<Class<?>> direct;
            try {
                direct = Optional.of(loader.loadClass("io.stupiddb.segments.service.codec.JsonDocumentWriter"));
            } catch (ClassNotFoundException e) {
                direct = Optional.empty();
            }
            directWriter = direct.map(k -> {
                try {
                    return k.getConstructor(int.class);
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException(e);
                }
            });
            directDocument = direct.map(k -> {
                try {
                    return k.getMethod("document", String.class, long.class, String.class, byte[].class);
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** One operation of the named workload; returns the documents it handled. */
        int run(String name, CodecMicroBench d) throws Exception {
            return switch (name) {
                case "decodeNdjson" -> decode(ndjson, d.ndjson());
                case "decodeJsonArray" -> decode(json, d.jsonArray());
                case "decodeMsgpackArray" -> decode(msgpack, d.msgpackArray());
                default -> render(d.oneSource());
            };
        }

        private int decode(Object format, byte[] body) throws Exception {
            return ((List<?>) decode.invoke(decoder, new ByteArrayInputStream(body), format)).size();
        }

        /** A GET's JSON answer as the build's GET route renders it. */
        private int render(byte[] source) throws IOException, ReflectiveOperationException {
            if (directWriter.isPresent()) {
                Object writer = directWriter.get().newInstance(2 * source.length + 256);
                directDocument.get().invoke(writer, "01a22809-05df-707d-8004-09e0baee3674", 1_764_000_000_000L, "seg-1", source);
                return 1;
            }
            sink.reset();
            try (JsonGenerator gen = factory.createGenerator(sink)) {
                writeDocument.invoke(null, gen, "01a22809-05df-707d-8004-09e0baee3674", 1_764_000_000_000L, "seg-1", source);
            }
            return 1;
        }
    }

    /** Loads the service's classes from one jar, everything else (Jackson, msgpack, the JDK) from the parent. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(String name, Path jar, ClassLoader parent) throws IOException {
            super(name, new URL[] {jar.toUri().toURL()}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.stupiddb.segments.") || name.startsWith("io.stupiddb.segments.bench.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
