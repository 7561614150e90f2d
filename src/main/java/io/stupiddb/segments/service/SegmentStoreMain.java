package io.stupiddb.segments.service;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.stupiddb.segments.tool.SegmentTool;

import java.util.Arrays;

/**
 * Entry point of the packaged jar. {@code java -jar quarkus-run.jar} starts the service;
 * {@code java -jar quarkus-run.jar segment-tool <command> …} runs the operator's tool on segment
 * files instead, without starting the service (so it works beside a running pod, read-only).
 */
@QuarkusMain
public final class SegmentStoreMain {
    SegmentStoreMain() {}

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("segment-tool")) {
            // msgpack-core's ByteBuffer path instead of sun.misc.Unsafe: no JDK warning in the tool's output.
            System.setProperty("msgpack.universal-buffer", "true");
            System.exit(new SegmentTool(System.out, System.err).run(Arrays.copyOfRange(args, 1, args.length)));
        }
        // Quarkus answers a request URI java.net.URI refuses with an empty 400; with this
        // property it lets it through to api.HttpLayerProblems, which runs the same check first
        // and answers with problem+json (the property is read when the HTTP server starts).
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
