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
    SegmentStoreMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("segment-tool")) {
            // msgpack-core's ByteBuffer path instead of sun.misc.Unsafe: no JDK warning in the tool's output.
            System.setProperty("msgpack.universal-buffer", "true");
            System.exit(new SegmentTool(System.out, System.err).run(Arrays.copyOfRange(args, 1, args.length)));
        }
        Quarkus.run(args);
    }
}
